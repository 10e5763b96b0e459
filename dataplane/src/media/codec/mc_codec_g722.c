/* G.722 at 64 kbit/s through spandsp: 16 kHz audio, two samples per byte, 8000 RTP clock
 * (RFC 3551 keeps the clock at 8000 for historical reasons). */
#include <errno.h>
#include <spandsp.h>

#include "mc_codec_impl.h"

static int g722_create(struct mc_codec *c)
{
	if (c->dirs & MC_CODEC_ENC) {
		c->enc = g722_encode_init(NULL, 64000, 0);
		if (!c->enc)
			return -ENOMEM;
	}
	if (c->dirs & MC_CODEC_DEC) {
		c->dec = g722_decode_init(NULL, 64000, 0);
		if (!c->dec || mc_codec_plc_create(c) < 0) {
			if (c->enc)
				g722_encode_free(c->enc);
			if (c->dec)
				g722_decode_free(c->dec);
			return -ENOMEM;
		}
	}
	return 0;
}

static void g722_destroy(struct mc_codec *c)
{
	if (c->enc)
		g722_encode_free(c->enc);
	if (c->dec)
		g722_decode_free(c->dec);
	mc_codec_plc_destroy(c);
}

static int g722_enc(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	if (n / 2 > cap)
		return -ENOSPC;
	return g722_encode(c->enc, out, pcm, (int)n);
}

static int g722_dec(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	if (len * 2 > cap)
		return -ENOSPC;
	int n = g722_decode(c->dec, pcm, in, (int)len);
	if (n > 0)
		mc_codec_plc_record(c, pcm, (size_t)n);
	return n;
}

static int g722_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                        size_t n)
{
	(void)next;
	(void)next_len;
	return mc_codec_plc_fill(c, pcm, n);
}

const struct mc_codec_desc mc_codec_g722 = {
	.name = "G722", .sample_rate = 16000, .rtp_clock = 8000, .frame_samples = 2, .static_pt = 9,
	.ie = 0.0f, .bpl = 25.1f, /* treated like G.711 with PLC on the narrow-band scale */
	.create = g722_create, .encode = g722_enc, .decode = g722_dec,
	.conceal = g722_conceal, .destroy = g722_destroy,
};
