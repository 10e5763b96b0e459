/* KAZOO temporal rules evaluated at one local time.
 * Return convention: cf_temporal_matches returns true/false.
 *
 * A rule: cycle date|daily|weekly|monthly|yearly, interval (>= 1, counted from start_date),
 * days (1-31), wdays, ordinal every|first..fifth|last (with wdays), month (yearly), start_date
 * (Gregorian seconds, as KAZOO stores it), time_window_start/stop (seconds of the local day,
 * stop exclusive), enabled (true: always on, false: never, absent/null: by the rule).
 */
#ifndef BUGLE_CF_TEMPORAL_H
#define BUGLE_CF_TEMPORAL_H

#include <jansson.h>
#include <stdbool.h>
#include <time.h>

/* KAZOO's start_date is seconds since 0000-01-01; this many of them precede 1970. */
#define CF_GREGORIAN_UNIX_OFFSET 62167219200LL

/* local: the time in the zone (tm from cf_tz_localtime). */
bool cf_temporal_matches(const json_t *rule, const struct tm *local);

#endif
