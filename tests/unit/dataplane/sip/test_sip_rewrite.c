/* Rewrite primitives of the edge proxy, each on its own and combined in one pass. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "sip_msg.h"
#include "sip_rewrite.h"
#include "sip_test_files.h"
#include "sip_test_str.h"

static struct sip_msg m, m2;
static struct sip_rw_plan plan;
static char out[8192];

static void load(const char *msg)
{
	assert_int_equal(sip_msg_parse(&m, msg, strlen(msg)), 0);
	assert_int_equal(sip_rw_init(&plan, &m), 0);
}

static void expect(const char *want)
{
	int n = sip_rw_apply(&plan, out, sizeof(out) - 1);
	assert_true(n >= 0);
	out[n] = '\0';
	assert_string_equal(out, want);
	/* Whatever we forward must parse again. */
	assert_int_equal(sip_msg_parse(&m2, out, (size_t)n), 0);
}

#define REQ_HEAD "INVITE sip:bob@example.com SIP/2.0\r\n"
#define VIA1 "Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKa1;rport\r\n"
#define REST "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n" \
	     "Call-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 4\r\n\r\nbody"

static void test_insert_top_via_and_received(void **state)
{
	struct sip_str host = SLICE("198.51.100.1"), branch = SLICE("z9hG4bKbugle1");
	struct sip_str src = SLICE("203.0.113.9");
	(void)state;

	load(REQ_HEAD VIA1 "Max-Forwards: 70\r\n" REST);
	assert_int_equal(sip_rw_insert_top_via(&plan, "UDP", &host, 5060, &branch, true), 0);
	assert_int_equal(sip_rw_top_via_received(&plan, &src, 31000), 0);
	expect(REQ_HEAD "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKbugle1;rport\r\n"
			"Via: SIP/2.0/UDP 10.0.0.5:5062;branch=z9hG4bKa1;rport=31000"
			";received=203.0.113.9\r\n"
			"Max-Forwards: 70\r\n" REST);

	/* An existing received is replaced; no rport asked, none added. */
	load(REQ_HEAD "Via: SIP/2.0/UDP h;received=1.1.1.1;branch=z9hG4bKx, SIP/2.0/UDP g\r\n" REST);
	assert_int_equal(sip_rw_top_via_received(&plan, &src, 31000), 0);
	expect(REQ_HEAD "Via: SIP/2.0/UDP h;received=203.0.113.9;branch=z9hG4bKx, SIP/2.0/UDP g\r\n"
			REST);
}

static void test_remove_top_via(void **state)
{
	(void)state;
	load("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP us;branch=z9hG4bK1\r\n"
	     "Via: SIP/2.0/UDP them;branch=z9hG4bK2\r\nCSeq: 1 INVITE\r\n\r\n");
	assert_int_equal(sip_rw_remove_top_via(&plan), 0);
	expect("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP them;branch=z9hG4bK2\r\nCSeq: 1 INVITE\r\n\r\n");

	load("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP us;branch=z9hG4bK1 ,  SIP/2.0/UDP them\r\n"
	     "CSeq: 1 INVITE\r\n\r\n");
	assert_int_equal(sip_rw_remove_top_via(&plan), 0);
	expect("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP them\r\nCSeq: 1 INVITE\r\n\r\n");

	load("SIP/2.0 200 OK\r\nCSeq: 1 INVITE\r\n\r\n");
	assert_int_equal(sip_rw_remove_top_via(&plan), -ENOENT);
}

static void test_max_forwards(void **state)
{
	(void)state;
	load(REQ_HEAD VIA1 "Max-Forwards: 0070\r\n" REST);
	assert_int_equal(sip_rw_decrement_max_forwards(&plan), 0);
	expect(REQ_HEAD VIA1 "Max-Forwards: 69\r\n" REST);

	load(REQ_HEAD VIA1 REST);
	assert_int_equal(sip_rw_decrement_max_forwards(&plan), 0);
	expect(REQ_HEAD VIA1 "From: <sip:a@example.com>;tag=1\r\nTo: <sip:bob@example.com>\r\n"
			     "Call-ID: c1\r\nCSeq: 1 INVITE\r\nContent-Length: 4\r\n"
			     "Max-Forwards: 69\r\n\r\nbody");

	load(REQ_HEAD VIA1 "Max-Forwards: 0\r\n" REST);
	assert_int_equal(sip_rw_decrement_max_forwards(&plan), -ERANGE);
	load(REQ_HEAD VIA1 "Max-Forwards: x\r\n" REST);
	assert_int_equal(sip_rw_decrement_max_forwards(&plan), -EBADMSG);
}

