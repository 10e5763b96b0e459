/* Sanity rules one by one, on a sound request with one change each. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip_msg.h"
#include "sip_sanity.h"
#include "sip_test_str.h"

static struct sip_msg m;
static struct sip_sanity san;
static char buf[4096];

#define VIA "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK74bf9;rport\r\n"
#define FROM "From: \"Alice\" <sip:alice@example.com>;tag=9fxced76sl\r\n"
#define TO "To: <sip:bob@example.com>\r\n"
#define CID "Call-ID: 3848276298220188511@192.0.2.10\r\n"
#define MF "Max-Forwards: 70\r\n"
#define CL "Content-Length: 0\r\n"

static const struct sip_sanity_cfg *cfg;

static void check(const char *msg, uint8_t verdict, uint16_t status, const char *reason)
{
	size_t n = strlen(msg);
	memcpy(buf, msg, n); /* parse from a buffer of exactly the message's size */
	int prc = sip_msg_parse(&m, buf, n);
	assert_int_equal(sip_sanity_check(&m, prc, cfg, &san), 0);
	if (san.verdict != verdict || san.status != status ||
	    (reason && (!san.reason || strcmp(san.reason, reason) != 0)))
		fail_msg("got %d %d '%s', want %d %d '%s' for:\n%s", san.verdict, san.status,
			 san.reason ? san.reason : "", verdict, status, reason ? reason : "", msg);
}

static void test_sound_request(void **state)
{
	(void)state;
	cfg = NULL;
	check("INVITE sip:bob@example.com SIP/2.0\r\n" VIA MF FROM TO CID "CSeq: 1 INVITE\r\n" CL
	      "\r\n",
	      SIP_ACCEPT, 0, NULL);
	/* Max-Forwards is optional (RFC 2543 peers); no Content-Length on UDP is fine. */
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	check("SIP/2.0 200 OK\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n" CL "\r\n", SIP_ACCEPT, 0,
	      NULL);
}

static void test_start_line_and_version(void **state)
{
	(void)state;
	cfg = NULL;
	check("INVITE  sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n",
	      SIP_REJECT, 400, "Bad Request-Line");
	check("INVITE sip:bob@example.com SIP/3.0\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n",
	      SIP_REJECT, 505, "Version Not Supported");
	check("INVITE <sip:bob@example.com> SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n",
	      SIP_REJECT, 400, "Bad Request-URI");
	check("INVITE sip:bob@example.com\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n", SIP_DROP,
	      0, "Malformed Message");
	check("SIP/2.0 4294967301 x\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n", SIP_DROP, 0,
	      "Bad Status-Line");
	check("SIP/3.0 200 OK\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n\r\n", SIP_DROP, 0,
	      "Version Not Supported");
}

static void test_mandatory_and_duplicates(void **state)
{
	(void)state;
	cfg = NULL;
	check("BYE sip:bob@example.com SIP/2.0\r\n" FROM TO CID "CSeq: 2 BYE\r\n\r\n", SIP_REJECT,
	      400, "Missing Via");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA TO CID "CSeq: 2 BYE\r\n\r\n", SIP_REJECT,
	      400, "Missing From");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM CID "CSeq: 2 BYE\r\n\r\n", SIP_REJECT,
	      400, "Missing To");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO "CSeq: 2 BYE\r\n\r\n", SIP_REJECT,
	      400, "Missing Call-ID");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "\r\n", SIP_REJECT, 400,
	      "Missing CSeq");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID CID "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Duplicate Call-ID");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID MF MF "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Duplicate Max-Forwards");
	/* A response missing a header is dropped, not answered. */
	check("SIP/2.0 200 OK\r\n" VIA FROM TO "CSeq: 1 INVITE\r\n\r\n", SIP_DROP, 0,
	      "Missing Call-ID");
}

static void test_content_length(void **state)
{
	(void)state;
	cfg = NULL;
	check("MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 2 MESSAGE\r\nContent-Length: 10\r\n\r\nshort",
	      SIP_REJECT, 400, "Content-Length Too Large");
	check("MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 2 MESSAGE\r\nContent-Length: -5\r\n\r\nshort",
	      SIP_REJECT, 400, "Bad Content-Length");
	check("MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 2 MESSAGE\r\nl: 5\r\nContent-Length: 3\r\n\r\nshort",
	      SIP_REJECT, 400, "Duplicate Content-Length");
	/* Smaller than the datagram: process the message, ignore the rest. */
	check("MESSAGE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 2 MESSAGE\r\nContent-Length: 3\r\n\r\nshort",
	      SIP_ACCEPT, 0, NULL);
	assert_int_equal(m.body.len, 3);
	assert_true(m.flags & SIP_F_TRAILING);
}

