/* Callflow lookup: the dialed number normalised, then an exact `numbers` match, then the
 * longest matching `patterns` regex (PCRE2, captures kept), then the `no_match` callflow.
 * Return convention: 0 or a negative errno; cf_number_forms returns a count.
 */
#ifndef BUGLE_CF_LOOKUP_H
#define BUGLE_CF_LOOKUP_H

#include <jansson.h>
#include <stddef.h>

#include "cf-call-t.h"

#define CF_LOOKUP_CAPTURES 10

/* E.164-style normalisation: separators (space - . ( )) dropped, a leading "+" stripped,
 * 10-digit NANP numbers (leading 2-9) get the "1" country code, 11-digit "1..." kept;
 * feature codes (leading * or #) and other names ("alice", "1001") kept as they are.
 * -EINVAL for empty or non-printable input, -ENAMETOOLONG when out is too small. */
int cf_number_normalize(const char *in, char *out, size_t outlen);

/* The spellings a callflow's `numbers` may use for a normalised number (itself, "+"-prefixed,
 * and the 10-digit NANP form): what the store is asked for. Returns how many were written. */
size_t cf_number_forms(const char *normalized, char forms[][CF_NUMBER_MAX], size_t max);

enum cf_match_kind { CF_MATCH_NUMBER, CF_MATCH_PATTERN, CF_MATCH_NO_MATCH };

struct cf_match {
	const json_t *callflow;		/* borrowed from the candidates */
	enum cf_match_kind kind;
	char pattern[256];		/* the pattern that won */
	char captures[CF_LOOKUP_CAPTURES][CF_NUMBER_MAX];	/* group 1.. (0 is not kept) */
	unsigned n_captures;
};

/* Picks among candidate callflow documents (a JSON array): a callflow whose `numbers` holds the
 * number (compared normalised), else the pattern with the longest match (ties: the longer
 * pattern, then the earlier candidate), matched against the normalised number and its
 * "+"-prefixed form, else a callflow with "no_match" in `numbers`. Bad patterns are skipped.
 * -ENOENT when nothing fits. */
int cf_lookup_choose(const json_t *candidates, const char *normalized, struct cf_match *m);

#endif
