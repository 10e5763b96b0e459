/* G.711 mu-law (PCMU) and A-law (PCMA) through spandsp's inline G.711 conversions. */
#include <errno.h>
#include <spandsp.h>

#include "mc_codec_impl.h"

static int g711_create(struct mc_codec *c)
{
	return (c->dirs & MC_CODEC_DEC) ? mc_codec_plc_create(c) : 0;
}

static void g711_destroy(struct mc_codec *c)
{
	mc_codec_plc_destroy(c);
}

static int pcmu_encode(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	(void)c;
	if (n > cap)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		out[i] = linear_to_ulaw(pcm[i]);
	return (int)n;
}

static int pcmu_decode(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	if (len > cap)
		return -ENOSPC;
	for (size_t i = 0; i < len; i++)
		pcm[i] = ulaw_to_linear(in[i]);
	mc_codec_plc_record(c, pcm, len);
	return (int)len;
}

static int pcma_encode(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	(void)c;
	if (n > cap)
		return -ENOSPC;
	for (size_t i = 0; i < n; i++)
		out[i] = linear_to_alaw(pcm[i]);
	return (int)n;
}

static int pcma_decode(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	if (len > cap)
		return -ENOSPC;
	for (size_t i = 0; i < len; i++)
		pcm[i] = alaw_to_linear(in[i]);
	mc_codec_plc_record(c, pcm, len);
	return (int)len;
}

static int g711_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                        size_t n)
{
	(void)next;
	(void)next_len;
	return mc_codec_plc_fill(c, pcm, n);
}

const struct mc_codec_desc mc_codec_pcmu = {
	.name = "PCMU", .sample_rate = 8000, .rtp_clock = 8000, .frame_samples = 1, .static_pt = 0,
	.ie = 0.0f, .bpl = 25.1f, /* G.113 Appendix I, G.711 with PLC */
	.create = g711_create, .encode = pcmu_encode, .decode = pcmu_decode,
	.conceal = g711_conceal, .destroy = g711_destroy,
};

const struct mc_codec_desc mc_codec_pcma = {
	.name = "PCMA", .sample_rate = 8000, .rtp_clock = 8000, .frame_samples = 1, .static_pt = 8,
	.ie = 0.0f, .bpl = 25.1f,
	.create = g711_create, .encode = pcma_encode, .decode = pcma_decode,
	.conceal = g711_conceal, .destroy = g711_destroy,
};
