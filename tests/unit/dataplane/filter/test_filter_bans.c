/* The ban table: add, remove, list with seconds left, expiry on lookup and by the sweep. */
#include "filter-test.h"

static struct flt *open_filter(uint32_t bans, uint32_t sweep_slots)
{
	struct flt_config cfg;
	struct flt_policy p;
	struct flt *f;

	test_policy_open(&p);
	flt_config_defaults(&cfg);
	cfg.hash_seed = 11;
	if (bans)
		cfg.bans = bans;
	if (sweep_slots)
		cfg.sweep_slots = sweep_slots;
	f = flt_create(&cfg, &p);
	assert_non_null(f);
	return f;
}

static void ban_drops_until_expiry(void **state)
{
	struct flt *f = open_filter(0, 0);
	uint32_t ip = IP4(203, 0, 113, 5);

	(void)state;
	assert_int_equal(flt_ban_add(f, T0, ip, 60, FLT_BAN_OPERATOR), 0);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_INVITE), FLT_DROP);
	assert_int_equal(test_check(f, T0 + SEC(60) - 1, ip, FLT_METHOD_INVITE), FLT_DROP);
	assert_int_equal(test_check(f, T0, IP4(203, 0, 113, 6), FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_banned), 2);
	/* Expired: removed on this lookup, the request passes. */
	assert_int_equal(test_check(f, T0 + SEC(60), ip, FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(flt_ban_count(f), 0);
	flt_destroy(f);
}

static void unban_and_rebans(void **state)
{
	struct flt *f = open_filter(0, 0);
	uint32_t ip = IP4(203, 0, 113, 7);

	(void)state;
	assert_int_equal(flt_ban_remove(f, ip), -ENOENT);
	assert_int_equal(flt_ban_add(f, T0, ip, 0, FLT_BAN_OPERATOR), 0);
	assert_int_equal(test_check(f, T0 + SEC(100000), ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(flt_ban_remove(f, ip), 0);
	assert_int_equal(flt_ban_remove(f, ip), -ENOENT);
	assert_int_equal(test_check(f, T0 + SEC(100000), ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* Re-adding replaces: a shorter ban on a banned address shortens it. */
	assert_int_equal(flt_ban_add(f, T0, ip, 100, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_add(f, T0, ip, 10, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_count(f), 1);
	assert_int_equal(test_check(f, T0 + SEC(10), ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(flt_ban_add(f, T0, ip, 10, (enum flt_ban_reason)9), -EINVAL);
	flt_destroy(f);
}

static void density_ban_keeps_operator_ban(void **state)
{
	struct flt *f = open_filter(0, 0);
	uint32_t ip = IP4(203, 0, 113, 8), other = IP4(203, 0, 113, 9);
	struct flt_ban_info info[4];
	uint32_t cursor = 0;

	(void)state;
	/* A density ban shared from another worker leaves a permanent operator ban in place. */
	assert_int_equal(flt_ban_add(f, T0, ip, 0, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_add(f, T0, ip, 30, FLT_BAN_DENSITY), 0);
	assert_int_equal(test_check(f, T0 + SEC(100000), ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(flt_ban_list(f, T0, info, 4, &cursor), 1);
	assert_int_equal(info[0].reason, FLT_BAN_OPERATOR);
	/* Once the operator's ban has run out, a density ban takes the slot. */
	assert_int_equal(flt_ban_add(f, T0, other, 10, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_add(f, T0 + SEC(10), other, 30, FLT_BAN_DENSITY), 0);
	assert_int_equal(test_check(f, T0 + SEC(39), other, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_check(f, T0 + SEC(40), other, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* The operator may still replace a density ban. */
	assert_int_equal(flt_ban_add(f, T0, other, 30, FLT_BAN_DENSITY), 0);
	assert_int_equal(flt_ban_add(f, T0, other, 0, FLT_BAN_OPERATOR), 0);
	assert_int_equal(test_check(f, T0 + SEC(100000), other, FLT_METHOD_OTHER), FLT_DROP);
	flt_destroy(f);
}

static void list_reports_seconds_left_and_pages(void **state)
{
	struct flt *f = open_filter(0, 0);
	struct flt_ban_info info[64];
	uint32_t seen[40] = { 0 };
	uint32_t cursor = 0;
	size_t total = 0;
	int calls = 0;

	(void)state;
	for (uint32_t i = 0; i < 40; i++)
		assert_int_equal(flt_ban_add(f, T0, IP4(203, 0, 113, i + 1), i + 1, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_add(f, T0, IP4(198, 51, 100, 9), 0, FLT_BAN_OPERATOR), 0);
	/* At T0 + 10.5 s the bans of 1..10 s are over; 11 s has 0.5 s left, listed as 1. */
	do {
		size_t n = flt_ban_list(f, T0 + MS(10500), info, 7, &cursor);

		assert_true(n <= 7);
		for (size_t i = 0; i < n; i++) {
			if (info[i].ip == IP4(198, 51, 100, 9)) {
				assert_int_equal(info[i].seconds_left, UINT32_MAX);
				assert_int_equal(info[i].expires_ns, FLT_BAN_PERMANENT);
			} else {
				uint32_t k = (info[i].ip & 0xff) - 1;

				assert_true(k >= 10 && k < 40);
				assert_int_equal(seen[k], 0);
				seen[k] = 1;
				assert_int_equal(info[i].seconds_left, k + 1 - 10);
			}
		}
		total += n;
		assert_true(++calls < 1000);
	} while (cursor != 0);
	assert_int_equal(total, 31);
	flt_destroy(f);
}

static void sweep_removes_expired_with_bounded_work(void **state)
{
	/* 64 slots, 16 examined per sweep. */
	struct flt *f = open_filter(64, 16);
	uint32_t added = 0;

	(void)state;
	for (uint32_t i = 0; i < 30; i++)
		added += flt_ban_add(f, T0, IP4(203, 0, 113, i + 1), 5, FLT_BAN_OPERATOR) == 0;
	assert_int_equal(added, flt_ban_count(f));
	assert_true(added >= 20);
	assert_int_equal(flt_expire(f, T0 + SEC(4)), 0);
	/* One sweep sees at most 16 slots; four sweeps cover all 64. */
	size_t first = flt_expire(f, T0 + SEC(5));

	assert_true(first <= 16);
	size_t removed = first;
	for (int i = 0; i < 3; i++)
		removed += flt_expire(f, T0 + SEC(5));
	assert_int_equal(removed, added);
	assert_int_equal(flt_ban_count(f), 0);
	flt_destroy(f);
}

static void full_table_refuses_then_reuses_expired(void **state)
{
	/* Eight slots: one set of eight ways. */
	struct flt *f = open_filter(8, 0);

	(void)state;
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(flt_ban_add(f, T0, IP4(203, 0, 113, i + 1), 10 + i, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_add(f, T0, IP4(203, 0, 113, 100), 10, FLT_BAN_OPERATOR), -ENOSPC);
	/* Once one has expired its slot is reused. */
	assert_int_equal(flt_ban_add(f, T0 + SEC(10), IP4(203, 0, 113, 100), 10, FLT_BAN_OPERATOR), 0);
	assert_int_equal(flt_ban_count(f), 8);
	assert_int_equal(test_check(f, T0 + SEC(10), IP4(203, 0, 113, 1), FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + SEC(10), IP4(203, 0, 113, 100), FLT_METHOD_OTHER), FLT_DROP);
	flt_destroy(f);
}

static void density_ban_into_full_table_still_drops(void **state)
{
	struct flt_config cfg;
	struct flt_policy p;
	struct flt *f;

	(void)state;
	test_policy_open(&p);
	p.density_requests = 2;
	flt_config_defaults(&cfg);
	cfg.hash_seed = 3;
	cfg.bans = 8;
	f = flt_create(&cfg, &p);
	assert_non_null(f);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(flt_ban_add(f, T0, IP4(203, 0, 113, i + 1), 0, FLT_BAN_OPERATOR), 0);
	assert_int_equal(test_check(f, T0, IP4(192, 0, 2, 1), FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, IP4(192, 0, 2, 1), FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_check(f, T0, IP4(192, 0, 2, 1), FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_density), 2);
	assert_int_equal(test_counter(f, FLT_C_ban_table_full), 2);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ban_drops_until_expiry),
		cmocka_unit_test(unban_and_rebans),
		cmocka_unit_test(density_ban_keeps_operator_ban),
		cmocka_unit_test(list_reports_seconds_left_and_pages),
		cmocka_unit_test(sweep_removes_expired_with_bounded_work),
		cmocka_unit_test(full_table_refuses_then_reuses_expired),
		cmocka_unit_test(density_ban_into_full_table_still_drops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
