/* Bad requests from the public side get the stateless reply the sanity check names, byte for
 * byte, and every message of RFC 4475 through the public request path gets the reaction its
 * index allows for a proxy (and never a crash). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "edge_test_env.h"
#include "sip_msg.h"
#include "sip_reply.h"
#include "sip_test_files.h"

/* The To tag a stateless reply derives from the request (tested in the SIP library). */
static void to_tag_of(const char *req, char tag[17])
{
	static struct sip_msg m;
	assert_int_equal(sip_msg_parse(&m, req, strlen(req)), 0);
	sip_reply_to_tag(&m, tag);
	tag[16] = '\0';
}

static void test_cseq_mismatch_reply_bytes(void **state)
{
	struct edge_env *e = *state;
	static const char req[] =
		"OPTIONS sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKbad1;rport\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@example.com>;tag=a9\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: bad-1@10.0.0.5\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	char tag[17], want[1024];

	to_tag_of(req, tag);
	snprintf(want, sizeof(want),
		 "SIP/2.0 400 CSeq Method Mismatch\r\n"
		 "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKbad1;rport=5070;received=203.0.113.5\r\n"
		 "From: <sip:alice@example.com>;tag=a9\r\n"
		 "To: <sip:bob@example.com>;tag=%s\r\n"
		 "Call-ID: bad-1@10.0.0.5\r\n"
		 "CSeq: 1 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n",
		 tag);
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, req), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 0, T_PHONE_IP, T_PHONE_PORT);
	assert_string_equal(edge_env_out(e), want);
	assert_int_equal(edge_env_counter(e, EDGE_C_sanity_replied), 1);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_control), 0);
	assert_int_equal(atomic_load(&e->w.fault[SIP_FAULT_CSEQ_MISMATCH]), 1);
}

/* 420 names the extensions it does not support (RFC 3261 8.2.2.3). */
static void test_bad_extension_lists_unsupported(void **state)
{
	struct edge_env *e = *state;
	static const char req[] =
		"INVITE sip:bob@example.com SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKbad2\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@example.com>;tag=a9\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: bad-2@10.0.0.5\r\n"
		"CSeq: 1 INVITE\r\n"
		"Proxy-Require: nonsense-ext\r\n"
		"Content-Length: 0\r\n\r\n";
	char v[128];

	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, req), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 0);
	assert_int_equal(e->parsed.status, 420);
	assert_int_equal(edge_env_header(e, "Unsupported", v, sizeof(v)), 0);
	assert_string_equal(v, "nonsense-ext");
	/* No rport asked: received only, sent to the source address and port. */
	assert_int_equal(e->act.dst_port, T_PHONE_PORT);
}

/* A bad response is dropped on either side, counted under its fault. */
static void test_bad_response_dropped(void **state)
{
	struct edge_env *e = *state;
	static const char resp[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKbgtxyz\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"Call-ID: x@y\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, resp), EDGE_ACT_DROP);
	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, resp), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_sanity_dropped), 2);
	assert_int_equal(atomic_load(&e->w.fault[SIP_FAULT_MISSING_TO]), 2);
	/* Not SIP at all. */
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, "\x16\x03\x01hello"),
			 EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_parse_dropped), 1);
}

/* Whether one alternative of INDEX.tsv's "expected" column ("process", "400", "proxy:483",
 * "UAS:501") allows what the edge did; alternatives for other roles allow nothing. */
static bool alternative_allows(const char *alt, size_t n, struct edge_env *e, bool request)
{
	const char *colon = memchr(alt, ':', n);

	if (colon) {
		if ((size_t)(colon - alt) != 5 || strncmp(alt, "proxy", 5) != 0)
			return false;
		n -= (size_t)(colon + 1 - alt);
		alt = colon + 1;
	}
	bool sent = e->act.kind == EDGE_ACT_SEND;
	if ((n == 7 && !strncmp(alt, "process", 7)) || (n == 6 && !strncmp(alt, "accept", 6)) ||
	    (n == 25 && !strncmp(alt, "process-first-ignore-rest", 25)))
		/* A request goes to a control plane; a response not answering our Via is
		 * dropped (nothing on the public side may address the control planes). */
		return request ? sent && e->act.side == 1 : !sent;
	if (n == 4 && !strncmp(alt, "drop", 4))
		return !sent;
	if (n == 3 && !strncmp(alt, "n/a", 3))
		return true;
	if (n == 3 && alt[0] >= '1' && alt[0] <= '6')
		return sent && e->act.side == 0 && e->parsed.type == SIP_RESPONSE &&
		       e->parsed.status == (uint16_t)atoi(alt);
	fail_msg("unknown expectation '%.*s'", (int)n, alt);
	return false;
}

static bool expected_allows(const char *exp, struct edge_env *e, bool request)
{
	bool ok = false;

	for (const char *p = exp;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		ok |= alternative_allows(p, n, e, request);
		if (!bar)
			return ok;
		p = bar + 1;
	}
}

static void test_rfc4475_through_public_path(void **state)
{
	struct edge_env *e = *state;
	static char index[65537], msg[65536];
	size_t ilen, rows = 0, forwarded = 0, replied = 0;

	assert_int_equal(sip_test_read("rfc4475/INDEX.tsv", index, sizeof(index) - 1, &ilen), 0);
	index[ilen] = '\0';
	char *save = NULL, *line = strtok_r(index, "\n", &save);
	assert_non_null(line); /* header row */
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *cols[5], *c = line;
		for (int i = 0; i < 5; i++) {
			cols[i] = c;
			char *tab = strchr(c, '\t');
			assert_non_null(tab);
			*tab = '\0';
			c = tab + 1;
		}
		char rel[256];
		size_t len;
		snprintf(rel, sizeof(rel), "rfc4475/%s", cols[0]);
		assert_int_equal(sip_test_read(rel, msg, sizeof(msg), &len), 0);
		bool request = len > 4 && memcmp(msg, "SIP/", 4) != 0;
		/* Each from its own source: the filter judges sources, not this test. */
		edge_env_run_len(e, 0, T_PHONE_IP + (uint32_t)rows, 5060, msg, len);
		if (!expected_allows(cols[4], e, request))
			fail_msg("%s: expected %s, got kind %d side %d status %d", cols[0], cols[4],
				 e->act.kind, e->act.side, e->parsed.status);
		forwarded += e->act.kind == EDGE_ACT_SEND && e->act.side == 1;
		replied += e->act.kind == EDGE_ACT_SEND && e->act.side == 0;
		rows++;
	}
	assert_int_equal(rows, 50);
	/* The set holds both kinds: a harness that forwarded or refused everything would fail. */
	assert_true(forwarded >= 10);
	assert_true(replied >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EDGE_ENV_TEST(test_cseq_mismatch_reply_bytes),
		EDGE_ENV_TEST(test_bad_extension_lists_unsupported),
		EDGE_ENV_TEST(test_bad_response_dropped),
		EDGE_ENV_TEST(test_rfc4475_through_public_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
