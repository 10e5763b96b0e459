/* Gregorian seconds, ISO times and the three durations KAZOO reports per leg. */
#include "calls-time.h"

#include <stdio.h>
#include <time.h>

int64_t calls_gregorian_s(int64_t unix_us)
{
	return unix_us / 1000000 + CALLS_GREGORIAN_UNIX_OFFSET;
}

void calls_iso8601(int64_t unix_us, char *out, size_t cap)
{
	time_t t = (time_t)(unix_us / 1000000);
	struct tm tm;
	if (!gmtime_r(&t, &tm) || strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, cap, "%s", "");
}

/* Rounded down to whole seconds, never negative (clocks of different nodes may disagree). */
static int64_t seconds_between(int64_t from_us, int64_t to_us)
{
	return (from_us && to_us > from_us) ? (to_us - from_us) / 1000000 : 0;
}

void calls_durations(const struct calls_leg *leg, struct calls_durations *out)
{
	int64_t end = leg->ended_us ? leg->ended_us : leg->event_us;
	out->duration_s = seconds_between(leg->created_us, end);
	out->billing_s = leg->answered_us ? seconds_between(leg->answered_us, end) : 0;
	out->ringing_s = seconds_between(leg->created_us, leg->answered_us ? leg->answered_us : end);
}
