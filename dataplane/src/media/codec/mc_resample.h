/* Sample-rate conversion of mono 16-bit audio (speexdsp's resampler). Creators return a pointer
 * or NULL; process returns the number of output samples or a negative errno. */
#ifndef MC_RESAMPLE_H
#define MC_RESAMPLE_H

#include <stddef.h>
#include <stdint.h>

/* Default speexdsp quality (0..10): 3 is the VoIP trade-off speexdsp recommends. */
#define MC_RESAMPLE_QUALITY_DEFAULT 3

struct mc_resampler;

/* Equal rates give a pass-through copier, so callers never special-case them. */
struct mc_resampler *mc_resampler_create(uint32_t in_rate, uint32_t out_rate, int quality);
void mc_resampler_destroy(struct mc_resampler *r);
/* Converts n input samples; out must hold at least mc_resampler_out_max(r, n) samples. */
int mc_resampler_process(struct mc_resampler *r, const int16_t *in, size_t n, int16_t *out,
                         size_t cap);
size_t mc_resampler_out_max(const struct mc_resampler *r, size_t n);
/* Input samples the filter holds back; feeding that many zeros at the end flushes them out. */
size_t mc_resampler_latency(const struct mc_resampler *r);
/* Drops the filter's leading delay from the output (for whole-file conversion, not streams). */
void mc_resampler_skip_latency(struct mc_resampler *r);

#endif
