/* Token bucket arithmetic and the per-method limits built on it. */
#include "filter-test.h"
#include "token-bucket.h"

static void bucket_refills_at_rate_up_to_burst(void **state)
{
	struct flt_rate r = { .per_sec = 4, .burst = 3 };
	uint64_t units = 0;

	(void)state;
	/* 4 tokens/s: one token every 250 ms. */
	flt_bucket_refill(&units, MS(249), &r);
	assert_false(flt_bucket_take(&units));
	flt_bucket_refill(&units, MS(1), &r);
	assert_true(flt_bucket_take(&units));
	assert_false(flt_bucket_take(&units));
	/* Half a token stays in the bucket between refills. */
	flt_bucket_refill(&units, MS(125), &r);
	assert_int_equal(units, FLT_TOKEN_UNIT / 2);
	flt_bucket_refill(&units, MS(125), &r);
	assert_true(flt_bucket_take(&units));
	/* A refill smaller than the burst still stops at the burst: 2.5 + 1 tokens -> 3. */
	assert_int_equal(units, 0);
	flt_bucket_refill(&units, MS(625), &r);
	assert_int_equal(units, 5 * FLT_TOKEN_UNIT / 2);
	flt_bucket_refill(&units, MS(250), &r);
	assert_int_equal(units, 3 * FLT_TOKEN_UNIT);
	/* Capped at the burst however long the gap. */
	flt_bucket_refill(&units, SEC(10), &r);
	assert_int_equal(units, 3 * FLT_TOKEN_UNIT);
	flt_bucket_refill(&units, UINT64_MAX, &r);
	assert_int_equal(units, 3 * FLT_TOKEN_UNIT);
	for (int i = 0; i < 3; i++)
		assert_true(flt_bucket_take(&units));
	assert_false(flt_bucket_take(&units));
}

static void bucket_lowered_burst_caps_on_refill(void **state)
{
	struct flt_rate big = { .per_sec = 1, .burst = 100 };
	struct flt_rate small = { .per_sec = 1, .burst = 2 };
	uint64_t units = flt_bucket_full(&big);

	(void)state;
	flt_bucket_refill(&units, 0, &small);
	assert_int_equal(units, 2 * FLT_TOKEN_UNIT);
}

static void register_limit_allows_burst_then_rate(void **state)
{
	struct flt_policy p;
	struct flt *f;
	uint32_t ip = IP4(192, 0, 2, 10);
	int accepted = 0;

	(void)state;
	test_policy_open(&p);
	p.method_rate[FLT_METHOD_REGISTER] = (struct flt_rate){ .per_sec = 2, .burst = 5 };
	f = test_filter_create(&p, 0);

	for (int i = 0; i < 8; i++)
		accepted += test_check(f, T0, ip, FLT_METHOD_REGISTER) == FLT_ACCEPT;
	assert_int_equal(accepted, 5);
	assert_int_equal(test_counter(f, FLT_C_register_rate), 3);
	/* INVITE and other methods have their own (here unlimited) buckets. */
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* 2/s: nothing at +499 ms, one token at +500 ms, the next at +1000 ms. */
	assert_int_equal(test_check(f, T0 + MS(499), ip, FLT_METHOD_REGISTER), FLT_DROP);
	assert_int_equal(test_check(f, T0 + MS(500), ip, FLT_METHOD_REGISTER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0 + MS(500), ip, FLT_METHOD_REGISTER), FLT_DROP);
	assert_int_equal(test_check(f, T0 + MS(1000), ip, FLT_METHOD_REGISTER), FLT_ACCEPT);
	/* Another source is untouched by the first one's limit. */
	assert_int_equal(test_check(f, T0, IP4(192, 0, 2, 11), FLT_METHOD_REGISTER), FLT_ACCEPT);
	assert_int_equal(test_counter(f, FLT_C_register_rate), 5);
	assert_int_equal(test_counter(f, FLT_C_invite_rate), 0);
	flt_destroy(f);
}

static void invite_and_other_limits_count_their_reason(void **state)
{
	struct flt_policy p;
	struct flt *f;
	uint32_t ip = IP4(192, 0, 2, 20);

	(void)state;
	test_policy_open(&p);
	p.method_rate[FLT_METHOD_INVITE] = (struct flt_rate){ .per_sec = 1, .burst = 1 };
	p.method_rate[FLT_METHOD_OTHER] = (struct flt_rate){ .per_sec = 1, .burst = 2 };
	f = test_filter_create(&p, 0);

	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_INVITE), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_INVITE), FLT_DROP);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	assert_int_equal(test_check(f, T0, ip, FLT_METHOD_OTHER), FLT_ACCEPT);
	/* An out-of-range method value is treated as "other". */
	assert_int_equal(test_check(f, T0, ip, (enum flt_method)77), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_invite_rate), 1);
	assert_int_equal(test_counter(f, FLT_C_other_rate), 1);
	assert_int_equal(test_counter(f, FLT_C_accepted), 3);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bucket_refills_at_rate_up_to_burst),
		cmocka_unit_test(bucket_lowered_burst_caps_on_refill),
		cmocka_unit_test(register_limit_allows_burst_then_rate),
		cmocka_unit_test(invite_and_other_limits_count_their_reason),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
