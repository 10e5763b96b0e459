/* Time zones read from zoneinfo (TZif) files, so the daemon never touches the process-wide TZ
 * (setenv + tzset + localtime_r races with every other thread that formats a time).
 * Return convention: 0 or a negative errno.
 *
 * A zone is its transitions (TZif v2+ 64-bit data) plus the footer's POSIX TZ rule for times
 * after the last transition (M-month.week.day rules, which every current zone uses).
 */
#ifndef BUGLE_CF_TZ_H
#define BUGLE_CF_TZ_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct cf_tz;
struct cf_tz_cache;

/* Parses a TZif image. -EINVAL when it is not one. */
int cf_tz_parse(const unsigned char *buf, size_t len, struct cf_tz **out);
void cf_tz_free(struct cf_tz *tz);
/* Seconds east of UTC at t. */
long cf_tz_offset(const struct cf_tz *tz, time_t t);

/* Loads dir/name once per cache (name: letters, digits, "_+-/", no ".." or leading "/";
 * -EINVAL otherwise, -ENOENT when no such zone). *cache may start NULL. */
int cf_tz_get(struct cf_tz_cache **cache, const char *dir, const char *name,
	      const struct cf_tz **out);
void cf_tz_cache_free(struct cf_tz_cache *cache);

/* Local broken-down time of t in tz (tm_wday, tm_yday, ... filled as gmtime_r does). */
int cf_tz_localtime(const struct cf_tz *tz, time_t t, struct tm *out);

#endif
