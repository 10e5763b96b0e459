/* Transcoder: ptime adaptation keeps every sample, timestamps follow the output clock, and
 * packet loss never shifts them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_transcoder.h"
#include "mc_test_signal.h"

#define NPKT 100
#define OUT_CAP 16

struct stream {
	uint8_t payload[NPKT][160];
	int16_t pcm[NPKT * 160];
};

/* 100 PCMU packets of 20 ms carrying a 2-second sweep of two tones. */
static void make_pcmu_stream(struct stream *s)
{
	const struct mc_codec_desc *d = mc_codec_find("PCMU", 8000);
	struct mc_codec *c = mc_codec_create(d, NULL, MC_CODEC_ENC);
	int16_t tone2[NPKT * 160];
	mc_test_sine(s->pcm, NPKT * 160, 8000, 440, 8000);
	mc_test_sine(tone2, NPKT * 160, 8000, 1330, 4000);
	for (size_t i = 0; i < NPKT * 160; i++)
		s->pcm[i] = (int16_t)(s->pcm[i] + tone2[i]);
	for (int i = 0; i < NPKT; i++)
		assert_int_equal(mc_codec_encode(c, s->pcm + i * 160, 160, s->payload[i], 160), 160);
	mc_codec_destroy(c);
}

static struct mc_transcoder *make(const char *in, const char *out, uint32_t ptime, uint32_t base)
{
	struct mc_transcoder_cfg cfg = {
		.in_codec = mc_codec_find(in, 0), .out_codec = mc_codec_find(out, 0),
		.out_ptime_ms = ptime, .out_ts_base = base, .resample_quality = -1,
	};
	struct mc_transcoder *t = mc_transcoder_create(&cfg);
	assert_non_null(t);
	return t;
}

static void test_ptime_20_30_20_keeps_samples(void **state)
{
	(void)state;
	static struct stream s;
	make_pcmu_stream(&s);
	struct mc_transcoder *to30 = make("PCMU", "PCMU", 30, 1000);
	struct mc_transcoder *to20 = make("PCMU", "PCMU", 20, 4294967000u); /* wraps */
	static struct mc_encoded_frame f30[OUT_CAP], f20[OUT_CAP];
	static uint8_t result[NPKT * 160];
	size_t n30 = 0, n20 = 0, bytes = 0;
	uint16_t seq30 = 7;
	uint16_t seq = 65530; /* input sequence numbers and timestamps wrap too */
	uint32_t ts = 4294966000u;
	for (int i = 0; i < NPKT; i++, seq++, ts += 160) {
		int n = mc_transcoder_push(to30, s.payload[i], 160, seq, ts, f30, OUT_CAP);
		assert_true(n >= 0);
		for (int k = 0; k < n; k++, n30++) {
			assert_int_equal(f30[k].len, 240);
			assert_int_equal(f30[k].ts, 1000 + 240 * n30);
			int m = mc_transcoder_push(to20, f30[k].payload, 240, seq30++, f30[k].ts, f20,
			                           OUT_CAP);
			assert_true(m >= 0);
			for (int j = 0; j < m; j++, n20++) {
				assert_int_equal(f20[j].len, 160);
				assert_int_equal(f20[j].ts, (uint32_t)(4294967000u + 160 * n20));
				memcpy(result + bytes, f20[j].payload, 160);
				bytes += 160;
			}
		}
	}
	assert_int_equal(n30, NPKT * 160 / 240); /* 66 whole 30 ms packets from 2 s */
	assert_int_equal(n20, n30 * 240 / 160);
	/* Every sample arrives, in order, unchanged (G.711 re-encoding of G.711 is lossless). */
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 0), NULL, MC_CODEC_DEC);
	static int16_t got[NPKT * 160], want[NPKT * 160];
	for (size_t off = 0; off < bytes; off += 160) {
		assert_int_equal(mc_codec_decode(dec, result + off, 160, got + off, 160), 160);
		assert_int_equal(mc_codec_decode(dec, s.payload[off / 160], 160, want + off, 160), 160);
	}
	assert_memory_equal(got, want, bytes * sizeof(got[0]));
	mc_codec_destroy(dec);
	mc_transcoder_destroy(to30);
	mc_transcoder_destroy(to20);
}

