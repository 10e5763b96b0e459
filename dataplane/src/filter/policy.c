/* Policy defaults and validation; see flt-policy.h. */
#include "flt-policy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy-error.h"

static const char *const default_scanners[] = {
	"friendly-scanner", "sipvicious", "sipcli", "sip-scan", "iWar", "sipsak",
};

void flt_policy_defaults(struct flt_policy *p)
{
	memset(p, 0, sizeof(*p));
	/* Kamailio pike's customary figures: 30 requests per 2 s, then a 300 s ban. */
	p->density_requests = 30;
	p->density_window_ms = 2000;
	p->ban_seconds = 300;
	p->method_rate[FLT_METHOD_REGISTER] = (struct flt_rate){ 5, 10 };
	p->method_rate[FLT_METHOD_INVITE] = (struct flt_rate){ 5, 10 };
	p->method_rate[FLT_METHOD_OTHER] = (struct flt_rate){ 20, 40 };
	for (size_t i = 0; i < sizeof(default_scanners) / sizeof(default_scanners[0]); i++)
		snprintf(p->ua[i], sizeof(p->ua[i]), "%s", default_scanners[i]);
	p->ua_count = sizeof(default_scanners) / sizeof(default_scanners[0]);
}

int flt_policy_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

int flt_policy_validate(const struct flt_policy *p, char *err, size_t errlen)
{
	static const char *const class_name[FLT_METHOD_COUNT] = { "register", "invite", "other" };

	if (p->density_requests > FLT_RATE_MAX)
		return flt_policy_fail(err, errlen, "density_requests %u is above %u",
				       p->density_requests, FLT_RATE_MAX);
	if (p->density_window_ms < 1 || p->density_window_ms > 3600000)
		return flt_policy_fail(err, errlen, "density_window_ms %u is outside 1..3600000",
				       p->density_window_ms);
	if (p->ban_seconds < 1 || p->ban_seconds > 30 * 86400)
		return flt_policy_fail(err, errlen, "ban_seconds %u is outside 1..2592000",
				       p->ban_seconds);
	for (int c = 0; c < FLT_METHOD_COUNT; c++) {
		const struct flt_rate *r = &p->method_rate[c];

		if (r->per_sec > FLT_RATE_MAX)
			return flt_policy_fail(err, errlen, "%s rate %u is above %u", class_name[c],
					       r->per_sec, FLT_RATE_MAX);
		if (r->per_sec && (r->burst < 1 || r->burst > FLT_RATE_MAX))
			return flt_policy_fail(err, errlen, "%s burst %u is outside 1..%u",
					       class_name[c], r->burst, FLT_RATE_MAX);
	}
	if (p->ua_count > FLT_UA_MAX)
		return flt_policy_fail(err, errlen, "%u User-Agent patterns, at most %d",
				       p->ua_count, FLT_UA_MAX);
	for (uint32_t i = 0; i < p->ua_count; i++) {
		size_t len = strnlen(p->ua[i], sizeof(p->ua[i]));

		if (len < FLT_UA_LEN_MIN || len > FLT_UA_LEN_MAX)
			return flt_policy_fail(err, errlen,
					       "User-Agent pattern %u has %zu bytes, not %d..%d",
					       i + 1, len, FLT_UA_LEN_MIN, FLT_UA_LEN_MAX);
	}
	if (p->allow_count > FLT_ALLOW_MAX)
		return flt_policy_fail(err, errlen, "%u allow-list entries, at most %d",
				       p->allow_count, FLT_ALLOW_MAX);
	for (uint32_t i = 0; i < p->allow_count; i++)
		if (p->allow[i].prefix > 32)
			return flt_policy_fail(err, errlen, "allow-list entry %u has prefix /%u",
					       i + 1, p->allow[i].prefix);
	return 0;
}
