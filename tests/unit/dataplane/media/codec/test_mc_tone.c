/* Tone specs parse with clear errors; generated tones have the right frequencies and cadence at
 * every leg rate. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mc_test_signal.h"
#include "mc_tone.h"

static void test_parse(void **state)
{
	(void)state;
	struct mc_tone_spec s;
	char err[128];
	assert_int_equal(mc_tone_parse("440+480/2000/4000", &s, err, sizeof(err)), 0);
	assert_int_equal(s.nseg, 1);
	assert_int_equal(s.seg[0].nfreqs, 2);
	assert_int_equal(s.seg[0].freqs[0], 440);
	assert_int_equal(s.seg[0].freqs[1], 480);
	assert_int_equal(s.seg[0].on_ms, 2000);
	assert_int_equal(s.seg[0].off_ms, 4000);
	assert_true(s.repeat);
	assert_false(s.continuous);

	assert_int_equal(mc_tone_parse("400+450/400/200,400+450/400/2000", &s, err, sizeof(err)), 0);
	assert_int_equal(s.nseg, 2);
	assert_int_equal(s.seg[1].off_ms, 2000);
	assert_int_equal(mc_tone_parse("1000/250", &s, err, sizeof(err)), 0);
	assert_false(s.repeat);
	assert_int_equal(mc_tone_parse("350+440", &s, err, sizeof(err)), 0);
	assert_true(s.continuous);

	static const struct {
		const char *text;
		const char *msg;
	} bad[] = {
		{"", "empty tone spec"},
		{"abc", "expected a frequency"},
		{"440+", "expected a frequency"},
		{"440/", "expected an on time"},
		{"440/100/", "expected an off time"},
		{"440/0/100", "expected an on time"},
		{"30000/100/100", "expected a frequency"},
		{"440/100/100x", "unexpected character"},
		{"440,480/100/100", "needs an on time"},
		{"440/100,480/100/100", "only the last segment"},
		{"1+2+3+4+5/100/100", "too many frequencies"},
		{"1/1/1,1/1/1,1/1/1,1/1/1,1/1/1,1/1/1,1/1/1,1/1/1,1/1/1", "too many segments"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_int_equal(mc_tone_parse(bad[i].text, &s, err, sizeof(err)), -EINVAL);
		assert_non_null(strstr(err, bad[i].msg));
	}
	assert_int_equal(mc_tone_preset("busy", &s), 0);
	assert_int_equal(s.seg[0].freqs[0], 480);
	assert_int_equal(s.seg[0].freqs[1], 620);
	assert_int_equal(mc_tone_preset("nope", &s), -ENOENT);
}

static int16_t buf[48000 * 13];

/* Checks a window holds both frequencies near the generator amplitude. */
static void assert_tones(const int16_t *x, size_t n, uint32_t rate, double f1, double f2,
                         double amp)
{
	double want = amp * amp / 4;
	assert_true(mc_test_goertzel(x, n, rate, f1) > 0.8 * want);
	if (f2 > 0)
		assert_true(mc_test_goertzel(x, n, rate, f2) > 0.8 * want);
	assert_true(mc_test_goertzel(x, n, rate, f1 + 150) < 0.01 * want);
}

static void test_ringback_cadence(void **state)
{
	(void)state;
	uint32_t rates[] = {8000, 16000, 48000};
	for (int k = 0; k < 3; k++) {
		uint32_t r = rates[k];
		struct mc_tone_spec s;
		struct mc_tone_gen g;
		assert_int_equal(mc_tone_preset("ringback", &s), 0);
		assert_int_equal(mc_tone_gen_init(&g, &s, r, 5000), 0);
		size_t n = 13 * r; /* two full 6 s cycles and the start of a third */
		for (size_t off = 0; off < n; off += r / 50)
			assert_int_equal(mc_tone_gen_read(&g, buf + off, r / 50), r / 50);
		for (int cycle = 0; cycle < 3; cycle++) {
			size_t base = (size_t)cycle * 6 * r;
			/* on for exactly 2 s ... */
			assert_tones(buf + base, r / 2, r, 440, 480, 5000);
			if (cycle == 2)
				break;
			assert_true(mc_test_power(buf + base + 2 * r - r / 100, r / 100) > 1e6);
			/* ... then exactly 4 s of silence */
			for (size_t i = base + 2 * r; i < base + 6 * r; i++)
				assert_int_equal(buf[i], 0);
		}
	}
}

static void test_busy_beep_and_uk(void **state)
{
	(void)state;
	struct mc_tone_spec s;
	struct mc_tone_gen g;
	assert_int_equal(mc_tone_preset("busy", &s), 0);
	assert_int_equal(mc_tone_gen_init(&g, &s, 8000, 5000), 0);
	assert_int_equal(mc_tone_gen_read(&g, buf, 8000), 8000);
	assert_tones(buf, 4000, 8000, 480, 620, 5000);
	assert_true(mc_test_power(buf + 4000, 4000) == 0);

	/* The beep plays once: 250 ms at 1000 Hz, then the generator is done. */
	assert_int_equal(mc_tone_preset("beep", &s), 0);
	assert_int_equal(mc_tone_gen_init(&g, &s, 16000, 8000), 0);
	assert_int_equal(mc_tone_gen_read(&g, buf, 16000), 4000);
	assert_tones(buf, 4000, 16000, 1000, 0, 8000);
	assert_true(g.done);
	assert_int_equal(mc_tone_gen_read(&g, buf, 160), 0);

	/* UK ringback: 0.4 on, 0.2 off, 0.4 on, 2.0 off. */
	assert_int_equal(mc_tone_preset("ringback-uk", &s), 0);
	assert_int_equal(mc_tone_gen_init(&g, &s, 8000, 5000), 0);
	assert_int_equal(mc_tone_gen_read(&g, buf, 8000 * 3), 8000 * 3);
	assert_tones(buf, 3200, 8000, 400, 450, 5000);
	assert_true(mc_test_power(buf + 3200, 1600) == 0);
	assert_tones(buf + 4800, 3200, 8000, 400, 450, 5000);
	assert_true(mc_test_power(buf + 8000, 16000) == 0);

	/* A 5 kHz tone cannot be made at 8 kHz. */
	assert_int_equal(mc_tone_parse("5000/100/100", &s, NULL, 0), 0);
	assert_int_equal(mc_tone_gen_init(&g, &s, 8000, 5000), -EINVAL);
	assert_int_equal(mc_tone_gen_init(&g, &s, 16000, 5000), 0);
}

/* A cadence that rounds to zero samples at a (silly) low rate must be refused at set-up: the
 * reader would otherwise loop for ever. */
static void test_zero_length_cadence_refused(void **state)
{
	(void)state;
	struct mc_tone_spec spec;
	char err[128];
	assert_int_equal(mc_tone_parse("1/1/0", &spec, err, sizeof(err)), 0);
	struct mc_tone_gen g;
	assert_int_equal(mc_tone_gen_init(&g, &spec, 500, 1000), -EINVAL);
	assert_int_equal(mc_tone_gen_init(&g, &spec, 8000, 1000), 0);
	int16_t pcm[160];
	assert_int_equal(mc_tone_gen_read(&g, pcm, 160), 160);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_ringback_cadence),
		cmocka_unit_test(test_busy_beep_and_uk),
		cmocka_unit_test(test_zero_length_cadence_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