/* Feeds the stream to PCMU -> out, dropping the packets listed; checks the output timestamps are
 * exactly base + k * step and returns the number of output packets. */
static size_t run_with_loss(const char *out, uint32_t ptime, uint32_t step, const int *lost,
                            size_t nlost, struct mc_transcoder **keep)
{
	static struct stream s;
	make_pcmu_stream(&s);
	struct mc_transcoder *t = make("PCMU", out, ptime, 123456);
	static struct mc_encoded_frame f[OUT_CAP];
	size_t made = 0;
	for (int i = 0; i < NPKT; i++) {
		int skip = 0;
		for (size_t k = 0; k < nlost; k++)
			skip |= lost[k] == i;
		if (skip)
			continue;
		int n = mc_transcoder_push(t, s.payload[i], 160, (uint16_t)(100 + i),
		                           (uint32_t)(50000 + 160 * i), f, OUT_CAP);
		assert_true(n >= 0);
		for (int k = 0; k < n; k++, made++) {
			assert_true(f[k].len > 0);
			assert_int_equal(f[k].ts, 123456 + step * made);
		}
	}
	*keep = t;
	return made;
}

static void test_loss_does_not_shift_timestamps(void **state)
{
	(void)state;
	static const int lost[] = {10, 11, 30, 31, 32, 77};
	struct mc_transcoder *t;
	/* G.722: 16 kHz audio, 8000 RTP clock, 160 ticks per 20 ms. */
	size_t n = run_with_loss("G722", 20, 160, lost, 6, &t);
	assert_int_equal(n, NPKT); /* lost packets were concealed, not skipped */
	assert_int_equal(mc_transcoder_decode_stats(t)->concealed_samples, 6 * 160);
	assert_int_equal(mc_transcoder_decode_stats(t)->packets, NPKT - 6);
	mc_transcoder_destroy(t);

	n = run_with_loss("opus", 20, 960, lost, 6, &t);
	assert_int_equal(n, NPKT);
	mc_transcoder_destroy(t);

	/* G.729 at 30 ms: 240 ticks per packet, 2 s -> 66 packets, loss or not. */
	n = run_with_loss("G729", 30, 240, lost, 6, &t);
	assert_int_equal(n, NPKT * 160 / 240);
	mc_transcoder_destroy(t);

	n = run_with_loss("G729", 30, 240, NULL, 0, &t);
	assert_int_equal(n, NPKT * 160 / 240);
	mc_transcoder_destroy(t);
}

static void test_concealed_audio_stays_in_time(void **state)
{
	(void)state;
	/* After a loss, the audio that follows must sit at the same output position as without the
	 * loss: compare the decoded tail of two PCMU->PCMU runs. */
	static struct stream s;
	make_pcmu_stream(&s);
	static int16_t a[NPKT * 160], b[NPKT * 160];
	for (int pass = 0; pass < 2; pass++) {
		struct mc_transcoder *t = make("PCMU", "PCMU", 20, 0);
		struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 0), NULL, MC_CODEC_DEC);
		static struct mc_encoded_frame f[OUT_CAP];
		int16_t *dst = pass ? b : a;
		for (int i = 0; i < NPKT; i++) {
			if (pass && (i == 40 || i == 41))
				continue;
			int n = mc_transcoder_push(t, s.payload[i], 160, (uint16_t)i, (uint32_t)(160 * i), f,
			                           OUT_CAP);
			for (int k = 0; k < n; k++)
				mc_codec_decode(dec, f[k].payload, f[k].len, dst + f[k].ts, 160);
		}
		mc_codec_destroy(dec);
		mc_transcoder_destroy(t);
	}
	assert_memory_equal(a + 42 * 160 + 40, b + 42 * 160 + 40, (NPKT - 43) * 160 * 2);
	assert_memory_equal(a, b, 40 * 160 * 2);
}

