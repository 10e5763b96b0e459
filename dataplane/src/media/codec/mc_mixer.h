/* Conference mixer: N legs, each with its own codec and rate, mixed every 20 ms tick at 16 kHz;
 * each leg hears the sum of everyone else (its own voice excluded), encoded in its codec.
 * Creators return a pointer or NULL; join returns a leg id or a negative errno; tick and take
 * return counts; the rest return 0 or a negative errno. */
#ifndef MC_MIXER_H
#define MC_MIXER_H

#include "mc_encode_path.h"

#define MC_MIXER_RATE 16000
#define MC_MIXER_TICK_MS 20
#define MC_MIXER_TICK_SAMPLES (MC_MIXER_RATE / 1000 * MC_MIXER_TICK_MS)
#define MC_MIXER_MAX_LEGS 64
/* Encoded packets a leg can hold between takes. */
#define MC_MIXER_OUT_QUEUE 8

struct mc_mixer_leg_cfg {
	const struct mc_codec_desc *codec;
	struct mc_codec_params params;
	uint32_t ptime_ms; /* the leg's packet duration (a multiple of its codec frame) */
	uint32_t ts_base;  /* RTP timestamp of the leg's first mixed packet */
};

struct mc_mixer_stats {
	uint64_t ticks;
	uint64_t underruns;     /* leg-ticks mixed with silence for lack of input */
	uint64_t input_drops;   /* input samples dropped because a leg's buffer was full */
	uint64_t output_drops;  /* encoded packets dropped because a leg's queue was full */
};

struct mc_mixer;

/* Allocates room for max_legs legs; legs are created by join (at call set-up). */
struct mc_mixer *mc_mixer_create(unsigned max_legs);
void mc_mixer_destroy(struct mc_mixer *m);
/* -ENOSPC when the conference is full. */
int mc_mixer_join(struct mc_mixer *m, const struct mc_mixer_leg_cfg *cfg);
int mc_mixer_leave(struct mc_mixer *m, int leg);
/* Feeds one RTP payload from a leg (decoded and resampled to 16 kHz, losses concealed). */
int mc_mixer_put(struct mc_mixer *m, int leg, const uint8_t *payload, size_t len, uint16_t seq,
                 uint32_t ts);
/* Feeds 16 kHz audio for a leg directly (a prompt or tone played into the conference). */
int mc_mixer_put_pcm(struct mc_mixer *m, int leg, const int16_t *pcm, size_t n);
/* Mixes one 20 ms tick for every leg; returns the number of legs mixed. */
int mc_mixer_tick(struct mc_mixer *m);
/* Moves the leg's encoded packets to out; returns how many. */
int mc_mixer_take(struct mc_mixer *m, int leg, struct mc_encoded_frame *out, unsigned cap);

const struct mc_mixer_stats *mc_mixer_stats(const struct mc_mixer *m);

#endif
