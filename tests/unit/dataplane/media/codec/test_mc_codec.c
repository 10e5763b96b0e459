/* Codec table and round trips: each codec must carry a sine through encode and decode with an
 * error bound a broken codec cannot meet. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_test_signal.h"

#define SECONDS 1

/* Sines are periodic, so the best lag is only defined modulo the period: SNR and correlation
 * at that lag are what the tests bound. */

struct round_trip {
	double snr_db; /* at the best lag */
	double corr;
	size_t lag;
	double tone_fraction; /* power at the test frequency over total power */
};

/* Encodes SECONDS of a 20 ms-framed sine, decodes it, and measures the result. */
static struct round_trip run_round_trip(const char *name, double hz, double amp,
                                        const struct mc_codec_params *params)
{
	static int16_t in[48000 * SECONDS], out[48000 * SECONDS + 960];
	const struct mc_codec_desc *d = mc_codec_find(name, 0);
	assert_non_null(d);
	struct mc_codec *c = mc_codec_create(d, params, MC_CODEC_ENC | MC_CODEC_DEC);
	assert_non_null(c);
	size_t total = d->sample_rate * SECONDS, frame = d->sample_rate / 50, got = 0;
	mc_test_sine(in, total, d->sample_rate, hz, amp);
	for (size_t off = 0; off + frame <= total; off += frame) {
		uint8_t pkt[MC_MAX_PAYLOAD];
		int len = mc_codec_encode(c, in + off, frame, pkt, sizeof(pkt));
		assert_true(len > 0);
		int n = mc_codec_decode(c, pkt, (size_t)len, out + got, sizeof(out) / 2 - got);
		assert_int_equal(n, (int)frame);
		got += (size_t)n;
	}
	assert_int_equal(got, total);
	mc_codec_destroy(c);

	struct round_trip rt;
	size_t skip = d->sample_rate / 10, win = d->sample_rate / 2, max_lag = d->sample_rate / 100;
	rt.lag = mc_test_best_lag(in + skip, out + skip, win, max_lag, &rt.corr);
	rt.snr_db = mc_test_snr_db(in + skip, out + skip + rt.lag, win);
	rt.tone_fraction = 4 * mc_test_goertzel(out + skip, win, d->sample_rate, hz) /
	                   (2 * mc_test_power(out + skip, win));
	print_message("%-5s snr %.1f dB corr %.4f lag %zu tone %.3f\n", name, rt.snr_db, rt.corr,
	              rt.lag, rt.tone_fraction);
	return rt;
}

static void test_table(void **state)
{
	(void)state;
	const struct mc_codec_desc *g722 = mc_codec_find("g722", 8000);
	assert_non_null(g722);
	assert_int_equal(g722->sample_rate, 16000);
	assert_int_equal(g722->rtp_clock, 8000);
	assert_int_equal(g722->static_pt, 9);
	assert_ptr_equal(mc_codec_find_static_pt(0), mc_codec_find("PCMU", 8000));
	assert_ptr_equal(mc_codec_find_static_pt(8), mc_codec_find("PCMA", 0));
	assert_ptr_equal(mc_codec_find_static_pt(18), mc_codec_find("G729", 8000));
	assert_null(mc_codec_find_static_pt(96));
	assert_null(mc_codec_find("G722", 16000)); /* the RTP clock is 8000, never 16000 */
	assert_null(mc_codec_find("iLBC", 0));
	const struct mc_codec_desc *opus = mc_codec_find("OPUS", 48000);
	assert_non_null(opus);
	assert_int_equal(opus->static_pt, -1);
	assert_int_equal(mc_codec_count(), 5);
	assert_int_equal(mc_codec_samples_to_ticks(g722, 320), 160);
	assert_int_equal(mc_codec_ticks_to_samples(g722, 160), 320);
}

static void test_pcmu(void **state)
{
	(void)state;
	struct round_trip rt = run_round_trip("PCMU", 1000, 16000, NULL);
	assert_int_equal(rt.lag, 0);
	assert_true(rt.snr_db > 30.0);
}

static void test_pcma(void **state)
{
	(void)state;
	struct round_trip rt = run_round_trip("PCMA", 1000, 16000, NULL);
	assert_int_equal(rt.lag, 0);
	assert_true(rt.snr_db > 30.0);
}

static void test_g722(void **state)
{
	(void)state;
	struct round_trip rt = run_round_trip("G722", 1000, 12000, NULL);
	assert_true(rt.snr_db > 35.0);
	/* A 6 kHz tone lives only in the upper sub-band: wideband must survive. */
	rt = run_round_trip("G722", 6000, 8000, NULL);
	assert_true(rt.snr_db > 20.0);
	assert_true(rt.tone_fraction > 0.95);
}

