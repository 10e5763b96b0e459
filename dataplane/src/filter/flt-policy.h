/* Filter policy helpers: defaults, validation, and parsing the config file's list settings.
 * Validation and parsing run on the main lcore before a policy is sent to the workers.
 *
 * Return convention: 0 or -EINVAL; on -EINVAL, err (when not NULL) holds a one-line message
 * naming the offending item.
 */
#ifndef BUGLE_FLT_POLICY_H
#define BUGLE_FLT_POLICY_H

#include <stddef.h>

#include "flt-t.h"

/* Density 30 requests / 2000 ms, ban 300 s; REGISTER 5/s burst 10, INVITE 5/s burst 10, other
 * 20/s burst 40; the scanner agents friendly-scanner, sipvicious, sipcli, sip-scan, iWar,
 * sipsak; empty allow-list. */
void flt_policy_defaults(struct flt_policy *p);

int flt_policy_validate(const struct flt_policy *p, char *err, size_t errlen);

/* "friendly-scanner, sipvicious": comma-separated, blanks around items ignored; "" clears the
 * list. Replaces p->ua only when the whole text is valid. */
int flt_policy_parse_ua_list(struct flt_policy *p, const char *text, char *err, size_t errlen);

/* "203.0.113.7, 198.51.100.0/24": IPv4 addresses and CIDRs with no host bits set; "" clears.
 * Replaces p->allow only when the whole text is valid. */
int flt_policy_parse_allow_list(struct flt_policy *p, const char *text, char *err, size_t errlen);

#endif
