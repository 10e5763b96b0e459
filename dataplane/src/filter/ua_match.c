/* Scanner User-Agent matcher; see ua-match.h. */
#include "ua-match.h"

#include <errno.h>
#include <string.h>

static inline unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + ('a' - 'A')) : c;
}

static inline unsigned char ascii_upper(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - ('a' - 'A')) : c;
}

int flt_ua_matcher_build(struct flt_ua_matcher *um, const char (*patterns)[FLT_UA_LEN_MAX + 1],
			 uint32_t count)
{
	memset(um, 0, sizeof(*um));
	if (count > FLT_UA_MAX)
		return -EINVAL;
	um->min_len = FLT_UA_LEN_MAX + 1;
	for (uint32_t k = 0; k < count; k++) {
		size_t len = strnlen(patterns[k], FLT_UA_LEN_MAX + 1);

		if (len < FLT_UA_LEN_MIN || len > FLT_UA_LEN_MAX) {
			memset(um, 0, sizeof(*um));
			return -EINVAL;
		}
		for (size_t i = 0; i < len; i++)
			um->pattern[k][i] = (char)ascii_lower((unsigned char)patterns[k][i]);
		um->len[k] = (uint8_t)len;
		for (unsigned i = 0; i < 2; i++) {
			uint32_t *table = i == 0 ? um->first : um->second;
			unsigned char c = (unsigned char)um->pattern[k][i];

			table[c] |= 1u << k;
			table[ascii_upper(c)] |= 1u << k;
		}
		if (len < um->min_len)
			um->min_len = (uint32_t)len;
	}
	um->count = count;
	return 0;
}

/* Compares the rest of a candidate: the pattern is lowercase already. */
static bool tail_equal(const unsigned char *s, const char *pattern, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (ascii_lower(s[i]) != (unsigned char)pattern[i])
			return false;
	return true;
}

bool flt_ua_matcher_match(const struct flt_ua_matcher *um, const char *ua, size_t ua_len)
{
	const unsigned char *s = (const unsigned char *)ua;

	if (!um->count || !ua || ua_len < um->min_len)
		return false;
	for (size_t i = 0; i + um->min_len <= ua_len; i++) {
		uint32_t cand = um->first[s[i]] & um->second[s[i + 1]];

		while (cand) {
			unsigned k = (unsigned)__builtin_ctz(cand);

			cand &= cand - 1;
			if (um->len[k] <= ua_len - i &&
			    tail_equal(s + i + 2, um->pattern[k] + 2, um->len[k] - 2u))
				return true;
		}
	}
	return false;
}
