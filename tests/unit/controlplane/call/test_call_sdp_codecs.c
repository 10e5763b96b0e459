/* Codec lists per device: the offer toward a callee in its device's codecs, and the answer
 * toward the caller in the caller's codec when the callee picked none of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-sdp.h"
#include "call_test_sip.h"

#include <errno.h>
#include <string.h>

/* A PCMU-only phone with DTMF events. */
static const char pcmu_offer[] =
	SDP_SESSION("1", "192.0.2.10")
	"m=audio 6000 RTP/AVP 0 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n"
	"m=video 0 RTP/AVP 96\r\n"
	"a=rtpmap:96 H264/90000\r\n";

/* A G.722-only phone's answer. */
static const char g722_answer[] =
	SDP_SESSION("2", "192.0.2.11")
	"m=audio 7000 RTP/AVP 9\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=sendrecv\r\n";

static const char names[][16] = { "G722", "SPEEX", "PCMU", "OPUS" };

static void device_codecs_in_device_order_with_known_payload_types(void **state)
{
	(void)state;
	struct call_sdp_audio a;
	struct call_sdp_codec cs[CALL_SDP_CODECS_MAX];
	assert_int_equal(call_sdp_parse(pcmu_offer, strlen(pcmu_offer), &a), 0);
	unsigned n = call_sdp_device_codecs(names, 4, &a, cs, CALL_SDP_CODECS_MAX);
	assert_int_equal(n, 3); /* SPEEX is not relayed by the data plane */
	assert_string_equal(cs[0].name, "G722");
	assert_int_equal(cs[0].pt, 9);
	assert_string_equal(cs[1].name, "PCMU");
	assert_int_equal(cs[1].pt, 0);
	assert_string_equal(cs[2].name, "opus");
	assert_int_equal(cs[2].clock_rate, 48000);
	assert_true(cs[2].pt >= 96 && cs[2].pt != 101);
	assert_int_equal(call_sdp_device_codecs(names, 4, &a, cs, 1), 1);
	assert_int_equal(call_sdp_device_codecs(names + 1, 1, &a, cs, CALL_SDP_CODECS_MAX), 0);
}

static void offer_rewritten_to_the_device_codecs(void **state)
{
	(void)state;
	struct call_sdp_audio a, b;
	struct call_sdp_codec cs[CALL_SDP_CODECS_MAX];
	char out[2048];
	assert_int_equal(call_sdp_parse(pcmu_offer, strlen(pcmu_offer), &a), 0);
	unsigned n = call_sdp_device_codecs(names, 1, &a, cs, CALL_SDP_CODECS_MAX);
	assert_int_equal(call_sdp_set_codecs(pcmu_offer, strlen(pcmu_offer), cs, n, a.dtmf_pt, out,
					     sizeof(out)),
			 0);
	assert_non_null(strstr(out, "m=audio 6000 RTP/AVP 9 101\r\n"));
	assert_non_null(strstr(out, "a=rtpmap:9 G722/8000\r\n"));
	assert_non_null(strstr(out, "a=rtpmap:101 telephone-event/8000\r\n"));
	assert_null(strstr(out, "PCMU"));
	assert_non_null(strstr(out, "a=ptime:20\r\n")); /* other attributes stay */
	assert_non_null(strstr(out, "a=rtpmap:96 H264/90000\r\n")); /* other streams stay */
	/* the rtpmaps close the audio stream: before the video m= line */
	assert_true(strstr(out, "a=rtpmap:9 G722") < strstr(out, "m=video"));
	assert_int_equal(call_sdp_parse(out, strlen(out), &b), 0);
	assert_int_equal(b.n_codecs, 2);
	assert_string_equal(b.codecs[0].name, "G722");
	assert_int_equal(b.dtmf_pt, 101);
	assert_int_equal(call_sdp_set_codecs(pcmu_offer, strlen(pcmu_offer), cs, n, a.dtmf_pt, out,
					     64),
			 -ENOBUFS);
	assert_int_equal(call_sdp_set_codecs(pcmu_offer, strlen(pcmu_offer), cs, 0, -1, out,
					     sizeof(out)),
			 -EINVAL);
}

static void answer_without_a_shared_codec_is_given_the_offers(void **state)
{
	(void)state;
	struct call_sdp_audio a, ans;
	char out[2048];
	assert_int_equal(call_sdp_parse(pcmu_offer, strlen(pcmu_offer), &a), 0);
	assert_int_equal(call_sdp_answer_in_offer(g722_answer, strlen(g722_answer), &a, out,
						  sizeof(out)),
			 0);
	assert_int_equal(call_sdp_parse(out, strlen(out), &ans), 0);
	assert_string_equal(ans.codecs[0].name, "PCMU");
	assert_int_equal(ans.codecs[0].pt, 0);
	assert_int_equal(ans.dtmf_pt, 101);
	assert_null(strstr(out, "G722"));
	assert_int_equal(ans.port, 7000); /* the address is rewritten later, not here */
}

static void answer_with_a_shared_codec_is_kept(void **state)
{
	(void)state;
	static const char both[] = "v=0\r\no=- 2 1 IN IP4 192.0.2.11\r\ns=-\r\n"
				   "c=IN IP4 192.0.2.11\r\nt=0 0\r\nm=audio 7000 RTP/AVP 9 0\r\n";
	struct call_sdp_audio a;
	char out[2048];
	assert_int_equal(call_sdp_parse(pcmu_offer, strlen(pcmu_offer), &a), 0);
	assert_int_equal(call_sdp_answer_in_offer(both, strlen(both), &a, out, sizeof(out)), 0);
	assert_string_equal(out, both);
	assert_int_equal(call_sdp_answer_in_offer("v=0\r\n", 5, &a, out, sizeof(out)), -EINVAL);
}

/* Both sides offering telephone-event share no audio codec for that: the answer still gets
 * the offer's codec (a phone that only took PCMU must never be answered G.722). */
static void telephone_event_is_not_a_shared_codec(void **state)
{
	(void)state;
	static const char g722_dtmf[] = "v=0\r\no=- 2 1 IN IP4 192.0.2.11\r\ns=-\r\n"
					"c=IN IP4 192.0.2.11\r\nt=0 0\r\nm=audio 7000 RTP/AVP 9 101\r\n"
					"a=rtpmap:9 G722/8000\r\n"
					"a=rtpmap:101 telephone-event/8000\r\n";
	struct call_sdp_audio a, ans;
	char out[2048];
	assert_int_equal(call_sdp_parse(pcmu_offer, strlen(pcmu_offer), &a), 0);
	assert_int_equal(call_sdp_answer_in_offer(g722_dtmf, strlen(g722_dtmf), &a, out,
						  sizeof(out)),
			 0);
	assert_int_equal(call_sdp_parse(out, strlen(out), &ans), 0);
	assert_string_equal(ans.codecs[0].name, "PCMU");
	assert_null(strstr(out, "G722"));
	assert_int_equal(ans.dtmf_pt, 101);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(device_codecs_in_device_order_with_known_payload_types),
		cmocka_unit_test(offer_rewritten_to_the_device_codecs),
		cmocka_unit_test(answer_without_a_shared_codec_is_given_the_offers),
		cmocka_unit_test(answer_with_a_shared_codec_is_kept),
		cmocka_unit_test(telephone_event_is_not_a_shared_codec),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