static void test_g729(void **state)
{
	(void)state;
	struct round_trip rt = run_round_trip("G729", 700, 8000, NULL);
	assert_true(rt.corr > 0.98);
	assert_true(rt.snr_db > 12.0);
	assert_true(rt.tone_fraction > 0.95);
}

static void test_opus(void **state)
{
	(void)state;
	struct round_trip rt = run_round_trip("opus", 1000, 12000, NULL);
	assert_true(rt.snr_db > 25.0);
	assert_true(rt.tone_fraction > 0.98);
	struct mc_codec_params p = {.complexity = 10, .bitrate = 32000};
	rt = run_round_trip("opus", 440, 12000, &p);
	assert_true(rt.snr_db > 15.0);
	assert_true(rt.corr > 0.99);
}

static void test_opus_stereo_decode_and_odd_ptime(void **state)
{
	(void)state;
	const struct mc_codec_desc *d = mc_codec_find("opus", 0);
	struct mc_codec *enc = mc_codec_create(d, NULL, MC_CODEC_ENC);
	struct mc_codec_params sp = {.channels = 2};
	struct mc_codec *dec = mc_codec_create(d, &sp, MC_CODEC_DEC);
	assert_non_null(enc);
	assert_non_null(dec);
	static int16_t in[1440], out[2 * 2880];
	uint8_t pkt[MC_MAX_PAYLOAD];
	/* 30 ms is not a native Opus frame: it is built from three 10 ms frames. */
	for (int i = 0; i < 20; i++) {
		mc_test_sine(in, 1440, 48000, 1000, 10000);
		int len = mc_codec_encode(enc, in, 1440, pkt, sizeof(pkt));
		assert_true(len > 0);
		assert_int_equal(mc_codec_decode(dec, pkt, (size_t)len, out, 2 * 2880), 1440);
	}
	/* Interleaved stereo output: both channels carry the mono signal. */
	double l = 0, r = 0;
	for (int i = 0; i < 1440; i++) {
		l += (double)out[2 * i] * out[2 * i];
		r += (double)out[2 * i + 1] * out[2 * i + 1];
	}
	assert_true(l > 1e6 * 1440 / 100);
	assert_true(r > 0.8 * l && r < 1.25 * l);
	assert_int_equal(mc_codec_encode(enc, in, 1000, pkt, sizeof(pkt)), -EINVAL);
	/* Loss: PLC gives the asked-for length. */
	assert_int_equal(mc_codec_conceal(dec, NULL, 0, out, 960), 960);
	mc_codec_destroy(enc);
	mc_codec_destroy(dec);
}

static void test_conceal_and_errors(void **state)
{
	(void)state;
	const char *names[] = {"PCMU", "PCMA", "G722", "G729"};
	for (size_t i = 0; i < 4; i++) {
		const struct mc_codec_desc *d = mc_codec_find(names[i], 0);
		struct mc_codec *c = mc_codec_create(d, NULL, MC_CODEC_ENC | MC_CODEC_DEC);
		assert_non_null(c);
		int16_t pcm[320], out[320];
		uint8_t pkt[320];
		size_t frame = d->sample_rate / 50;
		mc_test_sine(pcm, frame, d->sample_rate, 500, 10000);
		for (int k = 0; k < 5; k++) {
			int len = mc_codec_encode(c, pcm, frame, pkt, sizeof(pkt));
			assert_true(len > 0);
			assert_int_equal(mc_codec_decode(c, pkt, (size_t)len, out, 320), (int)frame);
		}
		/* Concealment continues the signal rather than giving silence. */
		assert_int_equal(mc_codec_conceal(c, NULL, 0, out, frame), (int)frame);
		assert_true(mc_test_power(out, frame) > 1e5);
		assert_int_equal(mc_codec_decode(c, NULL, 0, out, 320), -EBADMSG);
		assert_int_equal(mc_codec_encode(c, pcm, 0, pkt, sizeof(pkt)), -EINVAL);
		/* An output buffer too small is refused, never overrun. */
		assert_true(mc_codec_encode(c, pcm, frame, pkt, 4) < 0);
		mc_codec_destroy(c);
	}
	const struct mc_codec_desc *g729 = mc_codec_find("G729", 0);
	struct mc_codec *c = mc_codec_create(g729, NULL, MC_CODEC_DEC);
	int16_t out[320];
	uint8_t odd[7] = {0};
	assert_int_equal(mc_codec_decode(c, odd, sizeof(odd), out, 320), -EBADMSG);
	/* A decoder-only instance cannot encode. */
	assert_int_equal(mc_codec_encode(c, out, 80, odd, sizeof(odd)), -EINVAL);
	mc_codec_destroy(c);
	struct mc_codec_params bad = {.channels = 3};
	assert_null(mc_codec_create(mc_codec_find("opus", 0), &bad, MC_CODEC_DEC));
}

