/* Send side of a decoded leg: PCM at the producer's rate -> resample to the codec rate -> cut
 * into packets of the leg's ptime -> encode, with RTP timestamps counted on the output clock.
 * Creators return a pointer or NULL; push returns the number of frames produced or a negative
 * errno. */
#ifndef MC_ENCODE_PATH_H
#define MC_ENCODE_PATH_H

#include "mc_codec-t.h"

struct mc_encode_path_cfg {
	const struct mc_codec_desc *codec;
	struct mc_codec_params params;
	uint32_t in_rate;     /* rate of the PCM pushed in */
	uint32_t ptime_ms;    /* packet duration, 10..120 ms, a whole number of codec frames */
	uint32_t ts_base;     /* RTP timestamp of the first packet */
	int resample_quality; /* speexdsp 0..10; negative means the default */
};

/* One encoded packet. */
struct mc_encoded_frame {
	uint32_t ts;  /* RTP timestamp on the output clock */
	uint16_t len; /* payload bytes */
	uint8_t payload[MC_MAX_PAYLOAD];
};

struct mc_encode_path_stats {
	uint64_t frames;          /* packets encoded */
	uint64_t encode_errors;   /* frames the encoder refused (their time still passes) */
	uint64_t dtx_frames;      /* frames the encoder chose not to send (G.729 Annex B VAD) */
	uint64_t overflow_drops;  /* samples dropped because the ring was full */
};

struct mc_encode_path;

struct mc_encode_path *mc_encode_path_create(const struct mc_encode_path_cfg *cfg);
void mc_encode_path_destroy(struct mc_encode_path *ep);

/* Queues n samples and encodes every whole packet now available, up to out_cap of them (the
 * rest wait for the next push). Returns the number of frames written to out. */
int mc_encode_path_push(struct mc_encode_path *ep, const int16_t *pcm, size_t n,
                        struct mc_encoded_frame *out, unsigned out_cap);
/* Moves the output clock forward by n input-rate samples of time that had no audio. */
void mc_encode_path_skip(struct mc_encode_path *ep, uint32_t n);
/* Samples (codec rate) per output packet. */
uint32_t mc_encode_path_frame_samples(const struct mc_encode_path *ep);

const struct mc_encode_path_stats *mc_encode_path_stats(const struct mc_encode_path *ep);

#endif
