/* One direction of a transcoded leg pair: decode -> resample -> re-frame -> encode. Creators
 * return a pointer or NULL; push returns the number of output packets or a negative errno. */
#ifndef MC_TRANSCODER_H
#define MC_TRANSCODER_H

#include "mc_decode_path.h"
#include "mc_encode_path.h"

struct mc_transcoder_cfg {
	const struct mc_codec_desc *in_codec;
	struct mc_codec_params in_params;
	const struct mc_codec_desc *out_codec;
	struct mc_codec_params out_params;
	uint32_t out_ptime_ms; /* output packet duration */
	uint32_t out_ts_base;  /* RTP timestamp of the first output packet */
	int resample_quality;  /* speexdsp 0..10; negative means the default */
};

struct mc_transcoder;

struct mc_transcoder *mc_transcoder_create(const struct mc_transcoder_cfg *cfg);
void mc_transcoder_destroy(struct mc_transcoder *t);

/* Feeds one input payload with its RTP sequence number and timestamp; writes up to out_cap
 * output packets (each with its RTP timestamp on the output clock). Packets lost before this one
 * are concealed so the output timestamps keep advancing as if nothing was lost. */
int mc_transcoder_push(struct mc_transcoder *t, const uint8_t *payload, size_t len, uint16_t seq,
                       uint32_t ts, struct mc_encoded_frame *out, unsigned out_cap);

const struct mc_decode_path_stats *mc_transcoder_decode_stats(const struct mc_transcoder *t);
const struct mc_encode_path_stats *mc_transcoder_encode_stats(const struct mc_transcoder *t);

#endif
