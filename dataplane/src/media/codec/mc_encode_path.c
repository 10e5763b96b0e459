/* Encode side of a leg: resampling, re-framing for ptime adaptation, encoding, timestamps. */
#include <errno.h>
#include <stdlib.h>

#include "mc_codec.h"
#include "mc_encode_path.h"
#include "mc_resample.h"
#include "mc_sample_ring.h"

/* Input is resampled in slices of at most this many samples to bound the scratch buffer. */
#define EP_SLICE 2048

struct mc_encode_path {
	struct mc_codec *codec;     /* RO after create */
	struct mc_resampler *rs;    /* RO after create */
	uint32_t in_rate;           /* RO */
	uint32_t frame_samples;     /* RO: codec-rate samples per packet */
	uint32_t next_ts;           /* timestamp of the oldest sample in the ring */
	struct mc_encode_path_stats stats;
	struct mc_sample_ring ring;
	int16_t resampled[EP_SLICE * 6 + 8]; /* 8 kHz -> 48 kHz is the largest ratio */
	int16_t frame[MC_MAX_PCM_SAMPLES];
};

struct mc_encode_path *mc_encode_path_create(const struct mc_encode_path_cfg *cfg)
{
	if (!cfg || !cfg->codec || cfg->in_rate == 0 || cfg->in_rate > 48000 ||
	    cfg->codec->sample_rate > 6 * cfg->in_rate || cfg->ptime_ms < 10 || cfg->ptime_ms > 120)
		return NULL;
	uint32_t fs = cfg->codec->sample_rate / 1000 * cfg->ptime_ms;
	if (fs % cfg->codec->frame_samples || fs > MC_MAX_PCM_SAMPLES)
		return NULL;
	struct mc_encode_path *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return NULL;
	ep->codec = mc_codec_create(cfg->codec, &cfg->params, MC_CODEC_ENC);
	int q = cfg->resample_quality < 0 ? MC_RESAMPLE_QUALITY_DEFAULT : cfg->resample_quality;
	ep->rs = mc_resampler_create(cfg->in_rate, cfg->codec->sample_rate, q);
	ep->in_rate = cfg->in_rate;
	ep->frame_samples = fs;
	ep->next_ts = cfg->ts_base;
	if (!ep->codec || !ep->rs) {
		mc_encode_path_destroy(ep);
		return NULL;
	}
	return ep;
}

void mc_encode_path_destroy(struct mc_encode_path *ep)
{
	if (!ep)
		return;
	mc_codec_destroy(ep->codec);
	mc_resampler_destroy(ep->rs);
	free(ep);
}

const struct mc_encode_path_stats *mc_encode_path_stats(const struct mc_encode_path *ep)
{
	return &ep->stats;
}

uint32_t mc_encode_path_frame_samples(const struct mc_encode_path *ep)
{
	return ep->frame_samples;
}

void mc_encode_path_skip(struct mc_encode_path *ep, uint32_t n)
{
	uint32_t out = (uint32_t)((uint64_t)n * ep->codec->desc->sample_rate / ep->in_rate);
	ep->next_ts += mc_codec_samples_to_ticks(ep->codec->desc, out);
}

static int drain(struct mc_encode_path *ep, struct mc_encoded_frame *out, unsigned out_cap)
{
	const struct mc_codec_desc *d = ep->codec->desc;
	unsigned made = 0;
	while (made < out_cap && mc_sample_ring_pop(&ep->ring, ep->frame, ep->frame_samples)) {
		struct mc_encoded_frame *f = &out[made];
		int r = mc_codec_encode(ep->codec, ep->frame, ep->frame_samples, f->payload,
		                        sizeof(f->payload));
		uint32_t ts = ep->next_ts;
		/* Time passes whether or not the frame encodes, so later timestamps stay right. */
		ep->next_ts += mc_codec_samples_to_ticks(d, ep->frame_samples);
		if (r < 0) {
			ep->stats.encode_errors++;
			continue;
		}
		if (r == 0) { /* discontinuous transmission: nothing to send for this frame */
			ep->stats.dtx_frames++;
			continue;
		}
		f->ts = ts;
		f->len = (uint16_t)r;
		ep->stats.frames++;
		made++;
	}
	return (int)made;
}

int mc_encode_path_push(struct mc_encode_path *ep, const int16_t *pcm, size_t n,
                        struct mc_encoded_frame *out, unsigned out_cap)
{
	if (!ep || (!pcm && n) || (!out && out_cap))
		return -EINVAL;
	unsigned made = 0;
	for (size_t off = 0; off < n; off += EP_SLICE) {
		size_t slice = n - off < EP_SLICE ? n - off : EP_SLICE;
		int r = mc_resampler_process(ep->rs, pcm + off, slice, ep->resampled,
		                             sizeof(ep->resampled) / sizeof(ep->resampled[0]));
		if (r < 0)
			return r;
		size_t pushed = mc_sample_ring_push(&ep->ring, ep->resampled, (size_t)r);
		ep->stats.overflow_drops += (size_t)r - pushed;
		made += (unsigned)drain(ep, out + made, out_cap - made);
	}
	made += (unsigned)drain(ep, out + made, out_cap - made);
	return (int)made;
}
