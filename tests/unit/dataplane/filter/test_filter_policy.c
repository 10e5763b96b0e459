/* Policy text parsing, validation, run-time swap and the counter table. */
#include "filter-test.h"

#include <stdio.h>
#include <stdlib.h>

static void expect_text_rejected(int (*parse)(struct flt_policy *, const char *, char *, size_t),
				 const char *text, const char *needle)
{
	struct flt_policy p, before;
	char err[160] = "";

	flt_policy_defaults(&p);
	before = p;
	if (parse(&p, text, err, sizeof(err)) != -EINVAL)
		fail_msg("accepted \"%s\"", text);
	if (!strstr(err, needle))
		fail_msg("error for \"%s\" was \"%s\", expected it to mention \"%s\"", text, err, needle);
	/* A rejected text leaves the policy as it was. */
	assert_memory_equal(&p, &before, sizeof(p));
}

static void garbage_allow_list_rejected(void **state)
{
	(void)state;
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.1/33", "prefix above 32");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0/8, 300.1.1.1", "entry 2");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.1/8", "host bits");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0/", "bad prefix");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0/8x", "bad prefix");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0/-1", "bad prefix");
	expect_text_rejected(flt_policy_parse_allow_list, "/8", "bad IPv4");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0", "bad IPv4");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0/8,", "entry 2 is empty");
	expect_text_rejected(flt_policy_parse_allow_list, ",10.0.0.0/8", "entry 1 is empty");
	expect_text_rejected(flt_policy_parse_allow_list, "10.0.0.0 /8", "bad IPv4");
	expect_text_rejected(flt_policy_parse_allow_list, "2001:db8::/32", "bad IPv4");
	expect_text_rejected(flt_policy_parse_allow_list, "carrier.example.com", "bad IPv4");
}

static void garbage_ua_list_rejected(void **state)
{
	char many[40 * 4];
	size_t off = 0;

	(void)state;
	expect_text_rejected(flt_policy_parse_ua_list, "sipvicious,,sipsak", "pattern 2 is empty");
	expect_text_rejected(flt_policy_parse_ua_list, "x", "has 1 bytes");
	expect_text_rejected(flt_policy_parse_ua_list,
			     "a123456789012345678901234567890123456789012345678901234567890123",
			     "has 64 bytes");
	expect_text_rejected(flt_policy_parse_ua_list, "ok,bad\tx\x01", "control character");
	for (int i = 0; i < 33; i++)
		off += (size_t)snprintf(many + off, sizeof(many) - off, "%sp%d", i ? "," : "", i + 10);
	expect_text_rejected(flt_policy_parse_ua_list, many, "more than 32");
}

static void good_text_parsed(void **state)
{
	struct flt_policy p;
	char err[128];

	(void)state;
	flt_policy_defaults(&p);
	assert_int_equal(flt_policy_parse_allow_list(&p, " 192.0.2.1 ,198.51.100.0/24,0.0.0.0/0",
						     err, sizeof(err)),
			 0);
	assert_int_equal(p.allow_count, 3);
	assert_int_equal(p.allow[0].addr, IP4(192, 0, 2, 1));
	assert_int_equal(p.allow[0].prefix, 32);
	assert_int_equal(p.allow[1].addr, IP4(198, 51, 100, 0));
	assert_int_equal(p.allow[1].prefix, 24);
	assert_int_equal(p.allow[2].prefix, 0);
	assert_int_equal(flt_policy_parse_allow_list(&p, "  ", err, sizeof(err)), 0);
	assert_int_equal(p.allow_count, 0);
	assert_int_equal(flt_policy_parse_ua_list(&p, "  Evil Scanner 2 , ab", err, sizeof(err)), 0);
	assert_int_equal(p.ua_count, 2);
	assert_string_equal(p.ua[0], "Evil Scanner 2");
	assert_string_equal(p.ua[1], "ab");
	assert_int_equal(flt_policy_validate(&p, err, sizeof(err)), 0);
}

static void invalid_policy_refused_at_apply(void **state)
{
	struct flt_policy good, bad;
	struct flt_policy current;
	struct flt *f;
	char err[128] = "";

	(void)state;
	flt_policy_defaults(&good);
	f = test_filter_create(&good, 0);
	bad = good;
	bad.method_rate[FLT_METHOD_INVITE] = (struct flt_rate){ .per_sec = 5, .burst = 0 };
	assert_int_equal(flt_policy_validate(&bad, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "invite burst"));
	assert_int_equal(flt_policy_apply(f, &bad), -EINVAL);
	bad = good;
	bad.density_window_ms = 0;
	assert_int_equal(flt_policy_apply(f, &bad), -EINVAL);
	bad = good;
	bad.ua_count = 33;
	assert_int_equal(flt_policy_apply(f, &bad), -EINVAL);
	bad = good;
	bad.allow_count = 1;
	bad.allow[0].prefix = 40;
	assert_int_equal(flt_policy_apply(f, &bad), -EINVAL);
	flt_policy_current(f, &current);
	assert_memory_equal(&current, &good, sizeof(good));
	/* And flt_create refuses a bad one outright. */
	struct flt_config cfg;

	flt_config_defaults(&cfg);
	assert_null(flt_create(&cfg, &bad));
	assert_int_equal(errno, EINVAL);
	cfg.sources = 1000;	/* not a power of two */
	assert_null(flt_create(&cfg, &good));
	flt_destroy(f);
}

