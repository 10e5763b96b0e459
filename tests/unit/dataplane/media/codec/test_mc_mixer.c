/* Conference mixer: a leg never hears itself; everyone else hears it in their own codec. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_mixer.h"
#include "mc_test_signal.h"

#define TICKS 50

struct leg {
	const char *codec;
	int id;
	struct mc_codec *enc; /* the phone's side: makes the leg's packets */
	struct mc_codec *dec; /* the phone's side: plays what the mixer sends */
	uint32_t rate;
	int16_t heard[48000];
	size_t nheard;
};

static void leg_join(struct mc_mixer *m, struct leg *l, const char *codec)
{
	const struct mc_codec_desc *d = mc_codec_find(codec, 0);
	struct mc_mixer_leg_cfg cfg = {.codec = d, .ptime_ms = 20, .ts_base = 1000};
	l->codec = codec;
	l->rate = d->sample_rate;
	l->id = mc_mixer_join(m, &cfg);
	assert_true(l->id >= 0);
	l->enc = mc_codec_create(d, NULL, MC_CODEC_ENC);
	l->dec = mc_codec_create(d, NULL, MC_CODEC_DEC);
	l->nheard = 0;
}

static void leg_done(struct leg *l)
{
	mc_codec_destroy(l->enc);
	mc_codec_destroy(l->dec);
}

/* One second: the speakers send a tone each tick (hz 0 = silent leg), everyone takes output. */
static void run(struct mc_mixer *m, struct leg *legs, size_t n, const double *hz)
{
	static int16_t pcm[960 * TICKS];
	for (int t = 0; t < TICKS; t++) {
		for (size_t i = 0; i < n; i++) {
			if (hz[i] <= 0)
				continue;
			size_t frame = legs[i].rate / 50;
			mc_test_sine(pcm, frame * TICKS, legs[i].rate, hz[i], 8000);
			uint8_t pkt[MC_MAX_PAYLOAD];
			int len = mc_codec_encode(legs[i].enc, pcm + frame * (size_t)t, frame, pkt,
			                          sizeof(pkt));
			assert_true(len > 0);
			assert_int_equal(mc_mixer_put(m, legs[i].id, pkt, (size_t)len, (uint16_t)t,
			                              (uint32_t)(t * 160)), 0);
		}
		assert_int_equal(mc_mixer_tick(m), (int)n);
		for (size_t i = 0; i < n; i++) {
			struct mc_encoded_frame f[4];
			int got = mc_mixer_take(m, legs[i].id, f, 4);
			assert_int_equal(got, 1);
			assert_int_equal(f[0].ts, 1000 + mc_codec_samples_to_ticks(
			                              mc_codec_find(legs[i].codec, 0), legs[i].rate / 50) *
			                                  (uint32_t)t);
			int s = mc_codec_decode(legs[i].dec, f[0].payload, f[0].len,
			                        legs[i].heard + legs[i].nheard, 960);
			assert_int_equal(s, (int)legs[i].rate / 50);
			legs[i].nheard += (size_t)s;
		}
	}
}

static double heard_tone(const struct leg *l, double hz)
{
	size_t skip = l->rate / 5, win = l->rate / 2;
	return mc_test_goertzel(l->heard + skip, win, l->rate, hz);
}

static void test_single_speaker_exclusion(void **state)
{
	(void)state;
	struct mc_mixer *m = mc_mixer_create(8);
	assert_non_null(m);
	static struct leg legs[3];
	leg_join(m, &legs[0], "PCMU");
	leg_join(m, &legs[1], "G722");
	leg_join(m, &legs[2], "opus");
	const double hz[3] = {600, 0, 0};
	run(m, legs, 3, hz);
	/* The speaker hears silence ... */
	assert_true(mc_test_power(legs[0].heard + 1600, 4800) < 10.0);
	/* ... everyone else hears the 600 Hz speech at about its level (8000 peak). */
	for (int i = 1; i < 3; i++) {
		double p = heard_tone(&legs[i], 600);
		print_message("%s hears 600 Hz at %.0f\n", legs[i].codec, p);
		assert_true(p > 0.7 * 8000.0 * 8000 / 4);
	}
	for (int i = 0; i < 3; i++)
		leg_done(&legs[i]);
	mc_mixer_destroy(m);
}

