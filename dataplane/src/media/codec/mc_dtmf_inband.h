/* In-band DTMF on decoded audio: detection (spandsp dtmf_rx) and generation (spandsp dtmf_tx),
 * at any leg rate (both work at 8 kHz; other rates go through a resampler). Creators return a
 * pointer or NULL; push/read return a count; the rest return 0 or a negative errno. */
#ifndef MC_DTMF_INBAND_H
#define MC_DTMF_INBAND_H

#include <stddef.h>

#include "mc_rfc4733-t.h"

/* Reports waiting to be collected; further digits in one push are counted as dropped. */
#define MC_DTMF_INBAND_QUEUE 8

struct mc_dtmf_detector;
struct mc_dtmf_generator;

struct mc_dtmf_detector *mc_dtmf_detector_create(uint32_t rate);
void mc_dtmf_detector_destroy(struct mc_dtmf_detector *d);
/* Feeds n samples; writes up to cap finished digits to rep and returns how many. */
int mc_dtmf_detector_push(struct mc_dtmf_detector *d, const int16_t *pcm, size_t n,
                          struct mc_dtmf_report *rep, unsigned cap);

struct mc_dtmf_generator *mc_dtmf_generator_create(uint32_t rate);
void mc_dtmf_generator_destroy(struct mc_dtmf_generator *g);
/* Queues digits to play with the given tone and gap lengths (a new call replaces the timing of
 * digits not yet started). -EINVAL for a character that is not a DTMF digit. */
int mc_dtmf_generator_queue(struct mc_dtmf_generator *g, const char *digits, uint32_t on_ms,
                            uint32_t off_ms);
/* Writes up to n samples of tone; returns how many (fewer once the queue has been played). */
int mc_dtmf_generator_read(struct mc_dtmf_generator *g, int16_t *pcm, size_t n);
/* Non-zero while digits remain to be played. */
int mc_dtmf_generator_busy(const struct mc_dtmf_generator *g);

#endif
