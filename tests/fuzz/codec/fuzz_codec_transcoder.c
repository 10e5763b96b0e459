/* Fuzz target: one direction of a transcoded call fed with hostile RTP payloads.
 *
 * Input: a header choosing the codec pair and the leg settings, then up to MAX_PUSHES records of
 * (payload length u16, sequence step i8, timestamp step i16, payload bytes). Lost, duplicated,
 * reordered and jumping packets all come out of the steps. Checked besides memory safety: push
 * never writes more frames than asked for, every frame has a payload of a size the output codec
 * can produce, and output timestamps advance by at least one packet per frame. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-bytes.h"
#include "mc_codec.h"
#include "mc_transcoder.h"

#define MAX_PUSHES 48
#define MAX_LEN 4096 /* beyond any RTP payload, to reach the codecs' own length checks */
#define OUT_CAP 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Bytes one packet of fs samples takes in codecs with a fixed rate; 0 when it varies. */
static size_t fixed_payload_len(const struct mc_codec_desc *d, const struct mc_codec_params *p,
                                uint32_t fs)
{
	if (d == mc_codec_find("PCMU", 0) || d == mc_codec_find("PCMA", 0))
		return fs;
	if (d == mc_codec_find("G722", 0))
		return fs / 2;
	if (d == mc_codec_find("G729", 0) && !p->g729_annexb)
		return fs / 8;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct mc_encoded_frame out[OUT_CAP];
	struct fz_bytes in = {data, size};
	size_t ncodecs = mc_codec_count();
	struct mc_transcoder_cfg cfg = {0};
	uint8_t flags;

	cfg.in_codec = mc_codec_at(fz_u8(&in) % ncodecs);
	cfg.out_codec = mc_codec_at(fz_u8(&in) % ncodecs);
	cfg.out_ptime_ms = (uint32_t)(fz_u8(&in) % 12 + 1) * 10;
	flags = fz_u8(&in);
	cfg.in_params.g729_annexb = flags & 1;
	cfg.out_params.g729_annexb = (flags >> 1) & 1;
	cfg.out_params.opus_fec = (flags >> 2) & 1;
	cfg.in_params.channels = (flags >> 3) & 1 ? 2 : 0; /* the decode path must force mono */
	cfg.out_params.complexity = (uint8_t)((flags >> 4) % 11);
	cfg.out_params.bitrate = (uint32_t)fz_u8(&in) * 1000;
	cfg.resample_quality = fz_u8(&in) % 12 - 1;
	cfg.out_ts_base = fz_u32(&in);
	unsigned out_cap = fz_u8(&in) % OUT_CAP + 1;

	struct mc_transcoder *t = mc_transcoder_create(&cfg);
	if (!t)
		return 0;

	const struct mc_codec_desc *od = cfg.out_codec;
	uint32_t fs = od->sample_rate / 1000 * cfg.out_ptime_ms;
	uint32_t frame_ticks = mc_codec_samples_to_ticks(od, fs);
	size_t fixed = fixed_payload_len(od, &cfg.out_params, fs);
	uint16_t seq = fz_u16(&in);
	uint32_t ts = fz_u32(&in);
	uint32_t last_ts = 0;
	bool have_last = false;

	for (int i = 0; i < MAX_PUSHES && in.n; i++) {
		size_t want = fz_u16(&in) % (MAX_LEN + 1), len;
		seq = (uint16_t)(seq + (int8_t)fz_u8(&in));
		ts += (uint32_t)(int32_t)(int16_t)fz_u16(&in);
		const uint8_t *p = fz_slice(&in, want, &len);
		int n = mc_transcoder_push(t, p, len, seq, ts, out, out_cap);

		if (n < 0) {
			if (n < -4095)
				abort();
			continue;
		}
		if ((unsigned)n > out_cap)
			abort();
		for (int k = 0; k < n; k++) {
			if (out[k].len == 0 || out[k].len > MC_MAX_PAYLOAD ||
			    (fixed && out[k].len != fixed))
				abort();
			/* Steps are bounded, so a wrap of more than half the clock is a bug. */
			if (have_last && ((uint32_t)(out[k].ts - last_ts) < frame_ticks ||
			                  (uint32_t)(out[k].ts - last_ts) > 0x80000000u))
				abort();
			last_ts = out[k].ts;
			have_last = true;
		}
	}
	mc_transcoder_destroy(t);
	return 0;
}
