/* Call times as KAZOO shows them: gregorian seconds (seconds since year 0, Erlang's
 * calendar:datetime_to_gregorian_seconds) and ISO 8601 UTC, plus the leg's durations.
 * Return convention: values are returned directly; iso writes a terminated string.
 */
#ifndef CALLS_TIME_H
#define CALLS_TIME_H

#include "calls-leg-t.h"

#include <stddef.h>
#include <stdint.h>

#define CALLS_GREGORIAN_UNIX_OFFSET 62167219200LL

int64_t calls_gregorian_s(int64_t unix_us);
/* "2026-11-22T06:00:35Z" (second precision); cap >= 21. */
void calls_iso8601(int64_t unix_us, char *out, size_t cap);

struct calls_durations {
	int64_t duration_s;	/* created to ended (or to the event when still up) */
	int64_t billing_s;	/* answered to ended; 0 when never answered */
	int64_t ringing_s;	/* created to answered (or to ended when never answered) */
};

void calls_durations(const struct calls_leg *leg, struct calls_durations *out);

#endif
