/* TZif reader and POSIX TZ footer rules: UTC offsets without the process-wide TZ. */
#include "cf-tz.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TZ_FILE_MAX (1 << 20)

struct posix_rule {
	bool present, has_dst;
	long std_off, dst_off;		/* seconds east of UTC */
	int sm, sw, sd, em, ew, ed;	/* Mm.w.d start and end */
	long stime, etime;		/* local seconds after midnight */
};

struct cf_tz {
	int64_t *times;
	unsigned char *idx;
	long *offs;
	size_t ntimes, ntypes;
	struct posix_rule rule;
};

struct cf_tz_cache {
	struct cf_tz_cache *next;
	struct cf_tz *tz;
	char name[64];
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (int64_t)doe - 719468;
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, int m)
{
	static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* Day (unix day number) of the w-th (5: last) weekday d of month m in year y. */
static int64_t mwd_day(int64_t y, int m, int w, int d)
{
	int64_t first = days_from_civil(y, (unsigned)m, 1);
	int wd_first = (int)(((first % 7) + 11) % 7);	/* 1970-01-01 was a Thursday (4) */
	int day = 1 + (d - wd_first + 7) % 7 + (w - 1) * 7;

	while (day > (int)month_days(y, m))
		day -= 7;
	return first + day - 1;
}

static const char *parse_name(const char *p)
{
	if (*p == '<') {
		while (*p && *p != '>')
			p++;
		return *p ? p + 1 : NULL;
	}
	const char *s = p;

	while (isalpha((unsigned char)*p))
		p++;
	return p - s >= 3 ? p : NULL;
}

static const char *parse_hms(const char *p, long *out)
{
	int sign = 1;
	long h = 0, m = 0, s = 0;

	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*p))
		return NULL;
	h = strtol(p, (char **)&p, 10);
	if (*p == ':') {
		m = strtol(p + 1, (char **)&p, 10);
		if (*p == ':')
			s = strtol(p + 1, (char **)&p, 10);
	}
	if (h > 167 || m > 59 || s > 59)
		return NULL;
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

static const char *parse_mwd(const char *p, int *m, int *w, int *d, long *time)
{
	if (*p != 'M')
		return NULL;	/* Jn and n forms: no current zone uses them */
	*m = (int)strtol(p + 1, (char **)&p, 10);
	if (*p++ != '.')
		return NULL;
	*w = (int)strtol(p, (char **)&p, 10);
	if (*p++ != '.')
		return NULL;
	*d = (int)strtol(p, (char **)&p, 10);
	if (*m < 1 || *m > 12 || *w < 1 || *w > 5 || *d < 0 || *d > 6)
		return NULL;
	*time = 7200;
	if (*p == '/')
		p = parse_hms(p + 1, time);
	return p;
}

static int parse_posix(const char *s, struct posix_rule *r)
{
	const char *p = parse_name(s);
	long off;

	memset(r, 0, sizeof(*r));
	if (!p || !(p = parse_hms(p, &off)))
		return -EINVAL;
	r->std_off = -off;
	r->present = true;
	if (!*p)
		return 0;
	if (!(p = parse_name(p)))
		return -EINVAL;
	r->dst_off = r->std_off + 3600;
	if (*p && *p != ',') {
		if (!(p = parse_hms(p, &off)))
			return -EINVAL;
		r->dst_off = -off;
	}
	if (*p++ != ',' || !(p = parse_mwd(p, &r->sm, &r->sw, &r->sd, &r->stime)) ||
	    *p++ != ',' || !(p = parse_mwd(p, &r->em, &r->ew, &r->ed, &r->etime)) || *p)
		return -EINVAL;
	r->has_dst = true;
	return 0;
}

static long posix_offset(const struct posix_rule *r, time_t t)
{
	if (!r->has_dst)
		return r->std_off;
	int64_t days = ((int64_t)t + r->std_off) / 86400 - (((int64_t)t + r->std_off) % 86400 < 0);
	/* civil year of that day */
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	int64_t y = (int64_t)yoe + era * 400 + (mp >= 10);
	int64_t start = mwd_day(y, r->sm, r->sw, r->sd) * 86400 + r->stime - r->std_off;
	int64_t end = mwd_day(y, r->em, r->ew, r->ed) * 86400 + r->etime - r->dst_off;
	bool dst = start < end ? (t >= start && t < end) : (t >= start || t < end);

	return dst ? r->dst_off : r->std_off;
}

