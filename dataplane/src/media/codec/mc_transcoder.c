/* Transcoder: a decode path feeding an encode path at the output codec's rate. */
#include <errno.h>
#include <stdlib.h>

#include "mc_transcoder.h"

struct mc_transcoder {
	struct mc_decode_path *dec; /* RO after create */
	struct mc_encode_path *enc; /* RO after create */
	int16_t pcm[MC_DECODE_PATH_MAX_OUT];
};

struct mc_transcoder *mc_transcoder_create(const struct mc_transcoder_cfg *cfg)
{
	if (!cfg || !cfg->in_codec || !cfg->out_codec)
		return NULL;
	struct mc_transcoder *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	/* Resample once, straight to the output codec's rate. */
	struct mc_decode_path_cfg dc = {
		.codec = cfg->in_codec, .params = cfg->in_params,
		.out_rate = cfg->out_codec->sample_rate, .resample_quality = cfg->resample_quality,
	};
	struct mc_encode_path_cfg ec = {
		.codec = cfg->out_codec, .params = cfg->out_params,
		.in_rate = cfg->out_codec->sample_rate, .ptime_ms = cfg->out_ptime_ms,
		.ts_base = cfg->out_ts_base, .resample_quality = cfg->resample_quality,
	};
	t->dec = mc_decode_path_create(&dc);
	t->enc = mc_encode_path_create(&ec);
	if (!t->dec || !t->enc) {
		mc_transcoder_destroy(t);
		return NULL;
	}
	return t;
}

void mc_transcoder_destroy(struct mc_transcoder *t)
{
	if (!t)
		return;
	mc_decode_path_destroy(t->dec);
	mc_encode_path_destroy(t->enc);
	free(t);
}

int mc_transcoder_push(struct mc_transcoder *t, const uint8_t *payload, size_t len, uint16_t seq,
                       uint32_t ts, struct mc_encoded_frame *out, unsigned out_cap)
{
	if (!t || !payload)
		return -EINVAL;
	uint32_t skip = 0;
	int n = mc_decode_path_push(t->dec, payload, len, seq, ts, t->pcm,
	                            sizeof(t->pcm) / sizeof(t->pcm[0]), &skip);
	if (n < 0)
		return n;
	if (skip)
		mc_encode_path_skip(t->enc, skip);
	return mc_encode_path_push(t->enc, t->pcm, (size_t)n, out, out_cap);
}

const struct mc_decode_path_stats *mc_transcoder_decode_stats(const struct mc_transcoder *t)
{
	return mc_decode_path_stats(t->dec);
}

const struct mc_encode_path_stats *mc_transcoder_encode_stats(const struct mc_transcoder *t)
{
	return mc_encode_path_stats(t->enc);
}
