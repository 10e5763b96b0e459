/* The codec registry: one table of descriptors, looked up by name/clock or static payload type. */
#include <errno.h>
#include <stdlib.h>
#include <strings.h>

#include "mc_codec.h"
#include "mc_codec_impl.h"

static const struct mc_codec_desc *const mc_codecs[] = {
	&mc_codec_pcmu, &mc_codec_pcma, &mc_codec_g722, &mc_codec_g729, &mc_codec_opus,
};

size_t mc_codec_count(void)
{
	return sizeof(mc_codecs) / sizeof(mc_codecs[0]);
}

const struct mc_codec_desc *mc_codec_at(size_t i)
{
	return i < mc_codec_count() ? mc_codecs[i] : NULL;
}

const struct mc_codec_desc *mc_codec_find(const char *name, uint32_t rtp_clock)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < mc_codec_count(); i++) {
		const struct mc_codec_desc *d = mc_codecs[i];
		if (strcasecmp(d->name, name) == 0 && (rtp_clock == 0 || rtp_clock == d->rtp_clock))
			return d;
	}
	return NULL;
}

const struct mc_codec_desc *mc_codec_find_static_pt(unsigned pt)
{
	for (size_t i = 0; i < mc_codec_count(); i++)
		if (mc_codecs[i]->static_pt >= 0 && (unsigned)mc_codecs[i]->static_pt == pt)
			return mc_codecs[i];
	return NULL;
}

struct mc_codec *mc_codec_create(const struct mc_codec_desc *desc,
                                 const struct mc_codec_params *params, unsigned dirs)
{
	if (!desc || !(dirs & (MC_CODEC_ENC | MC_CODEC_DEC)))
		return NULL;
	struct mc_codec *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->desc = desc;
	c->dirs = dirs;
	if (params)
		c->params = *params;
	if (c->params.channels == 0)
		c->params.channels = 1;
	if (c->params.complexity == 0)
		c->params.complexity = 5;
	if (c->params.bitrate == 0)
		c->params.bitrate = 24000;
	if (c->params.channels > 2 || c->params.complexity > 10 || desc->create(c) < 0) {
		free(c);
		return NULL;
	}
	return c;
}

void mc_codec_destroy(struct mc_codec *c)
{
	if (!c)
		return;
	c->desc->destroy(c);
	free(c);
}

int mc_codec_encode(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	if (!c || !(c->dirs & MC_CODEC_ENC) || !pcm || !out || n == 0 || n % c->desc->frame_samples)
		return -EINVAL;
	return c->desc->encode(c, pcm, n, out, cap);
}

int mc_codec_decode(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	if (!c || !(c->dirs & MC_CODEC_DEC) || !pcm)
		return -EINVAL;
	if (!in || len == 0)
		return -EBADMSG;
	return c->desc->decode(c, in, len, pcm, cap);
}

int mc_codec_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                     size_t n)
{
	if (!c || !(c->dirs & MC_CODEC_DEC) || !pcm || n == 0 || n > MC_MAX_PCM_SAMPLES)
		return -EINVAL;
	return c->desc->conceal(c, next, next_len, pcm, n);
}

uint32_t mc_codec_ticks_to_samples(const struct mc_codec_desc *d, uint32_t ticks)
{
	return (uint32_t)((uint64_t)ticks * d->sample_rate / d->rtp_clock);
}

uint32_t mc_codec_samples_to_ticks(const struct mc_codec_desc *d, uint32_t samples)
{
	return (uint32_t)((uint64_t)samples * d->rtp_clock / d->sample_rate);
}
