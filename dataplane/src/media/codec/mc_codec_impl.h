/* Descriptors defined by each codec's own file, gathered by the table in mc_codec_table.c, and
 * the shared PLC. Create returns 0 or a negative errno; fill returns the samples written. */
#ifndef MC_CODEC_IMPL_H
#define MC_CODEC_IMPL_H

#include "mc_codec-t.h"

extern const struct mc_codec_desc mc_codec_pcmu;
extern const struct mc_codec_desc mc_codec_pcma;
extern const struct mc_codec_desc mc_codec_g722;
extern const struct mc_codec_desc mc_codec_g729;
extern const struct mc_codec_desc mc_codec_opus;

/* Shared by codecs without a PLC of their own: spandsp's plc_t on 8 kHz audio, silence on other
 * rates. */
int mc_codec_plc_create(struct mc_codec *c);
void mc_codec_plc_record(struct mc_codec *c, int16_t *pcm, size_t n);
int mc_codec_plc_fill(struct mc_codec *c, int16_t *pcm, size_t n);
void mc_codec_plc_destroy(struct mc_codec *c);

#endif
