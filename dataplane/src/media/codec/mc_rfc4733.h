/* RFC 4733 telephone-event payloads: parse and build, a per-stream detector turning packets into
 * one report per digit, and a generator of the packet train for a digit. Parse/build and init
 * return 0 or a negative errno; push and train return a count or a negative errno. */
#ifndef MC_RFC4733_H
#define MC_RFC4733_H

#include <stddef.h>

#include "mc_rfc4733-t.h"

int mc_rfc4733_parse(const uint8_t *payload, size_t len, struct mc_tev *ev);
int mc_rfc4733_build(const struct mc_tev *ev, uint8_t *out, size_t cap);

/* Event code for a digit character and back; -EINVAL / '\0' for anything else. */
int mc_dtmf_event_from_digit(char digit);
char mc_dtmf_digit_from_event(uint8_t event);

int mc_rfc4733_detector_init(struct mc_rfc4733_detector *d, uint32_t clock_rate);
/* Feeds one telephone-event payload with its RTP timestamp. Writes up to 2 reports to rep (an
 * event whose end packets were all lost is reported when the next one starts) and returns how
 * many; -EBADMSG for a malformed payload (counted). */
int mc_rfc4733_detector_push(struct mc_rfc4733_detector *d, const uint8_t *payload, size_t len,
                             uint32_t ts, struct mc_dtmf_report rep[2]);
/* Reports an event still in progress (call when the stream has been quiet for a while). */
int mc_rfc4733_detector_flush(struct mc_rfc4733_detector *d, struct mc_dtmf_report *rep);

/* Builds the packets for one digit lasting duration_ms: updates every ptime_ms, then the final
 * packet three times. Returns the number written, -ENOSPC if cap is too small, -ERANGE if the
 * duration does not fit one event (16-bit duration field), -EINVAL for a bad digit. */
int mc_rfc4733_train(char digit, uint32_t duration_ms, uint8_t volume, uint32_t clock_rate,
                     uint32_t ptime_ms, uint32_t start_ts, struct mc_rfc4733_packet *out,
                     unsigned cap);

#endif
