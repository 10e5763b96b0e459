/* The audio stream read from SDP offers/answers, and the body rewritten toward the data plane. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-sdp.h"

#include <errno.h>
#include <string.h>

/* What sipp's uac scenario sends (session-level c=, PCMU + telephone-event). */
static const char offer[] =
	"v=0\r\n"
	"o=user1 53655765 2353687637 IN IP4 192.0.2.10\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/AVP 0 8 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=sendrecv\r\n";

static void parses_the_audio_stream(void **state)
{
	(void)state;
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_parse(offer, strlen(offer), &a), 0);
	assert_string_equal(a.ip, "192.0.2.10");
	assert_int_equal(a.port, 6000);
	assert_int_equal(a.n_codecs, 3);
	assert_string_equal(a.codecs[0].name, "PCMU");
	assert_string_equal(a.codecs[1].name, "PCMA"); /* static, no rtpmap */
	assert_int_equal(a.codecs[1].clock_rate, 8000);
	assert_int_equal(a.codecs[2].pt, 101);
	assert_int_equal(a.dtmf_pt, 101);
	assert_int_equal(a.direction, CALL_SDP_SENDRECV);
}

static void media_connection_wins_and_hold_is_seen(void **state)
{
	(void)state;
	static const char sdp[] = "v=0\no=- 1 1 IN IP4 198.51.100.9\ns=-\nc=IN IP4 198.51.100.9\n"
				  "t=0 0\nm=audio 7000 RTP/AVP 8\nc=IN IP4 192.0.2.11\n"
				  "a=sendonly\nm=video 9000 RTP/AVP 96\nc=IN IP4 192.0.2.99\n";
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_parse(sdp, strlen(sdp), &a), 0);
	assert_string_equal(a.ip, "192.0.2.11");
	assert_int_equal(a.port, 7000);
	assert_int_equal(a.n_codecs, 1);
	assert_int_equal(a.dtmf_pt, -1);
	assert_int_equal(a.direction, CALL_SDP_SENDONLY);
}

static void refuses_what_cannot_be_relayed(void **state)
{
	(void)state;
	struct call_sdp_audio a;
	static const char *const bad[] = {
		"",
		"hello",
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=video 5000 RTP/AVP 96\r\n",	/* no audio */
		"v=0\r\nm=audio 5000 RTP/AVP 0\r\n",				/* no address */
		"v=0\r\nc=IN IP6 ::1\r\nm=audio 5000 RTP/AVP 0\r\n",		/* IPv6 */
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 99999 RTP/AVP 0\r\n",	/* port */
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP\r\n",	/* no format */
		"v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5000 RTP/AVP 0 x\r\n",	/* bad pt */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(call_sdp_parse(bad[i], strlen(bad[i]), &a), -EINVAL);
}

static void rewrites_toward_the_data_plane(void **state)
{
	(void)state;
	char out[1024];
	assert_int_equal(call_sdp_rewrite(offer, strlen(offer), "192.0.2.1", 20002, out,
					  sizeof(out)),
			 0);
	assert_non_null(strstr(out, "o=user1 53655765 2353687637 IN IP4 192.0.2.1\r\n"));
	assert_non_null(strstr(out, "\r\nc=IN IP4 192.0.2.1\r\n"));
	assert_non_null(strstr(out, "\r\nm=audio 20002 RTP/AVP 0 8 101\r\n"));
	assert_null(strstr(out, "192.0.2.10"));
	assert_null(strstr(out, " 6000 "));
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_parse(out, strlen(out), &a), 0);
	assert_string_equal(a.ip, "192.0.2.1");
	assert_int_equal(a.port, 20002);
	assert_int_equal(a.n_codecs, 3);
	/* Too small a buffer is an error, never a truncated body. */
	assert_int_equal(call_sdp_rewrite(offer, strlen(offer), "192.0.2.1", 20002, out, 40),
			 -ENOBUFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_the_audio_stream),
		cmocka_unit_test(media_connection_wins_and_hold_is_seen),
		cmocka_unit_test(refuses_what_cannot_be_relayed),
		cmocka_unit_test(rewrites_toward_the_data_plane),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