static void test_opus_fec_and_g729_annexb(void **state)
{
	(void)state;
	/* Opus with in-band FEC: a lost frame rebuilt from the next packet's FEC is closer to the
	 * real frame than plain PLC. Three decoders share the same history. */
	const struct mc_codec_desc *d = mc_codec_find("opus", 0);
	struct mc_codec_params p = {.opus_fec = 1, .bitrate = 32000};
	struct mc_codec *c = mc_codec_create(d, &p, MC_CODEC_ENC);
	struct mc_codec *dec[3];
	static int16_t in[960 * 30], out[3][960];
	static uint8_t pkt[30][MC_MAX_PAYLOAD];
	int len[30];
	assert_non_null(c);
	/* A moving chirp, so plain PLC cannot just repeat the last period. */
	for (int i = 0; i < 960 * 30; i++)
		in[i] = (int16_t)(9000 * sin(2 * M_PI * (300.0 + 0.05 * i) * i / 48000.0));
	for (int i = 0; i < 30; i++) {
		len[i] = mc_codec_encode(c, in + 960 * i, 960, pkt[i], MC_MAX_PAYLOAD);
		assert_true(len[i] > 0);
	}
	for (int k = 0; k < 3; k++) {
		dec[k] = mc_codec_create(d, NULL, MC_CODEC_DEC);
		for (int i = 0; i < 20; i++)
			assert_int_equal(mc_codec_decode(dec[k], pkt[i], (size_t)len[i], out[k], 960), 960);
	}
	assert_int_equal(mc_codec_decode(dec[0], pkt[20], (size_t)len[20], out[0], 960), 960);
	assert_int_equal(mc_codec_conceal(dec[1], pkt[21], (size_t)len[21], out[1], 960), 960);
	assert_int_equal(mc_codec_conceal(dec[2], NULL, 0, out[2], 960), 960);
	double fec = mc_test_snr_db(out[0], out[1], 960), plc = mc_test_snr_db(out[0], out[2], 960);
	print_message("opus lost frame: FEC %.1f dB, PLC %.1f dB\n", fec, plc);
	assert_true(fec > plc + 3.0);
	for (int k = 0; k < 3; k++)
		mc_codec_destroy(dec[k]);
	mc_codec_destroy(c);

	/* G.729 Annex B: silence gives SID (2 bytes) or nothing, speech gives 10-byte frames. */
	struct mc_codec_params b = {.g729_annexb = 1};
	c = mc_codec_create(mc_codec_find("G729", 0), &b, MC_CODEC_ENC | MC_CODEC_DEC);
	int16_t silence[160] = {0};
	uint8_t buf[32];
	int small = 0;
	for (int i = 0; i < 50; i++) {
		int r = mc_codec_encode(c, silence, 160, buf, sizeof(buf));
		assert_true(r >= 0 && r <= 20);
		small += r < 20;
	}
	assert_true(small > 40);
	mc_codec_destroy(c);
	/* Annex B is off by default: always two 10-byte frames per 20 ms. */
	c = mc_codec_create(mc_codec_find("G729", 0), NULL, MC_CODEC_ENC);
	for (int i = 0; i < 10; i++)
		assert_int_equal(mc_codec_encode(c, silence, 160, buf, sizeof(buf)), 20);
	mc_codec_destroy(c);
}

static void test_conceal_short_frames(void **state)
{
	(void)state;
	/* 10 ms packets with losses of one and several frames, on the codecs using the shared PLC
	 * (which must stay memory-safe for frames shorter than its history). */
	const char *names[] = {"PCMU", "G722"};
	for (size_t i = 0; i < 2; i++) {
		const struct mc_codec_desc *d = mc_codec_find(names[i], 0);
		struct mc_codec *c = mc_codec_create(d, NULL, MC_CODEC_ENC | MC_CODEC_DEC);
		size_t frame = d->sample_rate / 100;
		int16_t pcm[160], out[160];
		uint8_t pkt[160];
		for (int k = 0; k < 40; k++) {
			mc_test_sine(pcm, frame, d->sample_rate, 300 + 10 * k, 9000);
			if (k % 7 == 3 || k % 11 == 5 || k % 11 == 6) {
				assert_int_equal(mc_codec_conceal(c, NULL, 0, out, frame), (int)frame);
				continue;
			}
			int len = mc_codec_encode(c, pcm, frame, pkt, sizeof(pkt));
			assert_int_equal(mc_codec_decode(c, pkt, (size_t)len, out, 160), (int)frame);
		}
		mc_codec_destroy(c);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_pcmu),
		cmocka_unit_test(test_pcma),
		cmocka_unit_test(test_g722),
		cmocka_unit_test(test_g729),
		cmocka_unit_test(test_opus),
		cmocka_unit_test(test_opus_stereo_decode_and_odd_ptime),
		cmocka_unit_test(test_conceal_and_errors),
		cmocka_unit_test(test_conceal_short_frames),
		cmocka_unit_test(test_opus_fec_and_g729_annexb),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
