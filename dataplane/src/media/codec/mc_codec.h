/* Codec table and per-stream codec calls. Creators return a pointer or NULL; lookups return the
 * descriptor or NULL; encode/decode/conceal return a byte or sample count or a negative errno;
 * the rest return 0 or a negative errno. */
#ifndef MC_CODEC_H
#define MC_CODEC_H

#include "mc_codec-t.h"

/* Finds a codec by its rtpmap encoding name (case-insensitive) and RTP clock rate
 * (0 matches any clock). */
const struct mc_codec_desc *mc_codec_find(const char *name, uint32_t rtp_clock);
/* Finds a codec by static payload type (0, 8, 9, 18). */
const struct mc_codec_desc *mc_codec_find_static_pt(unsigned pt);
/* Number of registered codecs and the i-th one, for listing. */
size_t mc_codec_count(void);
const struct mc_codec_desc *mc_codec_at(size_t i);

/* Creates a codec instance; params may be NULL for defaults; dirs is MC_CODEC_ENC|MC_CODEC_DEC. */
struct mc_codec *mc_codec_create(const struct mc_codec_desc *desc,
                                 const struct mc_codec_params *params, unsigned dirs);
void mc_codec_destroy(struct mc_codec *c);

int mc_codec_encode(struct mc_codec *c, const int16_t *pcm, size_t n, uint8_t *out, size_t cap);
int mc_codec_decode(struct mc_codec *c, const uint8_t *in, size_t len, int16_t *pcm, size_t cap);
int mc_codec_conceal(struct mc_codec *c, const uint8_t *next, size_t next_len, int16_t *pcm,
                     size_t n);

/* Converts a count of RTP clock ticks to audio samples of this codec and back. */
uint32_t mc_codec_ticks_to_samples(const struct mc_codec_desc *d, uint32_t ticks);
uint32_t mc_codec_samples_to_ticks(const struct mc_codec_desc *d, uint32_t samples);

#endif
