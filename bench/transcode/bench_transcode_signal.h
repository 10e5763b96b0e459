/* Speech-like test audio for the transcoding benchmark (voiced harmonics with a moving pitch and
 * a syllable envelope), so codecs work as hard as on real calls rather than on pure tones. */
#ifndef BENCH_TRANSCODE_SIGNAL_H
#define BENCH_TRANSCODE_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

void bench_speech_like(int16_t *out, size_t n, uint32_t rate);

#endif
