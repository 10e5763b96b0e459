/* Scanner User-Agent deny list: case-insensitive (ASCII) substring match of up to 32 patterns
 * over a User-Agent slice that need not be NUL-terminated. Each pattern owns one bit; two
 * 256-entry tables give, for the first and second byte of a candidate position, the patterns
 * that can start there, so most positions cost two loads and an AND and only real candidates
 * are compared in full.
 *
 * Built by the owning lcore when a policy is applied; read-only on the fast path.
 *
 * Return convention: build returns 0 or a negative errno; match returns true on a hit.
 */
#ifndef BUGLE_FLT_UA_MATCH_H
#define BUGLE_FLT_UA_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flt-t.h"

struct flt_ua_matcher {
	uint32_t first[256];			/* byte -> patterns whose byte 0 it can be */
	uint32_t second[256];			/* byte -> patterns whose byte 1 it can be */
	uint8_t len[FLT_UA_MAX];
	char pattern[FLT_UA_MAX][FLT_UA_LEN_MAX + 1];	/* lowercased */
	uint32_t count;
	uint32_t min_len;
};

/* patterns: count NUL-terminated strings of FLT_UA_LEN_MIN..FLT_UA_LEN_MAX bytes. */
int flt_ua_matcher_build(struct flt_ua_matcher *um, const char (*patterns)[FLT_UA_LEN_MAX + 1],
			 uint32_t count);
bool flt_ua_matcher_match(const struct flt_ua_matcher *um, const char *ua, size_t ua_len);

#endif
