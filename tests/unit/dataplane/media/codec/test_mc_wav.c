/* WAV: recordings read back bit-exact; prompts in A-law, mu-law, stereo and other rates load
 * converted to the leg rate; bad files give clear errors. */
#include <setjmp.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_encode_path.h"
#include "mc_test_signal.h"
#include "mc_wav.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/mc_wav_XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void path_of(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

/* Writes a file in any libsndfile format, as a third-party prompt would be. */
static void write_file(const char *path, int format, int rate, int channels, const int16_t *pcm,
                       size_t frames)
{
	SF_INFO info = {.samplerate = rate, .channels = channels, .format = format};
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	assert_int_equal(sf_writef_short(f, pcm, (sf_count_t)frames), (sf_count_t)frames);
	sf_close(f);
}

static int16_t a[48000], b[48000], st[2 * 48000];

static void test_record_read_bit_exact(void **state)
{
	(void)state;
	char path[128], err[256];
	path_of(path, sizeof(path), "rec.wav");
	uint32_t seed = 7;
	mc_test_sine(a, 16000, 16000, 523, 20000);
	mc_test_add_noise(a, 16000, 12000, &seed);
	a[0] = INT16_MIN;
	a[1] = INT16_MAX;
	struct mc_recorder *r = mc_recorder_open(path, 16000, 1, err, sizeof(err));
	assert_non_null(r);
	for (size_t off = 0; off < 16000; off += 320)
		assert_int_equal(mc_recorder_write(r, a + off, NULL, 320), 0);
	assert_int_equal(mc_recorder_close(r), 0);

	struct mc_prompt *p = mc_prompt_load(path, 16000, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(p->samples, 16000);
	assert_memory_equal(p->pcm, a, 16000 * sizeof(a[0]));
	struct mc_prompt_cursor c;
	mc_prompt_cursor_init(&c, p);
	size_t total = 0, got;
	while ((got = mc_prompt_read(&c, b + total, 333)) > 0)
		total += got;
	assert_int_equal(total, 16000);
	assert_true(mc_prompt_done(&c));
	assert_memory_equal(b, a, 16000 * sizeof(a[0]));
	mc_prompt_free(p);
}

static void test_two_leg_recording(void **state)
{
	(void)state;
	char path[128], err[256];
	path_of(path, sizeof(path), "both.wav");
	mc_test_sine(a, 8000, 8000, 440, 10000);
	mc_test_sine(b, 8000, 8000, 1200, 6000);
	struct mc_recorder *r = mc_recorder_open(path, 8000, 2, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(mc_recorder_write(r, a, b, 8000), 0);
	assert_int_equal(mc_recorder_write(r, a, NULL, 100), 0);
	assert_int_equal(mc_recorder_close(r), 0);
	SF_INFO info = {0};
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	assert_non_null(f);
	assert_int_equal(info.channels, 2);
	assert_int_equal(info.samplerate, 8000);
	assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	assert_int_equal(sf_readf_short(f, st, 8100), 8100);
	sf_close(f);
	for (size_t i = 0; i < 8000; i++) {
		assert_int_equal(st[2 * i], a[i]);
		assert_int_equal(st[2 * i + 1], b[i]);
	}
	for (size_t i = 8000; i < 8100; i++)
		assert_int_equal(st[2 * i + 1], 0);
	/* As a prompt, the two channels are mixed down to mono. */
	struct mc_prompt *p = mc_prompt_load(path, 8000, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(p->samples, 8100);
	for (size_t i = 0; i < 8000; i++)
		assert_int_equal(p->pcm[i], (a[i] + b[i]) / 2);
	mc_prompt_free(p);
}

static void test_companded_and_resampled_prompts(void **state)
{
	(void)state;
	char path[128], err[256];
	const int formats[] = {SF_FORMAT_WAV | SF_FORMAT_ALAW, SF_FORMAT_WAV | SF_FORMAT_ULAW};
	mc_test_sine(a, 8000, 8000, 1000, 12000);
	for (int k = 0; k < 2; k++) {
		path_of(path, sizeof(path), k ? "ulaw.wav" : "alaw.wav");
		write_file(path, formats[k], 8000, 1, a, 8000);
		struct mc_prompt *p = mc_prompt_load(path, 8000, err, sizeof(err));
		assert_non_null(p);
		assert_int_equal(p->samples, 8000);
		assert_true(mc_test_snr_db(a, p->pcm, 8000) > 30.0);
		mc_prompt_free(p);
		/* The same file for a wideband leg: twice the samples, same tone, same timing. */
		p = mc_prompt_load(path, 16000, err, sizeof(err));
		assert_non_null(p);
		assert_int_equal(p->samples, 16000);
		mc_test_sine(b, 16000, 16000, 1000, 12000);
		double corr;
		assert_int_equal(mc_test_best_lag(b + 1600, p->pcm + 1600, 8000, 0, &corr), 0);
		assert_true(corr > 0.99); /* no leading filter delay */
		mc_prompt_free(p);
	}
	/* A 44.1 kHz stereo music file for an 8 kHz leg. */
	path_of(path, sizeof(path), "music.wav");
	mc_test_sine(a, 44100, 44100, 600, 9000);
	for (size_t i = 0; i < 44100; i++)
		st[2 * i] = st[2 * i + 1] = a[i];
	write_file(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 44100, 2, st, 44100);
	struct mc_prompt *p = mc_prompt_load(path, 8000, err, sizeof(err));
	assert_non_null(p);
	assert_int_equal(p->samples, 8000);
	assert_true(mc_test_goertzel(p->pcm + 800, 4000, 8000, 600) > 0.9 * 9000.0 * 9000 / 4);
	mc_prompt_free(p);
}

static void test_prompt_played_to_a_leg(void **state)
{
	(void)state;
	/* A 16 kHz prompt played to a PCMU leg: cursor -> encode path (resample, 20 ms packets) ->
	 * the phone decodes the same tone, delayed only by the resampler, in 50 packets on the
	 * output clock. */
	char path[128], err[256];
	path_of(path, sizeof(path), "prompt.wav");
	mc_test_sine(a, 16000, 16000, 800, 12000);
	write_file(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 16000, 1, a, 16000);
	struct mc_prompt *p = mc_prompt_load(path, 16000, err, sizeof(err));
	assert_non_null(p);
	struct mc_encode_path_cfg cfg = {
		.codec = mc_codec_find("PCMU", 0), .in_rate = 16000, .ptime_ms = 20, .ts_base = 77,
		.resample_quality = -1,
	};
	struct mc_encode_path *ep = mc_encode_path_create(&cfg);
	struct mc_codec *phone = mc_codec_create(cfg.codec, NULL, MC_CODEC_DEC);
	assert_non_null(ep);
	struct mc_prompt_cursor c;
	mc_prompt_cursor_init(&c, p);
	int16_t block[320];
	struct mc_encoded_frame f[2];
	size_t heard = 0, packets = 0;
	while (!mc_prompt_done(&c)) {
		size_t n = mc_prompt_read(&c, block, 320);
		int r = mc_encode_path_push(ep, block, n, f, 2);
		for (int k = 0; k < r; k++, packets++) {
			assert_int_equal(f[k].ts, 77 + 160 * packets);
			heard += (size_t)mc_codec_decode(phone, f[k].payload, f[k].len, b + heard, 160);
		}
	}
	assert_int_equal(packets, 50);
	assert_int_equal(heard, 8000);
	mc_test_sine(st, 8000, 8000, 800, 12000);
	double corr;
	size_t lag = mc_test_best_lag(st + 800, b + 800, 4000, 40, &corr);
	assert_true(mc_test_snr_db(st + 800, b + 800 + lag, 4000) > 25.0);
	mc_codec_destroy(phone);
	mc_encode_path_destroy(ep);
	mc_prompt_free(p);
}

static void test_errors(void **state)
{
	(void)state;
	char path[128], err[256] = "";
	path_of(path, sizeof(path), "missing.wav");
	assert_null(mc_prompt_load(path, 8000, err, sizeof(err)));
	assert_non_null(strstr(err, "missing.wav"));
	path_of(path, sizeof(path), "three.wav");
	write_file(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 8000, 3, st, 100);
	assert_null(mc_prompt_load(path, 8000, err, sizeof(err)));
	assert_non_null(strstr(err, "mono or stereo"));
	path_of(path, sizeof(path), "junk.wav");
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs("RIFF this is not a wave file", f);
	fclose(f);
	assert_null(mc_prompt_load(path, 8000, err, sizeof(err)));
	assert_null(mc_recorder_open(path, 8000, 3, err, sizeof(err)));
	path_of(path, sizeof(path), "no/such/dir.wav");
	assert_null(mc_recorder_open(path, 8000, 1, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_read_bit_exact),
		cmocka_unit_test(test_two_leg_recording),
		cmocka_unit_test(test_companded_and_resampled_prompts),
		cmocka_unit_test(test_prompt_played_to_a_leg),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
