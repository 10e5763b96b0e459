/* Single-flight loading, invalidation during a load, LRU eviction and expiry. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cache.h"

struct seen {
	int calls;
	const char *last;
	int status;
};

static void got(void *arg, const json_t *value, int status)
{
	struct seen *s = arg;
	s->calls++;
	s->status = status;
	s->last = value ? json_string_value(value) : NULL;
}

static uint64_t fake_now;
static uint64_t clock_fn(void *arg)
{
	(void)arg;
	return fake_now;
}

static void test_single_flight(void **state)
{
	(void)state;
	struct cache *c = cache_new(NULL);
	struct seen a = { 0 }, b = { 0 };
	assert_null(cache_peek(c, "k"));
	assert_int_equal(cache_wait(c, "k", got, &a), 1);
	assert_int_equal(cache_wait(c, "k", got, &b), 0); /* joins: no second load */
	json_t *v = json_string("one");
	cache_complete(c, "k", v, 0);
	json_decref(v);
	assert_int_equal(a.calls + b.calls, 2);
	assert_string_equal(b.last, "one");
	assert_string_equal(json_string_value(cache_peek(c, "k")), "one");
	struct cache_stats st;
	cache_get_stats(c, &st);
	assert_int_equal(st.joined, 1);
	assert_int_equal(st.loads, 1);
	cache_free(c);
}

static void test_invalidated_load_not_kept(void **state)
{
	(void)state;
	struct cache *c = cache_new(NULL);
	struct seen a = { 0 };
	assert_int_equal(cache_wait(c, "doc:1", got, &a), 1);
	cache_drop_prefix(c, "doc:");
	json_t *v = json_string("stale");
	cache_complete(c, "doc:1", v, 0);
	assert_string_equal(a.last, "stale"); /* the waiter still gets its answer */
	json_decref(v);
	assert_null(cache_peek(c, "doc:1"));  /* but it does not stick */
	cache_free(c);
}

static void test_eviction_and_expiry(void **state)
{
	(void)state;
	fake_now = 1000;
	struct cache *c = cache_new(&(struct cache_options){ .max_entries = 2, .ttl_ms = 50,
							    .now_ms = clock_fn });
	json_t *v = json_string("v");
	cache_put(c, "a", v);
	cache_put(c, "b", v);
	assert_non_null(cache_peek(c, "a")); /* a is now the most recent */
	cache_put(c, "c", v);
	assert_null(cache_peek(c, "b"));
	assert_non_null(cache_peek(c, "a"));
	fake_now += 50;
	assert_null(cache_peek(c, "a"));
	json_decref(v);
	struct seen s = { 0 };
	assert_int_equal(cache_wait(c, "x", got, &s), 1);
	cache_free(c); /* pending waiters are told */
	assert_int_equal(s.status, -ECANCELED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_flight),
		cmocka_unit_test(test_invalidated_load_not_kept),
		cmocka_unit_test(test_eviction_and_expiry),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
