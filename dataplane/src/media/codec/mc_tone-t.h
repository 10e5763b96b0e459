/* Types for call-progress tone specifications and their generator. */
#ifndef MC_TONE_T_H
#define MC_TONE_T_H

#include <stdbool.h>
#include <stdint.h>

#define MC_TONE_MAX_SEGMENTS 8
#define MC_TONE_MAX_FREQS 4
#define MC_TONE_MAX_HZ 20000
#define MC_TONE_MAX_MS 60000

/* One cadence step: frequencies summed for on_ms, then silence for off_ms. */
struct mc_tone_segment {
	uint16_t freqs[MC_TONE_MAX_FREQS];
	uint8_t nfreqs;
	uint32_t on_ms;  /* 0 with continuous: plays for ever */
	uint32_t off_ms;
};

/* A parsed spec: "f1[+f2...][/on[/off]]" segments separated by ','. The cadence repeats unless
 * the last segment has no off part (then it plays once); a lone "f1+f2" is continuous. */
struct mc_tone_spec {
	struct mc_tone_segment seg[MC_TONE_MAX_SEGMENTS];
	uint8_t nseg;
	bool repeat;
	bool continuous;
};

/* Generator state for one leg; written by the leg's worker only. */
struct mc_tone_gen {
	struct mc_tone_spec spec; /* RO after init */
	uint32_t rate;            /* RO */
	int16_t amplitude;        /* RO: peak of each frequency */
	uint8_t seg;              /* current segment */
	uint64_t pos;             /* samples into the current segment */
	double phase[MC_TONE_MAX_FREQS];
	bool done;
};

#endif
