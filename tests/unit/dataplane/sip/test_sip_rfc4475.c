/* Every message of RFC 4475 (INDEX.tsv in ${BUGLE_TESTDATA}/rfc4475) gets a reaction that the
 * index allows for the edge-proxy role; rejected requests get a reply that parses back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sip_msg.h"
#include "sip_reply.h"
#include "sip_rewrite.h"
#include "sip_sanity.h"
#include "sip_test_files.h"

#define INDEX_CAP 65536
#define MSG_CAP 65536

struct outcome {
	uint8_t verdict;
	uint16_t status;
};

/* Whether one alternative of the "expected" column ("process", "400", "proxy:483", ...)
 * allows the outcome for the proxy role. Alternatives for other roles allow nothing. */
static int alternative_allows(const char *alt, size_t n, const struct outcome *o,
			      int *first_rest)
{
	const char *colon = memchr(alt, ':', n);

	if (colon) {
		if ((size_t)(colon - alt) != 5 || strncmp(alt, "proxy", 5) != 0)
			return 0;
		n -= (size_t)(colon + 1 - alt);
		alt = colon + 1;
	}
	if ((n == 7 && !strncmp(alt, "process", 7)) || (n == 6 && !strncmp(alt, "accept", 6)))
		return o->verdict == SIP_ACCEPT;
	if (n == 25 && !strncmp(alt, "process-first-ignore-rest", 25)) {
		*first_rest = 1;
		return o->verdict == SIP_ACCEPT;
	}
	if (n == 4 && !strncmp(alt, "drop", 4))
		return o->verdict == SIP_DROP;
	if (n == 3 && !strncmp(alt, "n/a", 3))
		return 1; /* anything but a crash */
	if (n == 3 && alt[0] >= '1' && alt[0] <= '6')
		return o->verdict == SIP_REJECT && o->status == (uint16_t)atoi(alt);
	fail_msg("unknown expectation '%.*s'", (int)n, alt);
	return 0;
}

static int expected_allows(const char *exp, const struct outcome *o, int *first_rest)
{
	int ok = 0;

	for (const char *p = exp;;) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		ok |= alternative_allows(p, n, o, first_rest);
		if (!bar)
			return ok;
		p = bar + 1;
	}
}

/* A reply to a rejected request must itself be a sound response with the same code. */
static void check_reply(struct sip_msg *req, const struct sip_sanity *san, const char *file)
{
	static struct sip_msg resp;
	char out[8192];
	struct sip_reply_opts opts = { .unsupported = &san->unsupported };
	int n = sip_reply_build(req, san->status, san->reason, &opts, out, sizeof(out));

	if (n < 0)
		fail_msg("%s: reply build failed: %d", file, n);
	assert_int_equal(sip_msg_parse(&resp, out, (size_t)n), 0);
	assert_int_equal(resp.type, SIP_RESPONSE);
	assert_int_equal(resp.status, san->status);
	assert_int_equal(resp.len, (uint32_t)n);
	assert_int_equal(resp.count[SIP_HDR_VIA], req->count[SIP_HDR_VIA]);
}

/* An accepted request goes through the edge proxy's rewrites and must still be accepted. */
static void check_forward(struct sip_msg *req, const char *file)
{
	static struct sip_msg fwd;
	static char out[SIP_MAX_MSG_LEN];
	struct sip_rw_plan plan;
	struct sip_str host = { "198.51.100.1", 12 }, branch = { "z9hG4bKtest1", 12 };
	struct sip_str src = { "203.0.113.5", 11 }, rr = { "sip:198.51.100.1;lr", 19 };
	struct sip_sanity san;

	assert_int_equal(sip_rw_init(&plan, req), 0);
	assert_int_equal(sip_rw_top_via_received(&plan, &src, 5070), 0);
	assert_int_equal(sip_rw_insert_top_via(&plan, "UDP", &host, 5060, &branch, true), 0);
	assert_int_equal(sip_rw_decrement_max_forwards(&plan), 0);
	assert_int_equal(sip_rw_insert_record_route(&plan, &rr), 0);
	int n = sip_rw_apply(&plan, out, sizeof(out));
	if (n < 0)
		fail_msg("%s: rewrite failed: %d", file, n);
	assert_int_equal(sip_msg_parse(&fwd, out, (size_t)n), 0);
	assert_int_equal(sip_sanity_check(&fwd, 0, NULL, &san), 0);
	if (san.verdict != SIP_ACCEPT)
		fail_msg("%s: forwarded copy refused: %s", file, san.reason);
	assert_int_equal(fwd.n_via, req->n_via + 1);
	assert_memory_equal(fwd.via[0].branch.s, "z9hG4bKtest1", 12);
	assert_memory_equal(fwd.via[1].received.s, "203.0.113.5", 11);
	assert_int_equal(fwd.max_forwards,
			 req->first[SIP_HDR_MAX_FORWARDS] != SIP_HDR_NONE ? req->max_forwards - 1 : 69);
	assert_int_equal(fwd.body.len, req->body.len);
	assert_memory_equal(fwd.body.s, req->body.s, req->body.len);
}

static void test_rfc4475_index(void **state)
{
	static char index[INDEX_CAP + 1];
	static char msgbuf[MSG_CAP];
	static struct sip_msg m;
	size_t ilen, rows = 0, rfc_rows = 0;
	(void)state;

	assert_int_equal(sip_test_read("rfc4475/INDEX.tsv", index, INDEX_CAP, &ilen), 0);
	index[ilen] = '\0';
	char *save = NULL, *line = strtok_r(index, "\n", &save);
	assert_non_null(line); /* header row */
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *cols[6], *c = line;
		for (int i = 0; i < 6; i++) {
			cols[i] = c;
			char *tab = strchr(c, '\t');
			if (i < 5) {
				assert_non_null(tab);
				*tab = '\0';
				c = tab + 1;
			}
		}
		char rel[256];
		size_t len;
		snprintf(rel, sizeof(rel), "rfc4475/%s", cols[0]);
		assert_int_equal(sip_test_read(rel, msgbuf, sizeof(msgbuf), &len), 0);

		struct sip_sanity san;
		int prc = sip_msg_parse(&m, msgbuf, len);
		assert_int_equal(sip_sanity_check(&m, prc, NULL, &san), 0);
		struct outcome o = { san.verdict, san.status };
		int first_rest = 0;
		if (!expected_allows(cols[4], &o, &first_rest))
			fail_msg("%s: expected %s, got verdict %d status %d (%s)", cols[0], cols[4],
				 san.verdict, san.status, san.reason ? san.reason : "-");
		if (first_rest) {
			/* The message ends at its Content-Length; the rest is noise. */
			assert_true(m.flags & SIP_F_TRAILING);
			assert_int_equal(m.len, (m.body.s - msgbuf) + m.content_length);
			assert_true(m.len < len);
		}
		if (san.verdict == SIP_REJECT)
			check_reply(&m, &san, cols[0]);
		if (san.verdict == SIP_ACCEPT && m.type == SIP_REQUEST)
			check_forward(&m, cols[0]);
		rows++;
		if (strcmp(cols[3], "extra") != 0)
			rfc_rows++;
	}
	assert_int_equal(rfc_rows, 49);
	assert_int_equal(rows, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc4475_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
