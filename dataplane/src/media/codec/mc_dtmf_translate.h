/* DTMF translation for legs where one side lacks telephone-event: RFC 4733 in -> in-band tones
 * out, and in-band tones in -> RFC 4733 packets out. Both act when a digit has ended (its length
 * is then known), as FreeSWITCH does. Creators return a pointer or NULL; the rest return a count
 * or a negative errno. */
#ifndef MC_DTMF_TRANSLATE_H
#define MC_DTMF_TRANSLATE_H

#include <stddef.h>

#include "mc_rfc4733-t.h"

/* Digits shorter or longer than this are played/sent clamped to it. */
#define MC_DTMF_MIN_MS 40
#define MC_DTMF_MAX_MS 2000
/* Gap played after each translated in-band digit. */
#define MC_DTMF_GAP_MS 50
/* Most packets one translated digit needs at 10 ms ptime, with the end repeats. */
#define MC_DTMF_TRAIN_MAX (MC_DTMF_MAX_MS / 10 + MC_RFC4733_END_REPEATS + 1)

struct mc_dtmf_to_inband;
struct mc_dtmf_to_rfc4733;

struct mc_dtmf_to_inband *mc_dtmf_to_inband_create(uint32_t event_clock, uint32_t out_rate);
void mc_dtmf_to_inband_destroy(struct mc_dtmf_to_inband *t);
/* Feeds one telephone-event payload; finished digits are queued as tones and also returned in
 * rep (for reporting to the control plane). */
int mc_dtmf_to_inband_event(struct mc_dtmf_to_inband *t, const uint8_t *payload, size_t len,
                            uint32_t ts, struct mc_dtmf_report rep[2]);
/* Overwrites the start of pcm with queued tone; returns samples overwritten (0 when idle). */
int mc_dtmf_to_inband_fill(struct mc_dtmf_to_inband *t, int16_t *pcm, size_t n);

struct mc_dtmf_to_rfc4733 *mc_dtmf_to_rfc4733_create(uint32_t in_rate, uint32_t event_clock,
                                                     uint32_t ptime_ms, uint8_t volume);
void mc_dtmf_to_rfc4733_destroy(struct mc_dtmf_to_rfc4733 *t);
/* Feeds decoded audio whose last sample has RTP timestamp ts_end on the event clock; for each
 * digit that ended, writes its packet train (paced by offset_ms) to out. */
int mc_dtmf_to_rfc4733_push(struct mc_dtmf_to_rfc4733 *t, const int16_t *pcm, size_t n,
                            uint32_t ts_end, struct mc_rfc4733_packet *out, unsigned cap);

#endif
