/* Resampling between the leg rates (8, 16, 48 kHz and a WAV file's own rate). */
#include <errno.h>
#include <speex/speex_resampler.h>
#include <stdlib.h>
#include <string.h>

#include "mc_resample.h"

struct mc_resampler {
	SpeexResamplerState *st; /* NULL when the rates are equal */
	uint32_t in_rate;
	uint32_t out_rate;
};

struct mc_resampler *mc_resampler_create(uint32_t in_rate, uint32_t out_rate, int quality)
{
	if (in_rate == 0 || out_rate == 0 || quality < 0 || quality > 10)
		return NULL;
	struct mc_resampler *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->in_rate = in_rate;
	r->out_rate = out_rate;
	if (in_rate != out_rate) {
		int err = 0;
		r->st = speex_resampler_init(1, in_rate, out_rate, quality, &err);
		if (!r->st) {
			free(r);
			return NULL;
		}
	}
	return r;
}

void mc_resampler_destroy(struct mc_resampler *r)
{
	if (!r)
		return;
	if (r->st)
		speex_resampler_destroy(r->st);
	free(r);
}

size_t mc_resampler_out_max(const struct mc_resampler *r, size_t n)
{
	/* Rounding in the fractional phase can give one extra sample. */
	return (size_t)((uint64_t)n * r->out_rate / r->in_rate) + 1;
}

int mc_resampler_process(struct mc_resampler *r, const int16_t *in, size_t n, int16_t *out,
                         size_t cap)
{
	if (!r || (!in && n) || !out)
		return -EINVAL;
	if (!r->st) {
		if (n > cap)
			return -ENOSPC;
		memcpy(out, in, n * sizeof(*in));
		return (int)n;
	}
	spx_uint32_t in_len = (spx_uint32_t)n;
	spx_uint32_t out_len = (spx_uint32_t)cap;
	if (speex_resampler_process_int(r->st, 0, in, &in_len, out, &out_len) != RESAMPLER_ERR_SUCCESS)
		return -EIO;
	if (in_len != n) /* the output buffer was too small to take all the input */
		return -ENOSPC;
	return (int)out_len;
}

size_t mc_resampler_latency(const struct mc_resampler *r)
{
	return r->st ? (size_t)speex_resampler_get_input_latency(r->st) : 0;
}

void mc_resampler_skip_latency(struct mc_resampler *r)
{
	if (r->st)
		speex_resampler_skip_zeros(r->st);
}