static void swap_changes_behaviour_between_bursts(void **state)
{
	struct flt_policy p;
	struct flt *f;
	uint32_t src = IP4(192, 0, 2, 80), carrier = IP4(198, 51, 100, 1);
	const char *ua = "NewScanner/2";

	(void)state;
	flt_policy_defaults(&p);
	f = test_filter_create(&p, 0);
	assert_int_equal(flt_check(f, T0, src, FLT_METHOD_OTHER, ua, strlen(ua), NULL, 0), FLT_ACCEPT);
	/* Default REGISTER burst: 10 at one instant, then dropped. */
	for (int i = 0; i < 10; i++)
		assert_int_equal(test_check(f, T0, carrier, FLT_METHOD_REGISTER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, carrier, FLT_METHOD_REGISTER), FLT_DROP);

	assert_int_equal(flt_policy_parse_ua_list(&p, "newscanner", NULL, 0), 0);
	assert_int_equal(flt_policy_parse_allow_list(&p, "198.51.100.0/30", NULL, 0), 0);
	assert_int_equal(flt_policy_apply(f, &p), 0);

	assert_int_equal(flt_check(f, T0, src, FLT_METHOD_OTHER, ua, strlen(ua), NULL, 0), FLT_DROP);
	/* The old default scanners are no longer listed. */
	assert_int_equal(flt_check(f, T0, src, FLT_METHOD_OTHER, "sipvicious", 10, NULL, 0),
			 FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, carrier, FLT_METHOD_REGISTER), FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_allowlisted), 1);

	/* Lowering a burst applies to state already held: the source's full INVITE bucket (10)
	 * is capped to the new burst of 2. */
	p.method_rate[FLT_METHOD_INVITE] = (struct flt_rate){ .per_sec = 1, .burst = 2 };
	assert_int_equal(flt_policy_apply(f, &p), 0);
	assert_int_equal(test_check(f, T0, src, FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, src, FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, src, FLT_METHOD_INVITE), FLT_DROP);
	flt_destroy(f);
}

static void counter_table_is_complete(void **state)
{
	(void)state;
	for (int c = 0; c < FLT_COUNTER_COUNT; c++) {
		assert_non_null(flt_counter_name((enum flt_counter)c));
		assert_non_null(flt_counter_help((enum flt_counter)c));
		for (int d = 0; d < c; d++)
			assert_string_not_equal(flt_counter_name((enum flt_counter)c),
						flt_counter_name((enum flt_counter)d));
	}
	assert_string_equal(flt_counter_name(FLT_C_scanner_ua), "scanner_ua");
	assert_string_equal(flt_counter_name(FLT_C_table_full_evict), "table_full_evict");
	assert_null(flt_counter_name(FLT_COUNTER_COUNT));
	assert_null(flt_counter_help((enum flt_counter)-1));
}

struct alloc_log {
	int allocs, frees;
};

static void *counting_alloc(size_t size, size_t align, void *arg)
{
	((struct alloc_log *)arg)->allocs++;
	return aligned_alloc(align, size);
}

static void counting_free(void *ptr, void *arg)
{
	((struct alloc_log *)arg)->frees++;
	free(ptr);
}

static void caller_allocator_is_used(void **state)
{
	struct alloc_log log = { 0, 0 };
	struct flt_config cfg;
	struct flt *f;

	(void)state;
	flt_config_defaults(&cfg);
	cfg.hash_seed = 1;
	cfg.alloc = counting_alloc;
	cfg.free = counting_free;
	cfg.alloc_arg = &log;
	f = flt_create(&cfg, NULL);
	assert_non_null(f);
	/* Instance, notices, source tags and slots, bans, accounts. */
	assert_int_equal(log.allocs, 6);
	assert_int_equal(test_check(f, T0, 1, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(log.allocs, 6);
	flt_destroy(f);
	assert_int_equal(log.frees, log.allocs);
	/* An allocator without its free is refused. */
	cfg.free = NULL;
	assert_null(flt_create(&cfg, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(garbage_allow_list_rejected),
		cmocka_unit_test(garbage_ua_list_rejected),
		cmocka_unit_test(good_text_parsed),
		cmocka_unit_test(invalid_policy_refused_at_apply),
		cmocka_unit_test(swap_changes_behaviour_between_bursts),
		cmocka_unit_test(counter_table_is_complete),
		cmocka_unit_test(caller_allocator_is_used),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
