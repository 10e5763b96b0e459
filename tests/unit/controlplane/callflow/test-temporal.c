/* Zone offsets from zoneinfo (transitions and the POSIX footer rule) and temporal_route on
 * fixed instants, across the 2026 DST changes of America/New_York. Instants are UTC seconds. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cf-tz.h"
#include "harness.h"

#define ZONEINFO "/usr/share/zoneinfo"

static long offset_in(struct cf_tz_cache **cache, const char *zone, time_t t)
{
	const struct cf_tz *tz;

	assert_int_equal(cf_tz_get(cache, ZONEINFO, zone, &tz), 0);
	return cf_tz_offset(tz, t);
}

static void test_zone_offsets(void **state)
{
	struct cf_tz_cache *cache = NULL;
	const struct cf_tz *tz;
	struct tm tm;

	(void)state;
	/* 2026-03-08 02:00 EST -> 03:00 EDT happens at 07:00 UTC (1772953200) */
	assert_int_equal(offset_in(&cache, "America/New_York", 1772953199), -5 * 3600);
	assert_int_equal(offset_in(&cache, "America/New_York", 1772953200), -4 * 3600);
	assert_int_equal(offset_in(&cache, "America/New_York", 1793626200), -5 * 3600);
	/* 2040 lies past the file's transitions: the footer rule answers */
	assert_int_equal(offset_in(&cache, "America/New_York", 2224771200), -4 * 3600);
	assert_int_equal(offset_in(&cache, "America/New_York", 2237994000), -5 * 3600);
	assert_int_equal(offset_in(&cache, "Europe/Berlin", 2224749600), 2 * 3600);
	/* southern hemisphere: summer in December */
	assert_int_equal(offset_in(&cache, "Australia/Sydney", 2224720800), 10 * 3600);
	assert_int_equal(offset_in(&cache, "Australia/Sydney", 2237936400), 11 * 3600);
	assert_int_equal(offset_in(&cache, "UTC", 1773063000), 0);
	assert_int_equal(cf_tz_get(&cache, ZONEINFO, "America/New_York", &tz), 0);
	assert_int_equal(cf_tz_localtime(tz, 1773063000, &tm), 0);
	assert_int_equal(tm.tm_hour, 9);
	assert_int_equal(tm.tm_min, 30);
	assert_int_equal(tm.tm_wday, 1);
	/* names that could leave the zoneinfo tree, and missing zones */
	assert_int_equal(cf_tz_get(&cache, ZONEINFO, "../../etc/passwd", &tz), -EINVAL);
	assert_int_equal(cf_tz_get(&cache, ZONEINFO, "/etc/localtime", &tz), -EINVAL);
	assert_int_equal(cf_tz_get(&cache, ZONEINFO, "Mars/Olympus_Mons", &tz), -ENOENT);
	cf_tz_cache_free(cache);
}

static void test_tzif_garbage(void **state)
{
	struct cf_tz *tz = NULL;
	unsigned char buf[64] = "TZif2";

	(void)state;
	assert_int_equal(cf_tz_parse((const unsigned char *)"nope", 4, &tz), -EINVAL);
	assert_int_equal(cf_tz_parse(buf, sizeof(buf), &tz), -EINVAL);
	buf[27] = 0xff;	/* a huge leap count */
	assert_int_equal(cf_tz_parse(buf, sizeof(buf), &tz), -EINVAL);
	assert_null(tz);
}

static int setup(void **state)
{
	static struct harness h;

	h_init(&h);
	/* KAZOO start_date: Gregorian seconds. 63934444800 = 2026-01-01. */
	fake_docs_put(&h.d, ACC, "bh", "temporal_rule",
		      "{\"name\": \"business hours\", \"cycle\": \"weekly\", \"wdays\": [\"monday\","
		      " \"tuesday\", \"wensday\", \"thursday\", \"friday\"], \"time_window_start\":"
		      " 32400, \"time_window_stop\": 61200, \"start_date\": 63934444800}");
	fake_docs_put(&h.d, ACC, "xmas", "temporal_rule",
		      "{\"name\": \"christmas\", \"cycle\": \"yearly\", \"month\": 12, \"days\": [25],"
		      " \"start_date\": 63934444800}");
	fake_docs_put(&h.d, ACC, "newyear", "temporal_rule",
		      "{\"name\": \"new year\", \"cycle\": \"yearly\", \"month\": 1, \"days\": [1],"
		      " \"start_date\": 63934444800}");
	fake_docs_put(&h.d, ACC, "lastfri", "temporal_rule",
		      "{\"name\": \"last friday\", \"cycle\": \"monthly\", \"ordinal\": \"last\","
		      " \"wdays\": [\"friday\"], \"start_date\": 63934444800}");
	/* every other Monday from Monday 2026-03-02 (63939628800) */
	fake_docs_put(&h.d, ACC, "fortnight", "temporal_rule",
		      "{\"name\": \"fortnight\", \"cycle\": \"weekly\", \"interval\": 2, \"wdays\":"
		      " [\"monday\"], \"start_date\": 63939628800}");
	fake_docs_put(&h.d, ACC, "july4", "temporal_rule",
		      "{\"name\": \"once\", \"cycle\": \"date\", \"start_date\": 63950342400}");
	fake_docs_put(&h.d, ACC, "always", "temporal_rule",
		      "{\"name\": \"on\", \"cycle\": \"daily\", \"enabled\": true,"
		      " \"time_window_start\": 0, \"time_window_stop\": 1}");
	fake_docs_put(&h.d, ACC, "never", "temporal_rule",
		      "{\"name\": \"off\", \"cycle\": \"daily\", \"enabled\": false}");
	fake_docs_put(&h.d, ACC, "holidays", "temporal_rule_set",
		      "{\"name\": \"holidays\", \"temporal_rules\": [\"newyear\", \"xmas\"]}");
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	h_release(*state);
	return 0;
}

