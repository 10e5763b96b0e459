/* bench-transcode: concurrent transcoded streams per core for PCMU<->G.722, PCMU<->G.729 and
 * PCMU<->Opus (complexity 5). A stream is both directions at 50 packets/s of 20 ms; the figure is
 * seconds of audio transcoded per CPU second. The peer is the same pipeline through libavcodec
 * (what rtpengine transcodes with), measured in the same run when it is built in. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_transcode_signal.h"
#include "mc_codec.h"
#include "mc_transcoder.h"
#ifdef BUGLE_BENCH_AVCODEC
#include "bench_transcode_peer.h"
#endif

#define MAX_SECONDS 60
#define MAX_PACKETS (MAX_SECONDS * 50)
#define MAX_PASSES 50
#define OUT_CAP 8

struct pair {
	const char *name;  /* RESULT name suffix */
	const char *other; /* codec paired with PCMU */
	double goal;       /* streams per core */
};

static const struct pair pairs[] = {
	{"pcmu_g722", "G722", 400},
	{"pcmu_g729", "G729", 150},
	{"pcmu_opus", "opus", 80},
};

/* The pre-encoded audio both pipelines transcode. */
struct packets {
	size_t n;
	uint16_t len[MAX_PACKETS];
	uint8_t data[MAX_PACKETS][MC_MAX_PAYLOAD];
};

struct budget {
	double min_cpu;     /* keep repeating passes until this much CPU time is spent */
	unsigned max_passes;
	size_t packets;     /* packets per direction per pass */
};

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void encode_stream(const char *codec, size_t seconds, struct packets *p)
{
	const struct mc_codec_desc *d = mc_codec_find(codec, 0);
	struct mc_codec_params params = {.complexity = 5};
	struct mc_codec *c = mc_codec_create(d, &params, MC_CODEC_ENC);
	size_t frame = d->sample_rate / 50, total = frame * 50 * seconds;
	int16_t *pcm = malloc(total * sizeof(*pcm));
	if (!c || !pcm) {
		fprintf(stderr, "bench-transcode: cannot set up %s\n", codec);
		exit(1);
	}
	bench_speech_like(pcm, total, d->sample_rate);
	p->n = 0;
	for (size_t off = 0; off + frame <= total; off += frame) {
		int r = mc_codec_encode(c, pcm + off, frame, p->data[p->n], MC_MAX_PAYLOAD);
		p->len[p->n++] = (uint16_t)(r > 0 ? r : 0);
	}
	free(pcm);
	mc_codec_destroy(c);
}

/* Returns streams per core for our pipeline: audio seconds (both directions) per CPU second. */
static double run_bugle(const char *other, const struct packets *a, const struct packets *b,
                        const struct budget *bud)
{
	const struct mc_codec_desc *pcmu = mc_codec_find("PCMU", 0), *od = mc_codec_find(other, 0);
	struct mc_transcoder_cfg up = {
		.in_codec = pcmu, .out_codec = od, .out_params = {.complexity = 5},
		.out_ptime_ms = 20, .resample_quality = -1,
	};
	struct mc_transcoder_cfg down = {
		.in_codec = od, .in_params = {.complexity = 5}, .out_codec = pcmu,
		.out_ptime_ms = 20, .resample_quality = -1,
	};
	struct mc_transcoder *ab = mc_transcoder_create(&up), *ba = mc_transcoder_create(&down);
	static struct mc_encoded_frame out[OUT_CAP];
	if (!ab || !ba) {
		fprintf(stderr, "bench-transcode: cannot create PCMU<->%s\n", other);
		exit(1);
	}
	uint32_t b_step = mc_codec_samples_to_ticks(od, od->sample_rate / 50);
	uint64_t produced = 0, seq = 0;
	unsigned passes = 0;
	double start = cpu_now(), spent = 0;
	while (passes < bud->max_passes && (passes == 0 || spent < bud->min_cpu)) {
		for (size_t i = 0; i < bud->packets; i++, seq++) {
			int r1 = mc_transcoder_push(ab, a->data[i], a->len[i], (uint16_t)seq,
			                            (uint32_t)(seq * 160), out, OUT_CAP);
			int r2 = mc_transcoder_push(ba, b->data[i], b->len[i], (uint16_t)seq,
			                            (uint32_t)(seq * b_step), out, OUT_CAP);
			produced += (uint64_t)(r1 > 0 ? r1 : 0) + (uint64_t)(r2 > 0 ? r2 : 0);
		}
		passes++;
		spent = cpu_now() - start;
	}
	mc_transcoder_destroy(ab);
	mc_transcoder_destroy(ba);
	if (produced < (uint64_t)passes * bud->packets) {
		fprintf(stderr, "bench-transcode: PCMU<->%s produced too few packets\n", other);
		exit(1);
	}
	return (double)passes * (double)bud->packets / 50.0 / spent;
}

