/* Receive side of a decoded leg: payload -> codec decode (with concealment of sequence gaps) ->
 * resample to the rate the consumer works at. Creators return a pointer or NULL; push returns a
 * sample count or a negative errno. */
#ifndef MC_DECODE_PATH_H
#define MC_DECODE_PATH_H

#include <stdbool.h>

#include "mc_codec-t.h"

/* Longest gap filled by concealment; a longer one is a resynchronisation (timestamp jump). */
#define MC_MAX_CONCEAL_MS 200
/* Samples one push can produce at 48 kHz: the longest concealment plus the longest packet. */
#define MC_DECODE_PATH_MAX_OUT (48 * (MC_MAX_CONCEAL_MS + 120) + 64)

struct mc_decode_path_cfg {
	const struct mc_codec_desc *codec;
	struct mc_codec_params params;
	uint32_t out_rate;   /* rate of the PCM handed out */
	int resample_quality; /* speexdsp 0..10; negative means the default */
};

/* Counted outcomes; written only by the owning worker. */
struct mc_decode_path_stats {
	uint64_t packets;           /* payloads decoded */
	uint64_t concealed_samples; /* at the codec rate, for lost packets */
	uint64_t late_drops;        /* duplicates and packets older than the last one decoded */
	uint64_t decode_errors;     /* payloads the codec refused */
	uint64_t resyncs;           /* gaps too long or too odd to conceal */
};

struct mc_decode_path;

struct mc_decode_path *mc_decode_path_create(const struct mc_decode_path_cfg *cfg);
void mc_decode_path_destroy(struct mc_decode_path *dp);

/* Decodes one RTP payload with its sequence number and timestamp. Writes concealment for any
 * lost packets followed by the decoded audio into pcm (cap >= MC_DECODE_PATH_MAX_OUT is always
 * enough). *skip receives the number of output-rate samples the stream jumped over without audio
 * (a resynchronisation), so the caller keeps its own timestamps aligned. Returns samples written,
 * 0 for a dropped late packet, or a negative errno for a payload that cannot be decoded. */
int mc_decode_path_push(struct mc_decode_path *dp, const uint8_t *payload, size_t len,
                        uint16_t seq, uint32_t ts, int16_t *pcm, size_t cap, uint32_t *skip);

const struct mc_decode_path_stats *mc_decode_path_stats(const struct mc_decode_path *dp);

#endif