/* Runs temporal_route(rules) at t and returns the prompt its chosen child played. */
static const char *route_at(struct harness *h, const char *rules_json, const char *tz_json,
			    time_t t)
{
	char flow[1024];

	snprintf(flow, sizeof(flow),
		 "{\"module\": \"temporal_route\", \"data\": {\"rules\": %s%s}, \"children\": {"
		 "\"bh\": {\"module\": \"play\", \"data\": {\"id\": \"bh\"}},"
		 "\"xmas\": {\"module\": \"play\", \"data\": {\"id\": \"xmas\"}},"
		 "\"holidays\": {\"module\": \"play\", \"data\": {\"id\": \"holidays\"}},"
		 "\"lastfri\": {\"module\": \"play\", \"data\": {\"id\": \"lastfri\"}},"
		 "\"fortnight\": {\"module\": \"play\", \"data\": {\"id\": \"fortnight\"}},"
		 "\"july4\": {\"module\": \"play\", \"data\": {\"id\": \"july4\"}},"
		 "\"always\": {\"module\": \"play\", \"data\": {\"id\": \"always\"}},"
		 "\"never\": {\"module\": \"play\", \"data\": {\"id\": \"never\"}},"
		 "\"_\": {\"module\": \"play\", \"data\": {\"id\": \"closed\"}}}}",
		 rules_json, tz_json ? tz_json : "");
	h_callflow(h, "tr", "8000", flow);
	h->now = t;
	h->c.n_played = 0;
	h_run(h, "8000", NULL);
	assert_int_equal(h->c.n_played, 1);
	return h->c.played[0];
}

static void test_business_hours_across_dst(void **state)
{
	struct harness *h = *state;

	/* 13:30 UTC both days: 08:30 EST on Friday 6 March (closed), 09:30 EDT on Monday
	 * 9 March (open) - a fixed UTC offset would get one of them wrong */
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1772803800), "closed");
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1773063000), "bh");
	/* and back: Monday 2 November 08:30 EST = 13:30 UTC is before opening again */
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1793626200), "closed");
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1793626200 + 3600), "bh");
	/* 16:59:59 open, 17:00 closed (stop is exclusive) on Monday 9 March EDT */
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1773090000 - 1), "bh");
	assert_string_equal(route_at(h, "[\"bh\"]", NULL, 1773090000), "closed");
	/* the same instant in Berlin is 14:30 on Monday: open */
	assert_string_equal(route_at(h, "[\"bh\"]", ", \"timezone\": \"Europe/Berlin\"",
				     1773063000),
			    "bh");
}

static void test_rule_order_sets_and_cycles(void **state)
{
	struct harness *h = *state;

	/* Friday 25 December 2026, noon EST: the first rule that holds wins */
	assert_string_equal(route_at(h, "[\"xmas\", \"bh\"]", NULL, 1798218000), "xmas");
	assert_string_equal(route_at(h, "[\"bh\", \"xmas\"]", NULL, 1798218000), "bh");
	assert_string_equal(route_at(h, "[\"holidays\", \"bh\"]", NULL, 1798218000), "holidays");
	/* last Friday of March 2026 is the 27th, not the 20th */
	assert_string_equal(route_at(h, "[\"lastfri\"]", NULL, 1774627200), "lastfri");
	assert_string_equal(route_at(h, "[\"lastfri\"]", NULL, 1774022400), "closed");
	/* every other Monday from 2 March: the 16th yes, the 9th no */
	assert_string_equal(route_at(h, "[\"fortnight\"]", NULL, 1773669600), "fortnight");
	assert_string_equal(route_at(h, "[\"fortnight\"]", NULL, 1773063000), "closed");
	/* a date rule holds on its day only */
	assert_string_equal(route_at(h, "[\"july4\"]", NULL, 1783173600), "july4");
	assert_string_equal(route_at(h, "[\"july4\"]", NULL, 1783260000), "closed");
	/* enabled overrides the rule: true always, false never */
	assert_string_equal(route_at(h, "[\"never\", \"always\"]", NULL, 1783260000), "always");
	/* unknown ids and zones do not break the route */
	assert_string_equal(route_at(h, "[\"nope\", 7]", ", \"timezone\": \"No/Such\"",
				     1783260000),
			    "closed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zone_offsets),
		cmocka_unit_test(test_tzif_garbage),
		cmocka_unit_test_setup_teardown(test_business_hours_across_dst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_order_sets_and_cycles, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
