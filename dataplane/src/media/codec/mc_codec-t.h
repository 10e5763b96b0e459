/* Types of the codec abstraction: one read-only descriptor per codec, one state object per stream. */
#ifndef MC_CODEC_T_H
#define MC_CODEC_T_H

#include <stddef.h>
#include <stdint.h>

/* Longest PCM block any codec call handles: 120 ms of 48 kHz stereo. */
#define MC_MAX_PCM_SAMPLES 11520
/* Largest encoded payload we produce or accept for one packet. */
#define MC_MAX_PAYLOAD 1500

enum mc_codec_dir {
	MC_CODEC_ENC = 1, /* create the encoder half */
	MC_CODEC_DEC = 2, /* create the decoder half */
};

/* Per-stream options; zero means "the codec's default". */
struct mc_codec_params {
	uint8_t channels;   /* Opus decode output: 1 (default) or 2 interleaved */
	uint8_t complexity; /* Opus encoder complexity 0..10; 0 here means default 5 */
	uint8_t g729_annexb; /* 1 turns G.729 Annex B (VAD/CNG) on; default off */
	uint8_t opus_fec;   /* 1 asks the Opus encoder for in-band FEC */
	uint32_t bitrate;   /* Opus target bit rate in bit/s; 0 means 24000 */
};

struct mc_codec;

/* One codec, registered in the table in mc_codec_table.c. Read-only. */
struct mc_codec_desc {
	const char *name;       /* encoding name as in an SDP rtpmap */
	uint32_t sample_rate;   /* rate of the PCM the codec takes and gives */
	uint32_t rtp_clock;     /* RTP timestamp clock (G.722: 8000 while audio is 16000) */
	uint16_t frame_samples; /* smallest encodable block at sample_rate */
	int16_t static_pt;      /* static RTP payload type, or -1 for dynamic */
	float ie;               /* E-model equipment impairment (ITU-T G.113) */
	float bpl;              /* E-model packet-loss robustness (ITU-T G.113) */
	int (*create)(struct mc_codec *c);
	/* Encodes n samples (a multiple of frame_samples); returns bytes written or -errno. */
	int (*encode)(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap);
	/* Decodes one payload; returns samples written or -errno. */
	int (*decode)(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap);
	/* Fills n samples for a lost packet (PLC, or silence); next, if non-NULL, is the packet
	 * after the loss (Opus reads its FEC). Returns samples written or -errno. */
	int (*conceal)(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm, size_t n);
	void (*destroy)(struct mc_codec *c);
};

/* A codec instance. Owned by one worker core; created at set-up, used without allocation. */
struct mc_codec {
	const struct mc_codec_desc *desc; /* RO */
	struct mc_codec_params params;    /* RO after create */
	unsigned dirs;                    /* RO: MC_CODEC_ENC | MC_CODEC_DEC */
	void *enc;                        /* library encoder state */
	void *dec;                        /* library decoder state */
	void *plc;                        /* spandsp PLC for codecs without their own */
};

#endif
