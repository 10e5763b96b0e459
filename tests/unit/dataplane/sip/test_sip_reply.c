/* Stateless replies: headers copied in order, To tag added deterministically, Via rewritten
 * with received/rport, Unsupported for 420, requests with missing headers, small buffers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip_msg.h"
#include "sip_reply.h"
#include "sip_test_files.h"
#include "sip_test_str.h"

static struct sip_msg req, resp;
static char out[4096];

static const char invite[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK776asdhds;rport\r\n"
	"v: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP p2.example.com;branch=z9hG4bK2\r\n"
	"Max-Forwards: 70\r\n"
	"To: Bob <sip:bob@example.com>\r\n"
	"From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
	"Call-ID: a84b4c76e66710@pc33.example.com\r\n"
	"CSeq: 314159 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static void test_reply_basic(void **state)
{
	(void)state;
	assert_int_equal(sip_msg_parse(&req, invite, sizeof(invite) - 1), 0);
	struct sip_reply_opts opts = { .server = SLICE("Bugle"),
				       .received = SLICE("198.51.100.7"),
				       .rport = 40000 };
	int n = sip_reply_build(&req, 483, "Too Many Hops", &opts, out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	char tag[16];
	sip_reply_to_tag(&req, tag);
	char want[2048];
	snprintf(want, sizeof(want),
		 "SIP/2.0 483 Too Many Hops\r\n"
		 "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bK776asdhds;rport=40000"
		 ";received=198.51.100.7\r\n"
		 "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP "
		 "p2.example.com;branch=z9hG4bK2\r\n"
		 "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
		 "To: Bob <sip:bob@example.com>;tag=%.16s\r\n"
		 "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
		 "CSeq: 314159 INVITE\r\n"
		 "Server: Bugle\r\n"
		 "Content-Length: 0\r\n\r\n",
		 tag);
	assert_string_equal(out, want);

	/* It parses back as a sound response with all three Via values. */
	assert_int_equal(sip_msg_parse(&resp, out, (size_t)n), 0);
	assert_int_equal(resp.status, 483);
	assert_int_equal(sip_msg_parse_via(&resp), 0);
	assert_int_equal(resp.n_via, 3);
	STR_EQ(resp.via[0].received, "198.51.100.7");
	STR_EQ(resp.via[0].rport, "40000");
	assert_int_equal(sip_msg_parse_to(&resp), 0);
	assert_true(resp.to.has_tag);
}

static void test_to_tag_is_deterministic(void **state)
{
	char t1[16], t2[16], t3[16];
	(void)state;

	assert_int_equal(sip_msg_parse(&req, invite, sizeof(invite) - 1), 0);
	sip_reply_to_tag(&req, t1);
	/* A retransmission (another buffer, same bytes) gets the same tag. */
	static char copy[sizeof(invite)];
	memcpy(copy, invite, sizeof(invite));
	assert_int_equal(sip_msg_parse(&req, copy, sizeof(invite) - 1), 0);
	sip_reply_to_tag(&req, t2);
	assert_memory_equal(t1, t2, 16);
	/* A new transaction (other branch) gets another. */
	copy[strstr(copy, "z9hG4bK776") - copy + 7] = '8';
	assert_int_equal(sip_msg_parse(&req, copy, sizeof(invite) - 1), 0);
	sip_reply_to_tag(&req, t3);
	assert_memory_not_equal(t1, t3, 16);
}

static void test_existing_tag_and_unsupported(void **state)
{
	static const char msg[] = "OPTIONS sip:x@example.com SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"
				  "To: <sip:x@example.com>;tag=abc\r\n"
				  "From: <sip:y@example.com>;tag=def\r\n"
				  "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\n\r\n";
	struct sip_options un = { .count = 2, .tag = { SLICE("foo"), SLICE("bar") } };
	struct sip_reply_opts opts = { .unsupported = &un };
	(void)state;

	assert_int_equal(sip_msg_parse(&req, msg, sizeof(msg) - 1), 0);
	int n = sip_reply_build(&req, 420, "Bad Extension", &opts, out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	assert_non_null(strstr(out, "\r\nTo: <sip:x@example.com>;tag=abc\r\n"));
	assert_null(strstr(out, "tag=abc;tag="));
	assert_non_null(strstr(out, "\r\nUnsupported: foo, bar\r\n"));
	assert_null(strstr(out, "Server:"));
	/* Without received/rport the Via is copied as it was. */
	assert_non_null(strstr(out, "\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKa\r\n"));
}

static void test_missing_headers(void **state)
{
	static char buf[4096];
	size_t len;
	(void)state;

	/* RFC 4475 insuf: no To, From, Call-ID; copy what exists. */
	assert_int_equal(sip_test_read("rfc4475/insuf.dat", buf, sizeof(buf), &len), 0);
	assert_int_equal(sip_msg_parse(&req, buf, len), 0);
	int n = sip_reply_build(&req, 400, "Missing To", NULL, out, sizeof(out));
	assert_true(n > 0);
	out[n] = '\0';
	assert_string_equal(out, "SIP/2.0 400 Missing To\r\n"
				 "Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf\r\n"
				 "CSeq: 193942 INVITE\r\n"
				 "Content-Length: 0\r\n\r\n");
}

static void test_errors(void **state)
{
	(void)state;
	assert_int_equal(sip_msg_parse(&req, invite, sizeof(invite) - 1), 0);
	int full = sip_reply_build(&req, 400, "Bad Request", NULL, out, sizeof(out));
	assert_true(full > 0);
	for (size_t cap = 0; cap < (size_t)full; cap += 7)
		assert_int_equal(sip_reply_build(&req, 400, "Bad Request", NULL, out, cap),
				 -ENOSPC);
	assert_int_equal(sip_reply_build(&req, 400, "Bad Request", NULL, out, (size_t)full), full);
	assert_int_equal(sip_reply_build(&req, 99, "x", NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(sip_reply_build(&req, 700, "x", NULL, out, sizeof(out)), -EINVAL);
	static const char r[] = "SIP/2.0 200 OK\r\nCSeq: 1 BYE\r\n\r\n";
	assert_int_equal(sip_msg_parse(&resp, r, sizeof(r) - 1), 0);
	assert_int_equal(sip_reply_build(&resp, 400, "x", NULL, out, sizeof(out)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_basic),
		cmocka_unit_test(test_to_tag_is_deterministic),
		cmocka_unit_test(test_existing_tag_and_unsupported),
		cmocka_unit_test(test_missing_headers),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