static void test_cseq(void **state)
{
	(void)state;
	cfg = NULL;
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2147483648 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad CSeq");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2147483647 BYE\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 INVITE\r\n\r\n",
	      SIP_REJECT, 400, "CSeq Method Mismatch");
	check("NEWMETHOD sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 INVITE\r\n\r\n",
	      SIP_REJECT, 501, "Not Implemented");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 bye\r\n\r\n",
	      SIP_REJECT, 400, "CSeq Method Mismatch");
	check("SIP/2.0 200 OK\r\n" VIA FROM TO CID "CSeq: 99999999999 INVITE\r\n\r\n", SIP_DROP, 0,
	      "Bad CSeq");
}

static void test_header_syntax(void **state)
{
	(void)state;
	cfg = NULL;
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA "From: Bell, A <sip:a@b>;tag=1\r\n" TO CID
	      "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad From");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM "To: \"open <sip:a@b>\r\n" CID
	      "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad To");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO "Call-ID: a b\r\n"
	      "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad Call-ID");
	check("BYE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;;\r\n" FROM TO CID
	      "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad Via");
	check("REGISTER sip:example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 REGISTER\r\n"
	      "Contact: <sip:a@b>;;\r\n\r\n",
	      SIP_REJECT, 400, "Bad Contact");
	check("REGISTER sip:example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 REGISTER\r\n"
	      "Contact: <sip:a@b>;expires=280297596632815\r\n\r\n",
	      SIP_REJECT, 400, "Bad Contact Expires");
	check("REGISTER sip:example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 REGISTER\r\n"
	      "Expires: 10000000000000\r\n\r\n",
	      SIP_REJECT, 400, "Bad Expires");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 BYE\r\n"
	      "Route: <sip:a@b;lr>,\r\n\r\n",
	      SIP_REJECT, 400, "Bad Route");
	check("INVITE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 INVITE\r\n"
	      "Record-Route: sip:a@b?x=y\r\n\r\n",
	      SIP_REJECT, 400, "Bad Record-Route");
	check("REGISTER sip:example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 2 REGISTER\r\n"
	      "Contact: *\r\nExpires: 0\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
}

static void test_max_forwards(void **state)
{
	static const struct sip_sanity_cfg uas = { .role = SIP_ROLE_UAS };
	(void)state;
	cfg = NULL;
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n"
	      "Max-Forwards: 0\r\n\r\n",
	      SIP_REJECT, 483, "Too Many Hops");
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n"
	      "Max-Forwards: 256\r\n\r\n",
	      SIP_REJECT, 400, "Bad Max-Forwards");
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n"
	      "Max-Forwards: 255\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	/* An endpoint handles Max-Forwards 0 as usual (RFC 4475 3.3.11). */
	cfg = &uas;
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n"
	      "Max-Forwards: 0\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
}

static void test_via_values(void **state)
{
	(void)state;
	cfg = NULL;
	check("BYE sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK\r\n" FROM TO
	      CID "CSeq: 2 BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad Via Branch");
	check("SIP/2.0 200 OK\r\n" VIA "Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1\r\n" FROM
	      TO CID "CSeq: 1 INVITE\r\n\r\n",
	      SIP_DROP, 0, "Broadcast Via");
}