static void test_record_route(void **state)
{
	struct sip_str rr = SLICE("sip:198.51.100.1;lr");
	(void)state;

	load(REQ_HEAD VIA1 "Record-Route: <sip:p2.example.com;lr>\r\n" REST);
	assert_int_equal(sip_rw_insert_record_route(&plan, &rr), 0);
	expect(REQ_HEAD VIA1 "Record-Route: <sip:198.51.100.1;lr>\r\n"
			     "Record-Route: <sip:p2.example.com;lr>\r\n" REST);
	assert_int_equal(sip_msg_parse_record_route(&m2), 0);
	assert_int_equal(m2.n_rr, 2);
}

static void test_remove_own_route(void **state)
{
	struct sip_str us = SLICE("Edge.Example.com");
	(void)state;

	load(REQ_HEAD VIA1 "Route: <sip:edge.example.com;lr>\r\nRoute: <sip:cp1.internal;lr>\r\n"
			  REST);
	assert_int_equal(sip_rw_remove_own_route(&plan, &us, 5060), 0);
	expect(REQ_HEAD VIA1 "Route: <sip:cp1.internal;lr>\r\n" REST);

	load(REQ_HEAD VIA1 "Route: <sip:edge.example.com:5060;lr>, <sip:cp1.internal;lr>\r\n" REST);
	assert_int_equal(sip_rw_remove_own_route(&plan, &us, 0), 0);
	expect(REQ_HEAD VIA1 "Route: <sip:cp1.internal;lr>\r\n" REST);

	/* Last value on a line with others before it is never "first", but ports differ here. */
	load(REQ_HEAD VIA1 "Route: <sip:edge.example.com:5070;lr>\r\n" REST);
	assert_int_equal(sip_rw_remove_own_route(&plan, &us, 5060), -ENOENT);
	load(REQ_HEAD VIA1 "Route: <sip:other.example.com;lr>\r\n" REST);
	assert_int_equal(sip_rw_remove_own_route(&plan, &us, 5060), -ENOENT);
	load(REQ_HEAD VIA1 REST);
	assert_int_equal(sip_rw_remove_own_route(&plan, &us, 5060), -ENOENT);
}

static void test_strip_ruri_headers(void **state)
{
	static char buf[4096];
	size_t len;
	(void)state;

	assert_int_equal(sip_test_read("rfc4475/escruri.dat", buf, sizeof(buf), &len), 0);
	assert_int_equal(sip_msg_parse(&m, buf, len), 0);
	assert_int_equal(sip_rw_init(&plan, &m), 0);
	assert_int_equal(sip_rw_strip_ruri_headers(&plan), 0);
	int n = sip_rw_apply(&plan, out, sizeof(out));
	assert_int_equal(n, (int)len - (int)strlen("?Route=%3Csip:example.com%3E"));
	assert_memory_equal(out, "INVITE sip:user@example.com SIP/2.0\r\n", 37);
	assert_memory_equal(out + 37, buf + 37 + 28, len - 37 - 28);

	load(REQ_HEAD VIA1 REST);
	assert_int_equal(sip_rw_strip_ruri_headers(&plan), -ENOENT);
}

static void test_trailing_bytes_not_forwarded(void **state)
{
	static char buf[4096];
	size_t len;
	(void)state;

	assert_int_equal(sip_test_read("rfc4475/dblreq.dat", buf, sizeof(buf), &len), 0);
	assert_int_equal(sip_msg_parse(&m, buf, len), 0);
	assert_int_equal(sip_rw_init(&plan, &m), 0);
	int n = sip_rw_apply(&plan, out, sizeof(out));
	assert_int_equal(n, (int)m.len);
	assert_true(m.len < len);
	assert_null(memmem(out, (size_t)n, "INVITE", 6));
}

static void test_limits(void **state)
{
	struct sip_str host = SLICE("h"), branch = SLICE("z9hG4bK1");
	int rc = 0;
	(void)state;

	load(REQ_HEAD VIA1 "Max-Forwards: 70\r\n" REST);
	for (int i = 0; i < SIP_RW_MAX_EDITS && rc == 0; i++)
		rc = sip_rw_insert_top_via(&plan, "UDP", &host, 0, &branch, false);
	assert_int_equal(rc, 0);
	assert_int_equal(sip_rw_insert_top_via(&plan, "UDP", &host, 0, &branch, false), -ENOSPC);
	assert_int_equal(sip_rw_apply(&plan, out, 10), -ENOSPC);

	/* Overlapping edits are refused. */
	struct sip_str src = SLICE("1.2.3.4");
	load(REQ_HEAD VIA1 REST);
	assert_int_equal(sip_rw_top_via_received(&plan, &src, 0), 0);
	assert_int_equal(sip_rw_remove_top_via(&plan), 0);
	assert_int_equal(sip_rw_apply(&plan, out, sizeof(out)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_top_via_and_received),
		cmocka_unit_test(test_remove_top_via),
		cmocka_unit_test(test_max_forwards),
		cmocka_unit_test(test_record_route),
		cmocka_unit_test(test_remove_own_route),
		cmocka_unit_test(test_strip_ruri_headers),
		cmocka_unit_test(test_trailing_bytes_not_forwarded),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