int cf_tz_parse(const unsigned char *b, size_t len, struct cf_tz **out)
{
	uint32_t c[6];
	size_t off = 44, v1, need;
	struct cf_tz *tz;

	if (len < 44 || memcmp(b, "TZif", 4) != 0 || b[4] < '2')
		return -EINVAL;	/* v1-only files carry no 64-bit data: refuse them */
	for (int i = 0; i < 6; i++)
		c[i] = be32(b + 20 + 4 * i);
	v1 = (size_t)c[3] * 5 + (size_t)c[4] * 6 + c[5] + (size_t)c[2] * 8 + c[1] + c[0];
	off += v1;
	if (off + 44 > len || memcmp(b + off, "TZif", 4) != 0)
		return -EINVAL;
	for (int i = 0; i < 6; i++)
		c[i] = be32(b + off + 20 + 4 * i);
	off += 44;
	need = (size_t)c[3] * 9 + (size_t)c[4] * 6 + c[5] + (size_t)c[2] * 12 + c[1] + c[0];
	if (c[4] == 0 || c[4] > 256 || c[3] > 100000 || off + need > len)
		return -EINVAL;
	tz = calloc(1, sizeof(*tz));
	if (!tz)
		return -ENOMEM;
	tz->ntimes = c[3];
	tz->ntypes = c[4];
	tz->times = calloc(tz->ntimes + 1, sizeof(*tz->times));
	tz->idx = calloc(tz->ntimes + 1, 1);
	tz->offs = calloc(tz->ntypes, sizeof(*tz->offs));
	if (!tz->times || !tz->idx || !tz->offs) {
		cf_tz_free(tz);
		return -ENOMEM;
	}
	for (size_t i = 0; i < tz->ntimes; i++)
		tz->times[i] = be64(b + off + 8 * i);
	off += tz->ntimes * 8;
	for (size_t i = 0; i < tz->ntimes; i++) {
		tz->idx[i] = b[off + i];
		if (tz->idx[i] >= tz->ntypes) {
			cf_tz_free(tz);
			return -EINVAL;
		}
	}
	off += tz->ntimes;
	for (size_t i = 0; i < tz->ntypes; i++)
		tz->offs[i] = (int32_t)be32(b + off + 6 * i);
	off += need - tz->ntimes * 9;
	if (off < len && b[off] == '\n') {
		const unsigned char *end = memchr(b + off + 1, '\n', len - off - 1);
		char footer[128];
		size_t fl = end ? (size_t)(end - (b + off + 1)) : 0;

		if (end && fl < sizeof(footer)) {
			memcpy(footer, b + off + 1, fl);
			footer[fl] = '\0';
			if (fl)
				parse_posix(footer, &tz->rule);	/* unusable footer: last type stays */
		}
	}
	*out = tz;
	return 0;
}

void cf_tz_free(struct cf_tz *tz)
{
	if (!tz)
		return;
	free(tz->times);
	free(tz->idx);
	free(tz->offs);
	free(tz);
}

long cf_tz_offset(const struct cf_tz *tz, time_t t)
{
	size_t lo = 0, hi = tz->ntimes;

	if (tz->ntimes == 0 || (int64_t)t < tz->times[0])
		return tz->rule.present && tz->ntimes == 0 ? posix_offset(&tz->rule, t) : tz->offs[0];
	if ((int64_t)t >= tz->times[tz->ntimes - 1] && tz->rule.present)
		return posix_offset(&tz->rule, t);
	while (hi - lo > 1) {	/* last transition <= t */
		size_t mid = (lo + hi) / 2;

		if (tz->times[mid] <= (int64_t)t)
			lo = mid;
		else
			hi = mid;
	}
	return tz->offs[tz->idx[lo]];
}

int cf_tz_localtime(const struct cf_tz *tz, time_t t, struct tm *out)
{
	time_t local = t + cf_tz_offset(tz, t);

	return gmtime_r(&local, out) ? 0 : -EOVERFLOW;
}

static bool safe_name(const char *n)
{
	if (!*n || *n == '/' || strstr(n, "..") || strlen(n) >= 64)
		return false;
	for (; *n; n++)
		if (!isalnum((unsigned char)*n) && !strchr("_+-/", *n))
			return false;
	return true;
}

int cf_tz_get(struct cf_tz_cache **cache, const char *dir, const char *name,
	      const struct cf_tz **out)
{
	char path[512];
	unsigned char *buf;
	size_t len;
	FILE *fp;
	struct cf_tz_cache *c;
	int rc;

	if (!name || !safe_name(name))
		return -EINVAL;
	for (c = *cache; c; c = c->next)
		if (strcmp(c->name, name) == 0) {
			*out = c->tz;
			return 0;
		}
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return -ENAMETOOLONG;
	fp = fopen(path, "rb");
	if (!fp)
		return -ENOENT;
	buf = malloc(TZ_FILE_MAX);
	if (!buf) {
		fclose(fp);
		return -ENOMEM;
	}
	len = fread(buf, 1, TZ_FILE_MAX, fp);
	fclose(fp);
	c = calloc(1, sizeof(*c));
	rc = c ? cf_tz_parse(buf, len, &c->tz) : -ENOMEM;
	free(buf);
	if (rc) {
		free(c);
		return rc == -EINVAL ? -ENOENT : rc;
	}
	strcpy(c->name, name);
	c->next = *cache;
	*cache = c;
	*out = c->tz;
	return 0;
}

void cf_tz_cache_free(struct cf_tz_cache *cache)
{
	while (cache) {
		struct cf_tz_cache *next = cache->next;

		cf_tz_free(cache->tz);
		free(cache);
		cache = next;
	}
}
