/* Reconnect back-off: doubles up to the cap, stays within [base/2, base], jitters, resets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "dpclient_backoff.h"

static void test_growth_and_cap(void **state)
{
	struct dpc_backoff b;
	uint32_t base = 100;

	(void)state;
	dpc_backoff_init(&b, 100, 5000, 42);
	for (int i = 0; i < 20; i++) {
		uint32_t d = dpc_backoff_next(&b);

		assert_in_range(d, base / 2, base);
		base = base * 2 > 5000 ? 5000 : base * 2;
	}
	/* Long after the cap it stays there. */
	for (int i = 0; i < 100; i++)
		assert_in_range(dpc_backoff_next(&b), 2500, 5000);
}

static void test_growth_is_monotonic_every_two_steps(void **state)
{
	struct dpc_backoff b;
	uint32_t d[8];

	(void)state;
	dpc_backoff_init(&b, 10, 100000, 7);
	for (int i = 0; i < 8; i++)
		d[i] = dpc_backoff_next(&b);
	/* With equal jitter, delay(k+2) >= base(k+2)/2 = 2 base(k) >= 2 delay(k). */
	for (int i = 0; i + 2 < 8; i++)
		assert_true(d[i + 2] >= d[i]);
	assert_true(d[7] >= 16 * d[0] / 2);
}

static void test_jitter_differs_by_seed(void **state)
{
	struct dpc_backoff a, b;
	int differ = 0;

	(void)state;
	dpc_backoff_init(&a, 1000, 1000, 1);
	dpc_backoff_init(&b, 1000, 1000, 2);
	for (int i = 0; i < 32; i++)
		differ += dpc_backoff_next(&a) != dpc_backoff_next(&b);
	assert_true(differ > 16);
}

static void test_reset(void **state)
{
	struct dpc_backoff b;

	(void)state;
	dpc_backoff_init(&b, 100, 5000, 3);
	for (int i = 0; i < 10; i++)
		dpc_backoff_next(&b);
	assert_in_range(dpc_backoff_next(&b), 2500, 5000);
	dpc_backoff_reset(&b);
	assert_in_range(dpc_backoff_next(&b), 50, 100);
}

static void test_degenerate_bounds(void **state)
{
	struct dpc_backoff b;

	(void)state;
	dpc_backoff_init(&b, 0, 0, 0);
	for (int i = 0; i < 5; i++)
		assert_in_range(dpc_backoff_next(&b), 0, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_growth_and_cap),
		cmocka_unit_test(test_growth_is_monotonic_every_two_steps),
		cmocka_unit_test(test_jitter_differs_by_seed),
		cmocka_unit_test(test_reset),
		cmocka_unit_test(test_degenerate_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
