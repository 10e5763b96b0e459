/* In-band DTMF: all 16 digits detected from spandsp's dtmf_tx and from our generator with
 * noise, at 8 and 16 kHz; translation both ways. */
#include <setjmp.h>
#include <spandsp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mc_dtmf_inband.h"
#include "mc_dtmf_translate.h"
#include "mc_rfc4733.h"
#include "mc_test_signal.h"

static const char all_digits[] = "123A456B789C*0#D";

/* Feeds audio in 20 ms blocks and collects the digits reported. */
static size_t detect(uint32_t rate, const int16_t *pcm, size_t n, char *digits,
                     uint32_t *durations)
{
	struct mc_dtmf_detector *d = mc_dtmf_detector_create(rate);
	assert_non_null(d);
	size_t found = 0, block = rate / 50;
	for (size_t off = 0; off < n; off += block) {
		struct mc_dtmf_report rep[4];
		size_t len = n - off < block ? n - off : block;
		int r = mc_dtmf_detector_push(d, pcm + off, len, rep, 4);
		assert_true(r >= 0);
		for (int i = 0; i < r && found < 32; i++, found++) {
			digits[found] = rep[i].digit;
			if (durations)
				durations[found] = rep[i].duration_ms;
		}
	}
	digits[found] = '\0';
	mc_dtmf_detector_destroy(d);
	return found;
}

static int16_t audio[48000 * 8];

static void test_spandsp_dtmf_tx_all_digits(void **state)
{
	(void)state;
	dtmf_tx_state_t *tx = dtmf_tx_init(NULL);
	dtmf_tx_set_timing(tx, 80, 80);
	dtmf_tx_put(tx, all_digits, -1);
	size_t n = (size_t)dtmf_tx(tx, audio, 8000 * 4);
	dtmf_tx_free(tx);
	memset(audio + n, 0, 800 * sizeof(audio[0]));
	char got[33];
	uint32_t dur[32];
	assert_int_equal(detect(8000, audio, n + 800, got, dur), 16);
	assert_string_equal(got, all_digits);
	for (int i = 0; i < 16; i++)
		assert_in_range(dur[i], 60, 100); /* 80 ms tones, 10 ms resolution plus detector lag */
}

static size_t generate(uint32_t rate, const char *digits, uint32_t on, uint32_t off)
{
	struct mc_dtmf_generator *g = mc_dtmf_generator_create(rate);
	assert_non_null(g);
	assert_int_equal(mc_dtmf_generator_queue(g, digits, on, off), 0);
	size_t n = 0;
	while (mc_dtmf_generator_busy(g)) {
		int r = mc_dtmf_generator_read(g, audio + n, 160);
		assert_true(r >= 0);
		if (r == 0)
			break;
		n += (size_t)r;
	}
	mc_dtmf_generator_destroy(g);
	return n;
}

static void test_own_generator_with_noise(void **state)
{
	(void)state;
	uint32_t rates[] = {8000, 16000};
	for (int k = 0; k < 2; k++) {
		size_t n = generate(rates[k], all_digits, 70, 60);
		assert_true(n >= 16 * (70 + 60) * rates[k] / 1000 - rates[k] / 100);
		memset(audio + n, 0, rates[k] / 10 * sizeof(audio[0]));
		n += rates[k] / 10;
		uint32_t seed = 12345;
		mc_test_add_noise(audio, n, 300, &seed); /* about 25 dB below the tones */
		char got[33];
		assert_int_equal(detect(rates[k], audio, n, got, NULL), 16);
		assert_string_equal(got, all_digits);
	}
	/* Noise alone detects nothing. */
	memset(audio, 0, 16000 * sizeof(audio[0]));
	uint32_t seed = 99;
	mc_test_add_noise(audio, 16000, 3000, &seed);
	char got[33];
	assert_int_equal(detect(8000, audio, 16000, got, NULL), 0);
	struct mc_dtmf_generator *g = mc_dtmf_generator_create(8000);
	assert_true(mc_dtmf_generator_queue(g, "12x", 70, 60) < 0);
	mc_dtmf_generator_destroy(g);
	assert_null(mc_dtmf_generator_create(11025));
}

static void test_rfc4733_to_inband(void **state)
{
	(void)state;
	struct mc_dtmf_to_inband *t = mc_dtmf_to_inband_create(8000, 16000);
	assert_non_null(t);
	struct mc_rfc4733_packet p[32];
	struct mc_dtmf_report rep[2];
	int n = mc_rfc4733_train('9', 120, 10, 8000, 20, 800, p, 32);
	int reports = 0;
	for (int i = 0; i < n; i++)
		reports += mc_dtmf_to_inband_event(t, p[i].payload, 4, p[i].ts, rep);
	assert_int_equal(reports, 1);
	/* The outgoing leg's audio (silence here) is overwritten by the tone. */
	memset(audio, 0, 16000 * sizeof(audio[0]));
	size_t filled = 0;
	for (size_t off = 0; off < 16000; off += 320) {
		int r = mc_dtmf_to_inband_fill(t, audio + off, 320);
		assert_true(r >= 0);
		filled += (size_t)r;
	}
	assert_in_range(filled, 16 * (120 + MC_DTMF_GAP_MS) - 320, 16 * (120 + MC_DTMF_GAP_MS) + 320);
	char got[33];
	uint32_t dur[32];
	assert_int_equal(detect(16000, audio, 16000, got, dur), 1);
	assert_string_equal(got, "9");
	assert_in_range(dur[0], 100, 140);
	mc_dtmf_to_inband_destroy(t);
}

static void test_inband_to_rfc4733(void **state)
{
	(void)state;
	size_t n = generate(8000, "4#", 100, 100);
	memset(audio + n, 0, 800 * sizeof(audio[0]));
	n += 800;
	struct mc_dtmf_to_rfc4733 *t = mc_dtmf_to_rfc4733_create(8000, 8000, 20, 10);
	assert_non_null(t);
	struct mc_rfc4733_packet p[64];
	size_t np = 0;
	for (size_t off = 0; off < n; off += 160) {
		int r = mc_dtmf_to_rfc4733_push(t, audio + off, 160, (uint32_t)(off + 160), p + np,
		                                (unsigned)(64 - np));
		assert_true(r >= 0);
		np += (size_t)r;
	}
	/* The trains decode back to the two digits. */
	struct mc_rfc4733_detector d;
	struct mc_dtmf_report rep[2];
	char got[3] = {0};
	int nd = 0;
	mc_rfc4733_detector_init(&d, 8000);
	for (size_t i = 0; i < np; i++) {
		int r = mc_rfc4733_detector_push(&d, p[i].payload, 4, p[i].ts, rep);
		assert_true(r >= 0);
		for (int k = 0; k < r && nd < 2; k++) {
			got[nd++] = rep[k].digit;
			assert_in_range(rep[k].duration_ms, 80, 120);
		}
	}
	assert_string_equal(got, "4#");
	mc_dtmf_to_rfc4733_destroy(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spandsp_dtmf_tx_all_digits),
		cmocka_unit_test(test_own_generator_with_noise),
		cmocka_unit_test(test_rfc4733_to_inband),
		cmocka_unit_test(test_inband_to_rfc4733),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
