/* Per-account CPS at the edge: the realm -> account table, and INVITEs counted against the
 * account their From (else To) host belongs to, whatever source they come from. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edge_realm.h"
#include "edge_test_env.h"
#include "flt-control.h"
#include "flt-counters.h"

static void test_realm_table(void **state)
{
	struct edge_realms *t = edge_realms_create(64);
	struct sip_str acct;
	char realm[32], id[32];
	(void)state;

	assert_non_null(t);
	assert_null(edge_realms_create(12));
	assert_int_equal(edge_realms_set(t, "Acme.Example", 12, "acct-1", 6), 0);
	assert_int_equal(edge_realms_lookup(t, "acme.EXAMPLE", 12, &acct), 0);
	assert_int_equal(acct.len, 6);
	assert_memory_equal(acct.s, "acct-1", 6);
	/* Replacing keeps one entry. */
	assert_int_equal(edge_realms_set(t, "acme.example", 12, "acct-2", 6), 0);
	assert_int_equal(edge_realms_count(t), 1);
	assert_int_equal(edge_realms_lookup(t, "acme.example", 12, &acct), 0);
	assert_memory_equal(acct.s, "acct-2", 6);
	assert_int_equal(edge_realms_lookup(t, "acme.exampl", 11, &acct), -ENOENT);
	assert_int_equal(edge_realms_set(t, "", 0, "a", 1), -EINVAL);
	assert_int_equal(edge_realms_set(t, "r", 1, "", 0), -EINVAL);
	char long_id[FLT_ACCOUNT_ID_MAX + 2];
	memset(long_id, 'a', sizeof(long_id));
	assert_int_equal(edge_realms_set(t, "r", 1, long_id, sizeof(long_id)), -EINVAL);
	assert_int_equal(edge_realms_remove(t, "acme.example", 12), 0);
	assert_int_equal(edge_realms_remove(t, "acme.example", 12), -ENOENT);

	/* Fill to 3/4, then one more is refused; removing every other one leaves the rest
	 * reachable (the probe runs are repaired on removal). */
	for (int i = 0; i < 48; i++) {
		int rl = snprintf(realm, sizeof(realm), "r%d.example", i);
		int il = snprintf(id, sizeof(id), "id-%d", i);
		assert_int_equal(edge_realms_set(t, realm, (size_t)rl, id, (size_t)il), 0);
	}
	assert_int_equal(edge_realms_set(t, "one.more", 8, "x", 1), -ENOSPC);
	for (int i = 0; i < 48; i += 2) {
		int rl = snprintf(realm, sizeof(realm), "r%d.example", i);
		assert_int_equal(edge_realms_remove(t, realm, (size_t)rl), 0);
	}
	assert_int_equal(edge_realms_count(t), 24);
	for (int i = 0; i < 48; i++) {
		int rl = snprintf(realm, sizeof(realm), "r%d.example", i);
		int il = snprintf(id, sizeof(id), "id-%d", i);
		int rc = edge_realms_lookup(t, realm, (size_t)rl, &acct);
		if (i % 2) {
			assert_int_equal(rc, 0);
			assert_int_equal(acct.len, (uint32_t)il);
			assert_memory_equal(acct.s, id, (size_t)il);
		} else {
			assert_int_equal(rc, -ENOENT);
		}
	}
	/* Clearing forgets them all and leaves the whole table usable. */
	edge_realms_clear(t);
	assert_int_equal(edge_realms_count(t), 0);
	for (int i = 0; i < 48; i++) {
		int rl = snprintf(realm, sizeof(realm), "r%d.example", i);
		assert_int_equal(edge_realms_lookup(t, realm, (size_t)rl, &acct), -ENOENT);
		assert_int_equal(edge_realms_set(t, realm, (size_t)rl, "z", 1), 0);
	}
	assert_int_equal(edge_realms_count(t), 48);
	edge_realms_destroy(t);
}

static const char INVITE_FMT[] =
	"INVITE sip:@@ SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKcps\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@acme.example>;tag=a\r\n"
	"To: <sip:@@>\r\n"
	"Call-ID: cps@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Content-Length: 0\r\n\r\n";

static uint64_t flt_counter(struct edge_env *e, enum flt_counter c)
{
	uint64_t v[FLT_COUNTER_COUNT];
	flt_counters_read(e->flt, v);
	return v[c];
}

static void test_invites_limited_per_account(void **state)
{
	struct edge_env *e = edge_env_new(2);
	char msg[1024];
	(void)state;

	e->w.realms = edge_realms_create(16);
	assert_non_null(e->w.realms);
	assert_int_equal(edge_realms_set(e->w.realms, "acme.example", 12, "acct-acme", 9), 0);
	assert_int_equal(edge_realms_set(e->w.realms, "beta.example", 12, "acct-beta", 9), 0);
	assert_int_equal(flt_account_limit_set(e->flt, e->now_ns, "acct-acme", 9, 3), 0);
	assert_int_equal(flt_account_limit_set(e->flt, e->now_ns, "acct-beta", 9, 1), 0);

	/* Three INVITEs of acme from three phones in the same instant pass, the fourth is
	 * dropped: the limit is the account's, not a source's. */
	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "bob@example.net");
	for (uint32_t i = 0; i < 4; i++)
		edge_env_run(e, 0, T_PHONE_IP + i, 5060, msg);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_control), 3);
	assert_int_equal(edge_env_counter(e, EDGE_C_filter_dropped), 1);
	assert_int_equal(flt_counter(e, FLT_C_account_cps), 1);

	/* Not INVITEs: no account limit. */
	static const char options[] =
		"OPTIONS sip:bob@example.net SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKcpso\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@acme.example>;tag=a\r\n"
		"To: <sip:bob@example.net>\r\n"
		"Call-ID: cpso@10.0.0.5\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, 5060, options), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);

	/* A From host no account owns: the To host's account counts (beta, 1 per second). */
	static const char from_unknown[] =
		"INVITE sip:carol@beta.example SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKcpsb\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:carrier@203.0.113.50>;tag=c\r\n"
		"To: <sip:carol@BETA.example>\r\n"
		"Call-ID: cpsb@10.0.0.5\r\n"
		"CSeq: 1 INVITE\r\n"
		"Content-Length: 0\r\n\r\n";
	assert_int_equal(edge_env_run(e, 0, 0xCB007132u, 5060, from_unknown), EDGE_ACT_SEND);
	assert_int_equal(edge_env_run(e, 0, 0xCB007132u, 5060, from_unknown), EDGE_ACT_DROP);
	assert_int_equal(flt_counter(e, FLT_C_account_cps), 2);

	/* Neither host mapped: no account, never limited by one. */
	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "bob@example.net");
	char *from = strstr(msg, "acme.example");
	memcpy(from, "zeta", 4);
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(edge_env_run(e, 0, T_PHONE_IP + 10 + i, 5060, msg), EDGE_ACT_SEND);
		assert_int_equal(e->act.side, 1);
	}

	/* A second later acme's bucket has refilled. */
	e->now_ns += 1000000000ull;
	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "bob@example.net");
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP + 20, 5060, msg), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);

	edge_realms_destroy(e->w.realms);
	edge_env_free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_realm_table),
		cmocka_unit_test(test_invites_limited_per_account),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
