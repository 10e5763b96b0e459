/* The TCP Content-Length framer and raw-text stateless replies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "framer.h"
#include "stateless.h"

#define MSG1 "OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nl: 4\r\n\r\nbody"
#define MSG2 "BYE sip:a@b SIP/2.0\r\nContent-Length: 0\r\n\r\n"

static void test_two_messages_in_one_read(void **state)
{
	(void)state;
	const char buf[] = "\r\n\r\n" MSG1 MSG2;
	struct csip_frame f;
	assert_int_equal(csip_frame_next(buf, strlen(buf), 65536, &f), 0);
	assert_int_equal(f.skip, 4);
	assert_int_equal(f.len, strlen(MSG1));
	const char *rest = buf + f.skip + f.len;
	assert_int_equal(csip_frame_next(rest, strlen(rest), 65536, &f), 0);
	assert_int_equal(f.skip, 0);
	assert_int_equal(f.len, strlen(MSG2));
}

static void test_every_split_waits_for_more(void **state)
{
	(void)state;
	const char *m = MSG1;
	struct csip_frame f;
	for (size_t cut = 0; cut < strlen(m); cut++)
		assert_int_equal(csip_frame_next(m, cut, 65536, &f), -EAGAIN);
	assert_int_equal(csip_frame_next(m, strlen(m), 65536, &f), 0);
}

static void test_bad_and_oversized(void **state)
{
	(void)state;
	struct csip_frame f;
	const char *nocl = "BYE sip:a@b SIP/2.0\r\nVia: x\r\n\r\n";
	assert_int_equal(csip_frame_next(nocl, strlen(nocl), 65536, &f), -EBADMSG);
	const char *badcl = "BYE sip:a@b SIP/2.0\r\nContent-Length: 1x\r\n\r\n";
	assert_int_equal(csip_frame_next(badcl, strlen(badcl), 65536, &f), -EBADMSG);
	const char *twocl = "BYE sip:a@b SIP/2.0\r\nContent-Length: 1\r\nl: 2\r\n\r\nab";
	assert_int_equal(csip_frame_next(twocl, strlen(twocl), 65536, &f), -EBADMSG);
	const char *big = "BYE sip:a@b SIP/2.0\r\nContent-Length: 100000\r\n\r\n";
	assert_int_equal(csip_frame_next(big, strlen(big), 65536, &f), -EMSGSIZE);
	char endless[256];
	memset(endless, 'a', sizeof(endless));
	assert_int_equal(csip_frame_next(endless, sizeof(endless), 128, &f), -EMSGSIZE);
}

static void test_stateless_400_copies_routing_headers(void **state)
{
	(void)state;
	const char req[] = "INVITE sip:a@b SIP/2.0\r\n"
			   "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK7\r\n"
			   "Max-Forwards: 70\r\nf: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\n"
			   "i: abc\r\nCSeq: 1 INVITE\r\nContent-Length: 9999\r\n\r\n";
	char out[1024];
	int n = csip_stateless_reply(req, strlen(req), 400, "Bad Request", out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "SIP/2.0 400 Bad Request\r\n"
				 "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK7\r\n"
				 "f: <sip:x@y>;tag=1\r\nTo: <sip:a@b>\r\ni: abc\r\nCSeq: 1 INVITE\r\n"
				 "Content-Length: 0\r\n\r\n");
}

static void test_stateless_refuses_responses_and_viafree_text(void **state)
{
	(void)state;
	char out[256];
	const char *resp = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n";
	assert_int_equal(csip_stateless_reply(resp, strlen(resp), 400, "Bad", out, sizeof(out)),
			 -EINVAL);
	const char *junk = "\x01\x02garbage without headers";
	assert_int_equal(csip_stateless_reply(junk, strlen(junk), 400, "Bad", out, sizeof(out)),
			 -EINVAL);
	const char *req = "X a SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n\r\n";
	assert_int_equal(csip_stateless_reply(req, strlen(req), 400, "Bad", out, 20), -ENOBUFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_messages_in_one_read),
		cmocka_unit_test(test_every_split_waits_for_more),
		cmocka_unit_test(test_bad_and_oversized),
		cmocka_unit_test(test_stateless_400_copies_routing_headers),
		cmocka_unit_test(test_stateless_refuses_responses_and_viafree_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
