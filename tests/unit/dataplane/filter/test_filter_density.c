/* The density detector: a ban at exactly the threshold within one window, none below it. */
#include "filter-test.h"

static struct flt *density_filter(uint32_t requests, uint32_t window_ms, uint32_t ban_s)
{
	struct flt_policy p;

	test_policy_open(&p);
	p.density_requests = requests;
	p.density_window_ms = window_ms;
	p.ban_seconds = ban_s;
	return test_filter_create(&p, 0);
}

static void below_threshold_is_not_banned(void **state)
{
	struct flt *f = density_filter(30, 2000, 300);
	uint32_t ip = IP4(192, 0, 2, 30);

	(void)state;
	/* 29 per window, window after window: never banned. */
	for (int w = 0; w < 5; w++)
		for (int i = 0; i < 29; i++)
			assert_int_equal(test_check(f, T0 + MS(2000) * w + MS(i), ip, FLT_METHOD_OTHER),
					 FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_density), 0);
	assert_int_equal(flt_ban_count(f), 0);
	flt_destroy(f);
}

static void threshold_bans_and_notifies(void **state)
{
	struct flt *f = density_filter(30, 2000, 300);
	uint32_t ip = IP4(192, 0, 2, 31);
	struct flt_ban_notice n[4];
	struct flt_ban_info info[4];
	uint32_t cursor = 0;

	(void)state;
	for (int i = 0; i < 29; i++)
		assert_int_equal(test_check(f, T0 + MS(60) * i, ip, FLT_METHOD_REGISTER), FLT_ACCEPT);
	assert_int_equal(flt_ban_notices_drain(f, n, 4), 0);
	/* The 30th within 2 s (at 1.74 s) reaches the threshold. */
	assert_int_equal(test_check(f, T0 + MS(1740), ip, FLT_METHOD_REGISTER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_density), 1);
	assert_int_equal(flt_ban_notices_drain(f, n, 4), 1);
	assert_int_equal(n[0].ip, ip);
	assert_int_equal(n[0].ban_seconds, 300);
	assert_int_equal(n[0].at_ns, T0 + MS(1740));
	assert_int_equal(n[0].requests, 30);
	assert_int_equal(flt_ban_notices_drain(f, n, 4), 0);

	assert_int_equal(flt_ban_list(f, T0 + MS(1740), info, 4, &cursor), 1);
	assert_int_equal(info[0].ip, ip);
	assert_int_equal(info[0].reason, FLT_BAN_DENSITY);
	assert_int_equal(info[0].seconds_left, 300);
	/* Banned from now on, counted as banned rather than density. */
	assert_int_equal(test_check(f, T0 + SEC(10), ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_banned), 1);
	assert_int_equal(test_counter(f, FLT_C_density), 1);
	/* Other sources carry on. */
	assert_int_equal(test_check(f, T0 + SEC(10), IP4(192, 0, 2, 32), FLT_METHOD_OTHER),
			 FLT_ACCEPT);
	/* Ban over after 300 s; the source starts a fresh window. */
	assert_int_equal(test_check(f, T0 + MS(1740) + SEC(300) - 1, ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_check(f, T0 + MS(1740) + SEC(300), ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	flt_destroy(f);
}

static void window_is_per_source_and_resets(void **state)
{
	struct flt *f = density_filter(3, 1000, 60);
	uint32_t a = IP4(192, 0, 2, 40), b = IP4(192, 0, 2, 41);

	(void)state;
	assert_int_equal(test_check(f, T0, a, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + MS(1), b, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + MS(500), b, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + MS(999), a, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* a's window began at T0, so at T0 + 1 s a new one starts and a stays at count 1. */
	assert_int_equal(test_check(f, T0 + MS(1000), a, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + MS(1001), a, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* b's window began at T0 + 1 ms: its third request at T0 + 1000 ms is inside it. */
	assert_int_equal(test_check(f, T0 + MS(1000), b, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_density), 1);
	assert_int_equal(flt_ban_count(f), 1);
	flt_destroy(f);
}

static void ban_shorter_than_window_restarts_the_count(void **state)
{
	/* 3 per 10 s window, banned for 1 s: after the ban the source starts from zero rather
	 * than being banned again by its first request. */
	struct flt *f = density_filter(3, 10000, 1);
	uint32_t ip = IP4(192, 0, 2, 45);

	(void)state;
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_check(f, T0 + SEC(1), ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + SEC(1), ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + SEC(1), ip, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_density), 2);
	flt_destroy(f);
}

static void notice_queue_overflow_is_counted(void **state)
{
	struct flt_config cfg;
	struct flt_policy p;
	struct flt_ban_notice n[8];
	struct flt *f;

	(void)state;
	test_policy_open(&p);
	p.density_requests = 1;	/* every first request bans: a queue filler */
	flt_config_defaults(&cfg);
	cfg.hash_seed = 7;
	cfg.notices = 2;
	f = flt_create(&cfg, &p);
	assert_non_null(f);
	for (uint32_t i = 0; i < 5; i++)
		assert_int_equal(test_check(f, T0, IP4(198, 51, 100, i + 1), FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_notice_overflow), 3);
	assert_int_equal(flt_ban_notices_drain(f, n, 8), 2);
	assert_int_equal(n[0].ip, IP4(198, 51, 100, 1));
	assert_int_equal(n[1].ip, IP4(198, 51, 100, 2));
	/* Bans themselves were all recorded. */
	assert_int_equal(flt_ban_count(f), 5);
	flt_destroy(f);
}

static void disabled_density_never_bans(void **state)
{
	struct flt *f = density_filter(0, 1000, 60);

	(void)state;
	for (int i = 0; i < 1000; i++)
		assert_int_equal(test_check(f, T0, IP4(192, 0, 2, 50), FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(flt_ban_count(f), 0);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(below_threshold_is_not_banned),
		cmocka_unit_test(threshold_bans_and_notifies),
		cmocka_unit_test(window_is_per_source_and_resets),
		cmocka_unit_test(ban_shorter_than_window_restarts_the_count),
		cmocka_unit_test(notice_queue_overflow_is_counted),
		cmocka_unit_test(disabled_density_never_bans),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
