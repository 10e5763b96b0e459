/* Opus through libopus at 48 kHz (RFC 7587: rtpmap opus/48000/2 whatever the channel count).
 * Encoding is mono; decoding gives mono or interleaved stereo. Packet durations Opus cannot code
 * as one frame (30 ms, 50 ms, ...) are built from 10 ms frames joined by the repacketizer. */
#include <errno.h>
#include <opus.h>
#include <stdlib.h>

#include "mc_codec_impl.h"

#define OPUS_RATE 48000
#define OPUS_10MS (OPUS_RATE / 100)
#define OPUS_MAX_SUBFRAMES 12 /* 120 ms of 10 ms frames */
#define OPUS_SUBFRAME_BYTES 400

/* Encoder-side scratch for joining 10 ms frames; allocated once at create. */
struct opus_joiner {
	OpusRepacketizer *rp;
	uint8_t frames[OPUS_MAX_SUBFRAMES][OPUS_SUBFRAME_BYTES];
};

static int opus_create(struct mc_codec *c)
{
	int err = 0;
	if (c->dirs & MC_CODEC_ENC) {
		OpusEncoder *e = opus_encoder_create(OPUS_RATE, 1, OPUS_APPLICATION_VOIP, &err);
		if (!e)
			return -ENOMEM;
		c->enc = e;
		opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(c->params.complexity));
		opus_encoder_ctl(e, OPUS_SET_BITRATE((opus_int32)c->params.bitrate));
		opus_encoder_ctl(e, OPUS_SET_INBAND_FEC(c->params.opus_fec ? 1 : 0));
		if (c->params.opus_fec)
			opus_encoder_ctl(e, OPUS_SET_PACKET_LOSS_PERC(10));
		struct opus_joiner *j = calloc(1, sizeof(*j));
		c->plc = j; /* Opus has its own PLC; the slot carries the joiner instead */
		if (!j || !(j->rp = opus_repacketizer_create())) {
			free(j);
			c->plc = NULL;
			opus_encoder_destroy(e);
			c->enc = NULL;
			return -ENOMEM;
		}
	}
	if (c->dirs & MC_CODEC_DEC) {
		c->dec = opus_decoder_create(OPUS_RATE, c->params.channels, &err);
		if (!c->dec) {
			if (c->enc) {
				struct opus_joiner *j = c->plc;
				opus_repacketizer_destroy(j->rp);
				free(j);
				opus_encoder_destroy(c->enc);
			}
			return -ENOMEM;
		}
	}
	return 0;
}

static void opus_destroy(struct mc_codec *c)
{
	struct opus_joiner *j = c->plc;
	if (j) {
		opus_repacketizer_destroy(j->rp);
		free(j);
	}
	if (c->enc)
		opus_encoder_destroy(c->enc);
	if (c->dec)
		opus_decoder_destroy(c->dec);
}

static int opus_native_duration(size_t n)
{
	switch (n) {
	case 120: case 240: case 480: case 960: case 1920: case 2880:
		return 1;
	default:
		return 0;
	}
}

static int opus_enc(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap)
{
	int r;
	if (cap > MC_MAX_PAYLOAD)
		cap = MC_MAX_PAYLOAD;
	if (opus_native_duration(n)) {
		r = opus_encode(c->enc, pcm, (int)n, out, (opus_int32)cap);
		return r < 0 ? -EIO : r;
	}
	if (n % OPUS_10MS || n / OPUS_10MS > OPUS_MAX_SUBFRAMES)
		return -EINVAL;
	struct opus_joiner *j = c->plc;
	opus_repacketizer_init(j->rp);
	for (size_t f = 0; f < n / OPUS_10MS; f++) {
		r = opus_encode(c->enc, pcm + f * OPUS_10MS, OPUS_10MS, j->frames[f], OPUS_SUBFRAME_BYTES);
		if (r < 0 || opus_repacketizer_cat(j->rp, j->frames[f], r) != OPUS_OK)
			return -EIO;
	}
	r = opus_repacketizer_out(j->rp, out, (opus_int32)cap);
	return r < 0 ? -ENOSPC : r;
}

static int opus_dec(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap)
{
	int r = opus_decode(c->dec, in, (opus_int32)len, pcm, (int)(cap / c->params.channels), 0);
	if (r == OPUS_BUFFER_TOO_SMALL)
		return -ENOSPC;
	return r < 0 ? -EBADMSG : r;
}

static int opus_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                        size_t n)
{
	/* Opus conceals in multiples of 2.5 ms; the caller asks in whole input frames. */
	if (n % 120 || n * c->params.channels > MC_MAX_PCM_SAMPLES)
		return -EINVAL;
	int r = opus_decode(c->dec, next, (opus_int32)(next ? next_len : 0), pcm, (int)n,
	                    next ? 1 : 0);
	if (r < 0 && next) /* no usable FEC in the next packet: plain PLC */
		r = opus_decode(c->dec, NULL, 0, pcm, (int)n, 0);
	return r < 0 ? -EIO : r;
}

const struct mc_codec_desc mc_codec_opus = {
	.name = "opus", .sample_rate = OPUS_RATE, .rtp_clock = OPUS_RATE, .frame_samples = 120,
	.static_pt = -1, .ie = 0.0f, .bpl = 30.0f, /* no G.113 entry; robust with its own PLC */
	.create = opus_create, .encode = opus_enc, .decode = opus_dec,
	.conceal = opus_conceal, .destroy = opus_destroy,
};