static void test_ruri_scheme_and_headers(void **state)
{
	(void)state;
	cfg = NULL;
	check("OPTIONS mailto:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_REJECT, 416, "Unsupported URI Scheme");
	check("OPTIONS tel:+15551234 SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	check("OPTIONS sips:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	check("OPTIONS sip:bob@example.com?Route=%3Csip:x%3E SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_REJECT, 400, "Headers in Request-URI");
}

static void test_require(void **state)
{
	static const struct sip_str supported[] = { { "path", 4 }, { "outbound", 8 } };
	static const struct sip_sanity_cfg proxy = { .role = SIP_ROLE_PROXY,
						     .supported = supported,
						     .n_supported = 2 };
	static const struct sip_sanity_cfg uas = { .role = SIP_ROLE_UAS,
						   .supported = supported,
						   .n_supported = 2 };
	(void)state;
	const char *msg = "OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
			  "CSeq: 1 OPTIONS\r\nRequire: 100rel\r\n"
			  "Proxy-Require: Path, foo\r\nProxy-Require: bar\r\n\r\n";
	cfg = &proxy;
	check(msg, SIP_REJECT, 420, "Bad Extension");
	assert_int_equal(san.unsupported.count, 2);
	STR_EQ(san.unsupported.tag[0], "foo");
	STR_EQ(san.unsupported.tag[1], "bar");
	cfg = &uas;
	check(msg, SIP_REJECT, 420, "Bad Extension");
	assert_int_equal(san.unsupported.count, 1);
	STR_EQ(san.unsupported.tag[0], "100rel");
	cfg = &proxy;
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 1 OPTIONS\r\nProxy-Require: outbound\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	check("ACK sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID
	      "CSeq: 1 ACK\r\nProxy-Require: foo\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
}

static void test_accept_and_methods(void **state)
{
	static const struct sip_sanity_cfg uas = { .role = SIP_ROLE_UAS,
						   .reject_unknown_methods = true };
	(void)state;
	cfg = NULL;
	check("INVITE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n"
	      "Accept: text/plain\r\n\r\n",
	      SIP_REJECT, 406, "Not Acceptable");
	check("INVITE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 INVITE\r\n"
	      "Accept: text/plain, application/sdp\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	/* A proxy forwards methods it does not know; a UAS answers 501. */
	check("FOO sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 FOO\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	cfg = &uas;
	check("FOO sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 FOO\r\n\r\n",
	      SIP_REJECT, 501, "Not Implemented");
}

static void test_parse_failures_drop(void **state)
{
	(void)state;
	cfg = NULL;
	check("garbage", SIP_DROP, 0, "Malformed Message");
	check("", SIP_DROP, 0, "Malformed Message");
	assert_int_equal(sip_sanity_check(NULL, 0, NULL, &san), -EINVAL);
}

static void test_fault_table(void **state)
{
	(void)state;
	cfg = NULL;
	for (int f = 0; f < SIP_FAULT__COUNT; f++) {
		const char *counter = sip_fault_counter((enum sip_fault)f);
		assert_true(strlen(sip_fault_reason((enum sip_fault)f)) > 0);
		assert_true(strlen(counter) > 0);
		uint16_t st = sip_fault_status((enum sip_fault)f);
		assert_true(st == 0 || (st >= 400 && st <= 599));
		/* Counter names are keys in the stats: unique. */
		for (int g = 0; g < f; g++)
			assert_string_not_equal(counter, sip_fault_counter((enum sip_fault)g));
	}
	assert_string_equal(sip_fault_counter(SIP_FAULT__COUNT), "unknown");
	check("BYE sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1x BYE\r\n\r\n",
	      SIP_REJECT, 400, "Bad CSeq");
	assert_int_equal(san.fault, SIP_FAULT_BAD_CSEQ);
	check("garbage", SIP_DROP, 0, NULL);
	assert_int_equal(san.fault, SIP_FAULT_MALFORMED);
	check("OPTIONS sip:bob@example.com SIP/2.0\r\n" VIA FROM TO CID "CSeq: 1 OPTIONS\r\n\r\n",
	      SIP_ACCEPT, 0, NULL);
	assert_int_equal(san.fault, SIP_FAULT_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sound_request),
		cmocka_unit_test(test_start_line_and_version),
		cmocka_unit_test(test_mandatory_and_duplicates),
		cmocka_unit_test(test_content_length),
		cmocka_unit_test(test_cseq),
		cmocka_unit_test(test_header_syntax),
		cmocka_unit_test(test_max_forwards),
		cmocka_unit_test(test_via_values),
		cmocka_unit_test(test_ruri_scheme_and_headers),
		cmocka_unit_test(test_require),
		cmocka_unit_test(test_accept_and_methods),
		cmocka_unit_test(test_parse_failures_drop),
		cmocka_unit_test(test_fault_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
