/* The per-source table: bounded size, least-recently-seen eviction, idle reuse. */
#include "filter-test.h"

#include <stdio.h>

/* Resident set size in kB from /proc/self/status; 0 if unavailable. */
static long rss_kb(void)
{
	FILE *fp = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;

	if (!fp)
		return 0;
	while (fgets(line, sizeof(line), fp))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(fp);
	return kb;
}

static void many_sources_evict_and_stay_bounded(void **state)
{
	struct flt_policy p;
	struct flt *f;
	long before, after;

	(void)state;
	flt_policy_defaults(&p);
	f = test_filter_create(&p, 1024);
	before = rss_kb();
	/* 200k distinct sources within one second: no slot is idle, so each new source beyond
	 * the capacity evicts one. */
	for (uint32_t i = 0; i < 200000; i++)
		assert_int_equal(test_check(f, T0 + i, IP4(10, 0, 0, 0) + i, FLT_METHOD_OTHER),
				 FLT_ACCEPT);
	after = rss_kb();
	assert_int_equal(flt_source_count(f), 1024);
	assert_int_equal(test_counter(f, FLT_C_table_full_evict), 200000 - 1024);
	assert_int_equal(test_counter(f, FLT_C_accepted), 200000);
	/* No growth: allow some slack for the allocator and stdio, far below what 200k entries
	 * would take (200k * 48 bytes is about 9 MB). */
	if (before && after)
		assert_true(after - before < 1024);
	flt_destroy(f);
}

static void eviction_picks_least_recently_seen(void **state)
{
	struct flt_policy p;
	struct flt *f;
	uint32_t base = IP4(192, 0, 2, 0);

	(void)state;
	/* The density count is the state that tells a kept source from a re-created one: the
	 * 4th request within the hour bans. */
	test_policy_open(&p);
	p.density_requests = 4;
	p.density_window_ms = 3600000;
	/* An 8-slot table is one set of eight ways. */
	f = test_filter_create(&p, 8);
	/* Sources 0..7 two seconds apart (LRU time is about a second coarse), two requests each. */
	for (uint32_t i = 0; i < 8; i++)
		for (int k = 0; k < 2; k++)
			assert_int_equal(test_check(f, T0 + SEC(2 * i), base + i, FLT_METHOD_OTHER),
					 FLT_ACCEPT);
	/* Source 0 comes back, so source 1 is now the least recently seen. */
	assert_int_equal(test_check(f, T0 + SEC(16), base + 0, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + SEC(18), base + 8, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_table_full_evict), 1);
	assert_int_equal(flt_source_count(f), 8);
	/* Source 0 kept its count: its 4th request bans. */
	assert_int_equal(test_check(f, T0 + SEC(20), base + 0, FLT_METHOD_OTHER), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_density), 1);
	/* Source 1 was evicted: it starts again at 1 and three requests pass. */
	for (int k = 0; k < 3; k++)
		assert_int_equal(test_check(f, T0 + SEC(22), base + 1, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_table_full_evict), 2);
	flt_destroy(f);
}

static void idle_sources_are_reused_without_eviction(void **state)
{
	struct flt_policy p;
	struct flt *f;

	(void)state;
	flt_policy_defaults(&p);
	f = test_filter_create(&p, 8);
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(test_check(f, T0, IP4(192, 0, 2, i), FLT_METHOD_OTHER), FLT_ACCEPT);
	/* Defaults: the slowest bucket refills in 2 s, the window is 2 s; after an hour every
	 * slot is back to its initial state and reusable without counting an eviction. */
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(test_check(f, T0 + SEC(3600), IP4(198, 51, 100, i), FLT_METHOD_OTHER),
				 FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_table_full_evict), 0);
	assert_int_equal(flt_source_count(f), 8);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(many_sources_evict_and_stay_bounded),
		cmocka_unit_test(eviction_picks_least_recently_seen),
		cmocka_unit_test(idle_sources_are_reused_without_eviction),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
