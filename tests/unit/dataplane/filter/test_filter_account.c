/* Per-account CPS limits pushed by the control plane. */
#include "filter-test.h"

#include <stdio.h>

static struct flt *account_filter(uint32_t accounts)
{
	struct flt_config cfg;
	struct flt_policy p;
	struct flt *f;

	test_policy_open(&p);
	flt_config_defaults(&cfg);
	cfg.hash_seed = 21;
	if (accounts)
		cfg.accounts = accounts;
	f = flt_create(&cfg, &p);
	assert_non_null(f);
	return f;
}

static enum flt_verdict invite(struct flt *f, uint64_t now, const char *acct, size_t len)
{
	return flt_check(f, now, IP4(192, 0, 2, 70), FLT_METHOD_INVITE, NULL, 0, acct, len);
}

static void cps_limit_per_account(void **state)
{
	struct flt *f = account_filter(0);
	/* The id arrives as a slice of a longer buffer. */
	const char buf[] = "acct-a;acct-b";
	int accepted = 0;

	(void)state;
	assert_int_equal(flt_account_limit_set(f, T0, buf, 6, 3), 0);
	for (int i = 0; i < 5; i++)
		accepted += invite(f, T0, buf, 6) == FLT_ACCEPT;
	assert_int_equal(accepted, 3);
	assert_int_equal(test_counter(f, FLT_C_account_cps), 2);
	/* An account without a limit and a request without an account are not limited. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(invite(f, T0, buf + 7, 6), FLT_ACCEPT);
		assert_int_equal(invite(f, T0, NULL, 0), FLT_ACCEPT);
	}
	/* Only INVITEs count against the CPS limit. */
	assert_int_equal(flt_check(f, T0, IP4(192, 0, 2, 70), FLT_METHOD_REGISTER, NULL, 0, buf, 6),
			 FLT_ACCEPT);
	/* 3 CPS: one call every 333.3 ms. */
	assert_int_equal(invite(f, T0 + MS(333), buf, 6), FLT_DROP);
	assert_int_equal(invite(f, T0 + MS(334), buf, 6), FLT_ACCEPT);
	assert_int_equal(invite(f, T0 + MS(334), buf, 6), FLT_DROP);
	/* Raising the limit keeps the bucket's level but refills faster and holds more. */
	assert_int_equal(flt_account_limit_set(f, T0, buf, 6, 10), 0);
	assert_int_equal(invite(f, T0 + MS(434), buf, 6), FLT_ACCEPT);
	/* After a long pause the bucket holds one second's worth: 10 calls, not more. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(invite(f, T0 + SEC(20), buf, 6), FLT_ACCEPT);
	assert_int_equal(invite(f, T0 + SEC(20), buf, 6), FLT_DROP);
	/* Removal lifts the limit. */
	assert_int_equal(flt_account_limit_remove(f, buf, 6), 0);
	assert_int_equal(flt_account_limit_remove(f, buf, 6), -ENOENT);
	for (int i = 0; i < 20; i++)
		assert_int_equal(invite(f, T0 + SEC(20), buf, 6), FLT_ACCEPT);
	flt_destroy(f);
}

static void bad_arguments_rejected(void **state)
{
	struct flt *f = account_filter(0);
	char longid[FLT_ACCOUNT_ID_MAX + 1];

	(void)state;
	memset(longid, 'a', sizeof(longid));
	assert_int_equal(flt_account_limit_set(f, T0, "x", 1, 0), -EINVAL);
	assert_int_equal(flt_account_limit_set(f, T0, "x", 0, 5), -EINVAL);
	assert_int_equal(flt_account_limit_set(f, T0, longid, sizeof(longid), 5), -EINVAL);
	assert_int_equal(flt_account_limit_set(f, T0, longid, FLT_ACCOUNT_ID_MAX, 1), 0);
	assert_int_equal(invite(f, T0, longid, FLT_ACCOUNT_ID_MAX), FLT_ACCEPT);
	assert_int_equal(invite(f, T0, longid, FLT_ACCOUNT_ID_MAX), FLT_DROP);
	/* A longer id is another account (and could never have a limit). */
	assert_int_equal(invite(f, T0, longid, sizeof(longid)), FLT_ACCEPT);
	assert_int_equal(flt_account_limit_set(f, T0, "x", 1, FLT_RATE_MAX + 1), -EINVAL);
	flt_destroy(f);
}

static void table_fills_and_deletes_keep_others_reachable(void **state)
{
	/* 64 slots, at most 48 accounts. */
	struct flt *f = account_filter(64);
	char id[16];
	int n;

	(void)state;
	for (int i = 0; i < 48; i++) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), 0);
	}
	n = snprintf(id, sizeof(id), "account-%d", 48);
	assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), -ENOSPC);
	/* Remove every third; the rest must still be found (deletion must not break probes). */
	for (int i = 0; i < 48; i += 3) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(flt_account_limit_remove(f, id, (size_t)n), 0);
	}
	for (int i = 0; i < 48; i++) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(invite(f, T0, id, (size_t)n), FLT_ACCEPT);
		/* Limited accounts (1 CPS) refuse the second call; removed ones accept it. */
		assert_int_equal(invite(f, T0, id, (size_t)n), i % 3 == 0 ? FLT_ACCEPT : FLT_DROP);
	}
	/* Freed room is usable again. */
	n = snprintf(id, sizeof(id), "account-%d", 48);
	assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), 0);
	flt_destroy(f);
}

static void clear_forgets_every_limit(void **state)
{
	/* 64 slots: a full table, cleared, takes a full set again. */
	struct flt *f = account_filter(64);
	char id[16];
	int n;

	(void)state;
	for (int i = 0; i < 48; i++) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), 0);
		assert_int_equal(invite(f, T0, id, (size_t)n), FLT_ACCEPT);
		assert_int_equal(invite(f, T0, id, (size_t)n), FLT_DROP);
	}
	flt_account_limit_clear(f);
	for (int i = 0; i < 48; i++) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(invite(f, T0, id, (size_t)n), FLT_ACCEPT);
		assert_int_equal(flt_account_limit_remove(f, id, (size_t)n), -ENOENT);
	}
	for (int i = 100; i < 148; i++) {
		n = snprintf(id, sizeof(id), "account-%d", i);
		assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), 0);
	}
	n = snprintf(id, sizeof(id), "account-%d", 1);
	assert_int_equal(flt_account_limit_set(f, T0, id, (size_t)n, 1), -ENOSPC);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cps_limit_per_account),
		cmocka_unit_test(bad_arguments_rejected),
		cmocka_unit_test(table_fills_and_deletes_keep_others_reachable),
		cmocka_unit_test(clear_forgets_every_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