static void test_late_duplicate_and_resync(void **state)
{
	(void)state;
	static struct stream s;
	make_pcmu_stream(&s);
	struct mc_transcoder *t = make("PCMU", "opus", 20, 0);
	static struct mc_encoded_frame f[OUT_CAP];
	assert_int_equal(mc_transcoder_push(t, s.payload[0], 160, 10, 1600, f, OUT_CAP), 1);
	assert_int_equal(f[0].ts, 0);
	assert_int_equal(mc_transcoder_push(t, s.payload[1], 160, 11, 1760, f, OUT_CAP), 1);
	assert_int_equal(f[0].ts, 960);
	/* A duplicate and an older packet give nothing and are counted. */
	assert_int_equal(mc_transcoder_push(t, s.payload[1], 160, 11, 1760, f, OUT_CAP), 0);
	assert_int_equal(mc_transcoder_push(t, s.payload[0], 160, 10, 1600, f, OUT_CAP), 0);
	assert_int_equal(mc_transcoder_decode_stats(t)->late_drops, 2);
	/* A 5 s jump is not concealed: the output clock jumps by 5 s of 48 kHz too. */
	assert_int_equal(mc_transcoder_push(t, s.payload[2], 160, 261, 1920 + 40000, f, OUT_CAP), 1);
	assert_int_equal(f[0].ts, 1920 + 240000);
	assert_int_equal(mc_transcoder_decode_stats(t)->resyncs, 1);
	/* A payload the codec refuses is an error, not a crash. */
	uint8_t junk[3] = {1, 2, 3};
	struct mc_transcoder_cfg cfg = {
		.in_codec = mc_codec_find("G729", 0), .out_codec = mc_codec_find("PCMU", 0),
		.out_ptime_ms = 20,
	};
	struct mc_transcoder *g = mc_transcoder_create(&cfg);
	assert_true(mc_transcoder_push(g, junk, 3, 1, 0, f, OUT_CAP) < 0);
	assert_int_equal(mc_transcoder_decode_stats(g)->decode_errors, 1);
	mc_transcoder_destroy(g);
	mc_transcoder_destroy(t);
	/* A ptime the codec cannot frame is refused at creation. */
	cfg.out_codec = mc_codec_find("G729", 0);
	cfg.out_ptime_ms = 15;
	assert_null(mc_transcoder_create(&cfg));
}

static void test_garbage_payloads(void **state)
{
	(void)state;
	/* Random payloads of random sizes into every codec pair: errors or output, never a crash
	 * (this test runs under ASan/UBSan too). Their decoded lengths disagree with the timestamps,
	 * so the output clock may resynchronise, but it never goes backwards. */
	static uint8_t junk[MC_MAX_PAYLOAD];
	static struct mc_encoded_frame f[OUT_CAP];
	uint32_t seed = 4711;
	for (size_t i = 0; i < mc_codec_count(); i++) {
		for (size_t o = 0; o < mc_codec_count(); o++) {
			const struct mc_codec_desc *in = mc_codec_at(i), *out = mc_codec_at(o);
			struct mc_transcoder *t = make(in->name, out->name, 20, 0);
			uint32_t last = 0;
			int produced = 0;
			for (int k = 0; k < 60; k++) {
				seed = seed * 1664525u + 1013904223u;
				size_t len = 1 + (seed >> 8) % (k % 10 == 0 ? MC_MAX_PAYLOAD : 200);
				for (size_t b = 0; b < len; b++) {
					seed = seed * 1664525u + 1013904223u;
					junk[b] = (uint8_t)(seed >> 24);
				}
				int n = mc_transcoder_push(t, junk, len, (uint16_t)k, (uint32_t)k * 160, f,
				                           OUT_CAP);
				assert_true(n >= 0 || n == -ENOSPC || n == -EBADMSG || n == -EIO || n == -EINVAL);
				for (int j = 0; j < n; j++, produced++) {
					assert_true(f[j].len > 0 && f[j].len <= MC_MAX_PAYLOAD);
					assert_true(produced == 0 || (int32_t)(f[j].ts - last) > 0);
					last = f[j].ts;
				}
			}
			mc_transcoder_destroy(t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ptime_20_30_20_keeps_samples),
		cmocka_unit_test(test_loss_does_not_shift_timestamps),
		cmocka_unit_test(test_concealed_audio_stays_in_time),
		cmocka_unit_test(test_late_duplicate_and_resync),
		cmocka_unit_test(test_garbage_payloads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
