/* Decode side of a leg: sequence tracking, concealment of gaps, resampling to the consumer rate. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mc_codec.h"
#include "mc_decode_path.h"
#include "mc_resample.h"

struct mc_decode_path {
	struct mc_codec *codec;        /* RO after create */
	struct mc_resampler *rs;       /* RO after create */
	uint32_t out_rate;             /* RO */
	bool started;                  /* a packet has been decoded */
	uint16_t next_seq;             /* sequence number expected next */
	uint32_t next_ts;              /* RTP timestamp the next packet should carry */
	uint32_t last_frame;           /* samples (codec rate) in the last decoded packet */
	struct mc_decode_path_stats stats;
	int16_t scratch[MC_MAX_PCM_SAMPLES];
};

struct mc_decode_path *mc_decode_path_create(const struct mc_decode_path_cfg *cfg)
{
	if (!cfg || !cfg->codec || cfg->out_rate == 0)
		return NULL;
	struct mc_decode_path *dp = calloc(1, sizeof(*dp));
	if (!dp)
		return NULL;
	struct mc_codec_params p = cfg->params;
	p.channels = 1; /* the pipeline is mono; libopus downmixes stereo streams itself */
	dp->codec = mc_codec_create(cfg->codec, &p, MC_CODEC_DEC);
	int q = cfg->resample_quality < 0 ? MC_RESAMPLE_QUALITY_DEFAULT : cfg->resample_quality;
	dp->rs = mc_resampler_create(cfg->codec->sample_rate, cfg->out_rate, q);
	dp->out_rate = cfg->out_rate;
	if (!dp->codec || !dp->rs) {
		mc_decode_path_destroy(dp);
		return NULL;
	}
	return dp;
}

void mc_decode_path_destroy(struct mc_decode_path *dp)
{
	if (!dp)
		return;
	mc_codec_destroy(dp->codec);
	mc_resampler_destroy(dp->rs);
	free(dp);
}

const struct mc_decode_path_stats *mc_decode_path_stats(const struct mc_decode_path *dp)
{
	return &dp->stats;
}

/* Conceals `missing` codec-rate samples in whole-frame steps, resampled into out. */
static int conceal_into(struct mc_decode_path *dp, uint32_t missing, const uint8_t *next,
                        size_t next_len, int16_t *out, size_t cap)
{
	const struct mc_codec_desc *d = dp->codec->desc;
	uint32_t step = dp->last_frame ? dp->last_frame : d->sample_rate / 50;
	size_t written = 0;
	missing -= missing % d->frame_samples;
	while (missing > 0) {
		uint32_t n = missing < step ? missing : step;
		/* Only the frame right before `next` can be rebuilt from next's FEC. */
		bool last = n == missing;
		int got = mc_codec_conceal(dp->codec, last ? next : NULL, last ? next_len : 0,
		                           dp->scratch, n);
		if (got <= 0)
			break;
		int r = mc_resampler_process(dp->rs, dp->scratch, (size_t)got, out + written,
		                             cap - written);
		if (r < 0)
			return r;
		written += (size_t)r;
		dp->stats.concealed_samples += (uint64_t)got;
		missing -= n;
	}
	return (int)written;
}

int mc_decode_path_push(struct mc_decode_path *dp, const uint8_t *payload, size_t len,
                        uint16_t seq, uint32_t ts, int16_t *pcm, size_t cap, uint32_t *skip)
{
	const struct mc_codec_desc *d = dp->codec->desc;
	size_t written = 0;
	*skip = 0;
	if (dp->started) {
		int16_t seq_delta = (int16_t)(uint16_t)(seq - dp->next_seq);
		int32_t ts_delta = (int32_t)(ts - dp->next_ts);
		uint32_t max_ticks = d->rtp_clock / 1000 * MC_MAX_CONCEAL_MS;
		if (seq_delta < 0) {
			dp->stats.late_drops++;
			return 0;
		}
		if (ts_delta > 0 && (uint32_t)ts_delta <= max_ticks) {
			/* A sequence gap is loss (conceal); no gap is DTX or a silence-suppressed
			 * pause, which concealment also bridges, fading to silence. */
			int r = conceal_into(dp, mc_codec_ticks_to_samples(d, (uint32_t)ts_delta),
			                     seq_delta > 0 ? payload : NULL, len, pcm, cap);
			if (r < 0)
				return r;
			written = (size_t)r;
		} else if (ts_delta != 0) {
			/* Too long a gap or a timestamp going backwards: jump, and tell the caller by how
			 * much in output samples so its own clock moves the same way. */
			dp->stats.resyncs++;
			if (ts_delta > 0)
				*skip = (uint32_t)((uint64_t)mc_codec_ticks_to_samples(d, (uint32_t)ts_delta) *
				                   dp->out_rate / d->sample_rate);
		}
	}
	int n = mc_codec_decode(dp->codec, payload, len, dp->scratch, MC_MAX_PCM_SAMPLES);
	if (n < 0) {
		dp->stats.decode_errors++;
		return n;
	}
	dp->stats.packets++;
	dp->started = true;
	dp->last_frame = (uint32_t)n;
	dp->next_seq = (uint16_t)(seq + 1);
	dp->next_ts = ts + mc_codec_samples_to_ticks(d, (uint32_t)n);
	int r = mc_resampler_process(dp->rs, dp->scratch, (size_t)n, pcm + written, cap - written);
	if (r < 0) { /* a payload too long for the caller's buffer */
		dp->stats.decode_errors++;
		return r;
	}
	return (int)(written + (size_t)r);
}