#ifdef BUGLE_BENCH_AVCODEC
/* The same work through libavcodec; returns streams per core or a negative value if the peer
 * cannot do this pair. */
static double run_peer(const char *other, const struct packets *a, const struct packets *b,
                       const struct budget *bud)
{
	struct peer_transcoder *ab = peer_transcoder_create("PCMU", other, 5);
	struct peer_transcoder *ba = peer_transcoder_create(other, "PCMU", 5);
	if (!ab || !ba) {
		peer_transcoder_destroy(ab);
		peer_transcoder_destroy(ba);
		return -1;
	}
	unsigned passes = 0;
	int64_t pts = 0;
	double start = cpu_now(), spent = 0;
	while (passes < bud->max_passes && (passes == 0 || spent < bud->min_cpu)) {
		for (size_t i = 0; i < bud->packets; i++, pts++) {
			peer_transcoder_push(ab, a->data[i], a->len[i], pts);
			peer_transcoder_push(ba, b->data[i], b->len[i], pts);
		}
		passes++;
		spent = cpu_now() - start;
	}
	uint64_t bytes = peer_transcoder_bytes(ab) + peer_transcoder_bytes(ba);
	peer_transcoder_destroy(ab);
	peer_transcoder_destroy(ba);
	if (bytes == 0)
		return -1;
	return (double)passes * (double)bud->packets / 50.0 / spent;
}
#endif

int main(int argc, char **argv)
{
	bool quick = false;
	size_t seconds = 20;
	const char *only = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0) {
			quick = true;
		} else if (strcmp(argv[i], "--pair") == 0 && i + 1 < argc) {
			only = argv[++i];
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = (size_t)strtoul(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: %s [--quick] [--seconds N (1-%d)] [--pair G722|G729|opus]\n", argv[0], MAX_SECONDS);
			return 2;
		}
	}
	if (quick)
		seconds = 5;
	if (seconds < 1 || seconds > MAX_SECONDS) {
		fprintf(stderr, "bench-transcode: --seconds must be 1-%d\n", MAX_SECONDS);
		return 2;
	}
	struct budget bud = {
		.min_cpu = quick ? 0.5 : 3.0, .max_passes = quick ? 4 : MAX_PASSES,
		.packets = seconds * 50,
	};
	static struct packets a, b;
	encode_stream("PCMU", seconds, &a);
	printf("bench-transcode: %zu s of speech-like audio per pass, both directions, 20 ms ptime\n",
	       seconds);
	for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
		const struct pair *p = &pairs[k];
		if (only && strcmp(only, p->other) != 0)
			continue;
		encode_stream(p->other, seconds, &b);
		double ours = run_bugle(p->other, &a, &b, &bud);
		double peer = -1;
#ifdef BUGLE_BENCH_AVCODEC
		peer = run_peer(p->other, &a, &b, &bud);
#endif
		/* rtpengine's codec library: libavcodec, with bcg729 where libavcodec cannot encode */
		const char *peer_name = strcmp(p->other, "G729") == 0 ? "libavcodec + bcg729" : "libavcodec";
		char peer_txt[32] = "null", ratio_txt[32] = "null";
		if (peer > 0) {
			snprintf(peer_txt, sizeof(peer_txt), "%.1f", peer);
			snprintf(ratio_txt, sizeof(ratio_txt), "%.3f", ours / peer);
			printf("PCMU<->%-4s bugle %8.1f streams/core  %s %8.1f  ratio %.2f  "
			       "(goal %.0f: %.2fx)\n", p->other, ours, peer_name, peer, ours / peer,
			       p->goal, ours / p->goal);
		} else {
			printf("PCMU<->%-4s bugle %8.1f streams/core  %s n/a (not built in)  "
			       "goal %.0f: %.2fx\n", p->other, ours, peer_name, p->goal, ours / p->goal);
		}
		printf("RESULT {\"name\":\"transcode_%s\",\"metric\":\"streams_per_core\","
		       "\"unit\":\"streams\",\"bugle\":%.1f,\"peer_name\":\"%s\",\"peer\":%s,"
		       "\"ratio\":%s,\"goal\":%.0f}\n",
		       p->name, ours, peer_name, peer_txt, ratio_txt, p->goal);
	}
	return 0;
}
