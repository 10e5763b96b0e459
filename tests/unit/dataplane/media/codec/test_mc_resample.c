/* The resampler keeps a tone's frequency and level, keeps the sample count, and filters what
 * the lower rate cannot carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mc_resample.h"
#include "mc_test_signal.h"

static int16_t in[48000], out[48000 * 6];

/* Converts 1 s of a tone in 20 ms chunks; returns the number of output samples. */
static size_t convert(uint32_t from, uint32_t to, double hz)
{
	struct mc_resampler *r = mc_resampler_create(from, to, MC_RESAMPLE_QUALITY_DEFAULT);
	assert_non_null(r);
	mc_test_sine(in, from, from, hz, 10000);
	size_t got = 0, chunk = from / 50;
	for (size_t off = 0; off < from; off += chunk) {
		int n = mc_resampler_process(r, in + off, chunk, out + got, sizeof(out) / 2 - got);
		assert_true(n >= 0);
		got += (size_t)n;
	}
	mc_resampler_destroy(r);
	return got;
}

static void test_tone_frequency_kept(void **state)
{
	(void)state;
	const uint32_t pairs[][2] = {
		{8000, 16000}, {8000, 48000}, {16000, 48000}, {48000, 8000}, {16000, 8000}, {48000, 16000},
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		uint32_t from = pairs[i][0], to = pairs[i][1];
		size_t got = convert(from, to, 1000);
		assert_int_equal(got, to); /* integer ratios: exactly one second out */
		size_t skip = to / 10, win = to / 2;
		double at = mc_test_goertzel(out + skip, win, to, 1000);
		double below = mc_test_goertzel(out + skip, win, to, 900);
		double above = mc_test_goertzel(out + skip, win, to, 1100);
		double total = mc_test_power(out + skip, win);
		print_message("%u -> %u: tone %.0f, neighbours %.1f %.1f, total %.0f\n", from, to, at,
		              below, above, total);
		/* A sine of amplitude A has power A^2/2 and Goertzel level A^2/4. */
		assert_true(at > 0.9 * 10000.0 * 10000.0 / 4);
		assert_true(below < at / 1000 && above < at / 1000);
		assert_true(4 * at / (2 * total) > 0.98);
	}
}

static void test_downsampling_filters(void **state)
{
	(void)state;
	/* 6 kHz cannot exist at 8 kHz: it must be filtered, not folded to 2 kHz. */
	size_t got = convert(48000, 8000, 6000);
	assert_int_equal(got, 8000);
	double folded = mc_test_goertzel(out + 800, 4000, 8000, 2000);
	assert_true(folded < 10000.0 * 10000.0 / 4 / 1000); /* at least 30 dB down */
	assert_true(mc_test_power(out + 800, 4000) < 10000.0 * 10000.0 / 2 / 100);
}

static void test_equal_rates_copy(void **state)
{
	(void)state;
	struct mc_resampler *r = mc_resampler_create(8000, 8000, 3);
	int16_t a[5] = {1, -2, 3, -4, 5}, b[5] = {0};
	assert_int_equal(mc_resampler_process(r, a, 5, b, 5), 5);
	assert_memory_equal(a, b, sizeof(a));
	assert_true(mc_resampler_process(r, a, 5, b, 4) < 0);
	mc_resampler_destroy(r);
	assert_null(mc_resampler_create(0, 8000, 3));
	assert_null(mc_resampler_create(8000, 16000, 11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_frequency_kept),
		cmocka_unit_test(test_downsampling_filters),
		cmocka_unit_test(test_equal_rates_copy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
