/* Callflow lookup by number: normalisation and the exact / longest-pattern / no_match choice. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "cf-lookup.h"

#include <ctype.h>
#include <errno.h>
#include <pcre2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool is_separator(char c)
{
	return c == ' ' || c == '-' || c == '.' || c == '(' || c == ')';
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

int cf_number_normalize(const char *in, char *out, size_t outlen)
{
	char tmp[CF_NUMBER_MAX];
	size_t n = 0;

	if (!in || !*in || outlen == 0)
		return -EINVAL;
	if (in[0] == '*' || in[0] == '#') {
		/* feature codes are kept verbatim: *72 differs from 72 */
		if (strlen(in) >= outlen)
			return -ENAMETOOLONG;
		for (const char *p = in; *p; p++)
			if (!isgraph((unsigned char)*p))
				return -EINVAL;
		strcpy(out, in);
		return 0;
	}
	for (const char *p = in; *p; p++) {
		if (!isprint((unsigned char)*p))
			return -EINVAL;
		if (is_separator(*p))
			continue;
		if (*p == '+' && n == 0 && p == in)
			continue;
		if (n + 1 >= sizeof(tmp))
			return -ENAMETOOLONG;
		tmp[n++] = *p;
	}
	tmp[n] = '\0';
	if (n == 0)
		return -EINVAL;
	if (!all_digits(tmp)) {
		/* a name ("alice"): keep the original spelling */
		if (strlen(in) >= outlen)
			return -ENAMETOOLONG;
		strcpy(out, in);
		return 0;
	}
	if (n == 10 && tmp[0] >= '2' && tmp[0] <= '9' && in[0] != '+') {
		if (n + 2 > outlen)
			return -ENAMETOOLONG;
		out[0] = '1';
		memcpy(out + 1, tmp, n + 1);
		return 0;
	}
	if (n + 1 > outlen)
		return -ENAMETOOLONG;
	memcpy(out, tmp, n + 1);
	return 0;
}

size_t cf_number_forms(const char *normalized, char forms[][CF_NUMBER_MAX], size_t max)
{
	size_t n = 0;
	size_t len = strlen(normalized);

	if (max == 0 || len >= CF_NUMBER_MAX)
		return 0;
	strcpy(forms[n++], normalized);
	if (!all_digits(normalized))
		return n;
	if (n < max && len + 1 < CF_NUMBER_MAX)
		snprintf(forms[n++], CF_NUMBER_MAX, "+%s", normalized);
	if (n < max && len == 11 && normalized[0] == '1')
		snprintf(forms[n++], CF_NUMBER_MAX, "%s", normalized + 1);
	return n;
}

static bool numbers_hold(const json_t *cf, const char *normalized)
{
	const json_t *nums = json_object_get(cf, "numbers");
	size_t i;
	const json_t *v;
	char norm[CF_NUMBER_MAX];

	json_array_foreach(nums, i, v) {
		const char *s = json_string_value(v);

		if (!s)
			continue;
		if (strcmp(s, "no_match") == 0)
			continue;
		if (cf_number_normalize(s, norm, sizeof(norm)) == 0 &&
		    strcmp(norm, normalized) == 0)
			return true;
	}
	return false;
}

static bool has_no_match(const json_t *cf)
{
	size_t i;
	const json_t *v;

	json_array_foreach(json_object_get(cf, "numbers"), i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), "no_match") == 0)
			return true;
	return false;
}

/* Runs one pattern on subject; returns the whole match's length or -1. Captures go to m. */
static int run_pattern(const char *pattern, const char *subject, struct cf_match *m)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, 0, &errcode,
				       &erroff, NULL);
	pcre2_match_data *md;
	int rc, len = -1;

	if (!re)
		return -1;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	if (!md) {
		pcre2_code_free(re);
		return -1;
	}
	/* bounded so a hostile pattern cannot stall the loop thread */
	pcre2_match_context *mc = pcre2_match_context_create(NULL);
	if (mc)
		pcre2_set_match_limit(mc, 100000);
	rc = pcre2_match(re, (PCRE2_SPTR)subject, strlen(subject), 0, 0, md, mc);
	if (rc > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		len = (int)(ov[1] - ov[0]);
		m->n_captures = 0;
		for (int g = 1; g < rc && m->n_captures < CF_LOOKUP_CAPTURES; g++) {
			char *dst = m->captures[m->n_captures++];
			size_t cl = 0;

			if (ov[2 * g] != PCRE2_UNSET) {
				cl = ov[2 * g + 1] - ov[2 * g];
				if (cl >= CF_NUMBER_MAX)
					cl = CF_NUMBER_MAX - 1;
				memcpy(dst, subject + ov[2 * g], cl);
			}
			dst[cl] = '\0';
		}
	}
	pcre2_match_context_free(mc);
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return len;
}

int cf_lookup_choose(const json_t *candidates, const char *normalized, struct cf_match *m)
{
	size_t i, j;
	const json_t *cf, *p;
	int best_len = -1;
	size_t best_plen = 0;
	char plus[CF_NUMBER_MAX + 1];
	struct cf_match trial;

	memset(m, 0, sizeof(*m));
	if (!json_is_array(candidates) || !normalized)
		return -EINVAL;
	json_array_foreach(candidates, i, cf) {
		if (numbers_hold(cf, normalized)) {
			m->callflow = cf;
			m->kind = CF_MATCH_NUMBER;
			return 0;
		}
	}
	snprintf(plus, sizeof(plus), "+%s", normalized);
	json_array_foreach(candidates, i, cf) {
		json_array_foreach(json_object_get(cf, "patterns"), j, p) {
			const char *pat = json_string_value(p);
			int len;

			if (!pat || strlen(pat) >= sizeof(m->pattern))
				continue;
			memset(&trial, 0, sizeof(trial));
			len = run_pattern(pat, normalized, &trial);
			if (len < 0 && all_digits(normalized))
				len = run_pattern(pat, plus, &trial);
			if (len < 0)
				continue;
			if (len > best_len || (len == best_len && strlen(pat) > best_plen)) {
				*m = trial;
				m->callflow = cf;
				m->kind = CF_MATCH_PATTERN;
				strcpy(m->pattern, pat);
				best_len = len;
				best_plen = strlen(pat);
			}
		}
	}
	if (best_len >= 0)
		return 0;
	json_array_foreach(candidates, i, cf) {
		if (has_no_match(cf)) {
			m->callflow = cf;
			m->kind = CF_MATCH_NO_MATCH;
			return 0;
		}
	}
	return -ENOENT;
}
