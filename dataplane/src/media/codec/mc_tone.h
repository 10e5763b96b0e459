/* Call-progress tones (ringback, busy, beep, any "f1+f2/on/off" cadence) at any leg rate.
 * Parse and init return 0 or a negative errno; read returns the samples written. */
#ifndef MC_TONE_H
#define MC_TONE_H

#include <stddef.h>

#include "mc_tone-t.h"

/* Parses a spec; on error returns -EINVAL and writes a message naming the problem to err. */
int mc_tone_parse(const char *text, struct mc_tone_spec *spec, char *err, size_t errlen);
/* Named presets: ringback (North American 440+480 2 s on 4 s off), ringback-uk, ringback-eu,
 * busy (480+620 0.5/0.5), busy-uk, busy-eu, beep (1000 Hz 250 ms once). -ENOENT if unknown. */
int mc_tone_preset(const char *name, struct mc_tone_spec *spec);

/* amplitude is the peak of each frequency (e.g. 5000 is about -16 dBm0 per tone). -EINVAL if a
 * frequency is at or above the Nyquist rate for this leg. */
int mc_tone_gen_init(struct mc_tone_gen *g, const struct mc_tone_spec *spec, uint32_t rate,
                     int16_t amplitude);
/* Writes up to n samples; fewer once a play-once tone has finished. */
size_t mc_tone_gen_read(struct mc_tone_gen *g, int16_t *pcm, size_t n);

#endif
