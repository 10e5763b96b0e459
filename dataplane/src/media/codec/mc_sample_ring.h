/* A fixed ring of 16-bit samples for re-framing (ptime adaptation). Push and pop return the
 * number of samples moved; nothing allocates. */
#ifndef MC_SAMPLE_RING_H
#define MC_SAMPLE_RING_H

#include <stddef.h>
#include <stdint.h>

/* 500 ms at 48 kHz: the largest concealment burst plus the longest packet fit with room. */
#define MC_SAMPLE_RING_CAP 24000

/* Owned by the stream's worker core. */
struct mc_sample_ring {
	uint32_t head;  /* index of the oldest sample */
	uint32_t count; /* samples held */
	int16_t buf[MC_SAMPLE_RING_CAP];
};

void mc_sample_ring_reset(struct mc_sample_ring *r);
/* Appends up to n samples; returns how many fitted. */
size_t mc_sample_ring_push(struct mc_sample_ring *r, const int16_t *in, size_t n);
/* Removes exactly n samples if that many are held; returns n or 0. */
size_t mc_sample_ring_pop(struct mc_sample_ring *r, int16_t *out, size_t n);

#endif