static void test_two_speakers_mix_minus(void **state)
{
	(void)state;
	struct mc_mixer *m = mc_mixer_create(4);
	static struct leg legs[3];
	leg_join(m, &legs[0], "PCMA");
	leg_join(m, &legs[1], "G722");
	leg_join(m, &legs[2], "G729");
	const double hz[3] = {500, 1500, 0};
	run(m, legs, 3, hz);
	double want = 8000.0 * 8000 / 4;
	/* Each speaker hears only the other; the listener hears both. */
	assert_true(heard_tone(&legs[0], 1500) > 0.7 * want);
	assert_true(heard_tone(&legs[0], 500) < 0.01 * want);
	assert_true(heard_tone(&legs[1], 500) > 0.7 * want);
	assert_true(heard_tone(&legs[1], 1500) < 0.01 * want);
	assert_true(heard_tone(&legs[2], 500) > 0.4 * want);
	assert_true(heard_tone(&legs[2], 1500) > 0.4 * want);
	for (int i = 0; i < 3; i++)
		leg_done(&legs[i]);
	mc_mixer_destroy(m);
}

static void test_saturation_and_limits(void **state)
{
	(void)state;
	struct mc_mixer *m = mc_mixer_create(3);
	static struct leg legs[3];
	const char *names[] = {"PCMU", "PCMU", "PCMU"};
	for (int i = 0; i < 3; i++)
		leg_join(m, &legs[i], names[i]);
	struct mc_mixer_leg_cfg cfg = {.codec = mc_codec_find("PCMU", 0), .ptime_ms = 20};
	assert_int_equal(mc_mixer_join(m, &cfg), -ENOSPC);
	/* Two loud legs in phase: the third hears the sum clipped, never wrapped around. */
	int16_t loud[320];
	for (int i = 0; i < 320; i++)
		loud[i] = 30000;
	assert_int_equal(mc_mixer_put_pcm(m, legs[0].id, loud, 320), 0);
	assert_int_equal(mc_mixer_put_pcm(m, legs[1].id, loud, 320), 0);
	assert_int_equal(mc_mixer_tick(m), 3);
	struct mc_encoded_frame f[2];
	assert_int_equal(mc_mixer_take(m, legs[2].id, f, 2), 1);
	int16_t out[160];
	mc_codec_decode(legs[2].dec, f[0].payload, f[0].len, out, 160);
	for (int i = 40; i < 160; i++)
		assert_true(out[i] > 30000);
	/* Leg 0 hears leg 1 only: 30000, not the clipped sum minus itself. */
	assert_int_equal(mc_mixer_take(m, legs[0].id, f, 2), 1);
	mc_codec_decode(legs[0].dec, f[0].payload, f[0].len, out, 160);
	for (int i = 40; i < 160; i++)
		assert_in_range(out[i], 28000, 32124);
	assert_int_equal(mc_mixer_stats(m)->underruns, 1);
	assert_int_equal(mc_mixer_leave(m, legs[1].id), 0);
	assert_int_equal(mc_mixer_leave(m, legs[1].id), -ENOENT);
	assert_true(mc_mixer_join(m, &cfg) >= 0); /* the freed slot is reused */
	assert_int_equal(mc_mixer_put(m, 7, f[0].payload, 1, 0, 0), -ENOENT);
	for (int i = 0; i < 3; i++)
		leg_done(&legs[i]);
	mc_mixer_destroy(m);
	assert_null(mc_mixer_create(MC_MIXER_MAX_LEGS + 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_speaker_exclusion),
		cmocka_unit_test(test_two_speakers_mix_minus),
		cmocka_unit_test(test_saturation_and_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
