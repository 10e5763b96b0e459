/* G.729 (Annex A compatible) through bcg729: 10 ms frames of 80 samples, 10 bytes each; Annex B
 * (VAD, 2-byte SID frames) only when asked for. */
#include <bcg729/decoder.h>
#include <bcg729/encoder.h>
#include <errno.h>

#include "mc_codec_impl.h"

#define G729_FRAME 80
#define G729_BYTES 10
#define G729_SID_BYTES 2

static int g729_create(struct mc_codec *c)
{
	if (c->dirs & MC_CODEC_ENC) {
		c->enc = initBcg729EncoderChannel(c->params.g729_annexb ? 1 : 0);
		if (!c->enc)
			return -ENOMEM;
	}
	if (c->dirs & MC_CODEC_DEC) {
		c->dec = initBcg729DecoderChannel();
		if (!c->dec) {
			if (c->enc)
				closeBcg729EncoderChannel(c->enc);
			return -ENOMEM;
		}
	}
	return 0;
}

static void g729_destroy(struct mc_codec *c)
{
	if (c->enc)
		closeBcg729EncoderChannel(c->enc);
	if (c->dec)
		closeBcg729DecoderChannel(c->dec);
}

static int g729_encode(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	size_t used = 0;
	for (size_t i = 0; i < n; i += G729_FRAME) {
		uint8_t len = 0;
		if (used + G729_BYTES > cap)
			return -ENOSPC;
		bcg729Encoder(c->enc, pcm + i, out + used, &len);
		used += len; /* 0 (untransmitted), 2 (SID) or 10 */
	}
	return (int)used;
}

static int g729_decode(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	size_t out = 0;
	while (len > 0) {
		size_t flen = len >= G729_BYTES ? G729_BYTES : len;
		if (flen != G729_BYTES && flen != G729_SID_BYTES)
			return -EBADMSG;
		if (out + G729_FRAME > cap)
			return -ENOSPC;
		bcg729Decoder(c->dec, in, (uint8_t)flen, 0, flen == G729_SID_BYTES, 0, pcm + out);
		in += flen;
		len -= flen;
		out += G729_FRAME;
	}
	return (int)out;
}

static int g729_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                        size_t n)
{
	(void)next;
	(void)next_len;
	size_t out = 0;
	/* The decoder's own frame-erasure concealment works per 10 ms frame. */
	for (; out + G729_FRAME <= n; out += G729_FRAME)
		bcg729Decoder(c->dec, NULL, 0, 1, 0, 0, pcm + out);
	for (; out < n; out++)
		pcm[out] = 0;
	return (int)n;
}

const struct mc_codec_desc mc_codec_g729 = {
	.name = "G729", .sample_rate = 8000, .rtp_clock = 8000, .frame_samples = G729_FRAME,
	.static_pt = 18, .ie = 11.0f, .bpl = 19.0f, /* G.113 Appendix I, G.729A + VAD */
	.create = g729_create, .encode = g729_encode, .decode = g729_decode,
	.conceal = g729_conceal, .destroy = g729_destroy,
};
