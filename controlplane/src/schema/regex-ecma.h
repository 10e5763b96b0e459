/* Internal to the validator: ECMA-262 style patterns run on POSIX extended regular expressions.
 *
 * JSON Schema patterns are ECMA-262 regexes; we translate the common subset to POSIX ERE and
 * compile with regcomp(REG_EXTENDED | REG_NOSUB). Supported: literals, ., [], [^], anchors,
 * groups, alternation, *, +, ?, {m,n}, and the escapes \d \D \w \W \s \S (also inside
 * brackets), \t \n \r \f \v, \/ and escaped punctuation. Not supported (the pattern is refused
 * as invalid): lazy quantifiers (*?), lookaround ((?=), (?!)), non-capturing groups ((?:)),
 * backreferences, \b, \uXXXX, stacked quantifiers (a**), bounds over 255 and patterns over
 * 1024 bytes (they cost glibc exponential memory). Matching is byte-wise in the C locale, so "." matches one byte of
 * a multi-byte UTF-8 character, not a whole code point.
 *
 * Return convention: 0 or a negative errno.
 */
#ifndef BUGLE_JSCHEMA_REGEX_ECMA_H
#define BUGLE_JSCHEMA_REGEX_ECMA_H

#include <regex.h>
#include <stddef.h>

/* Compiles an ECMA-262 style pattern; -EINVAL for what we cannot translate or compile. */
int jschema_regex_compile(regex_t *re, const char *pattern);

/* Patterns compiled once, looked up by their source text. */
struct jschema_regex_cache {
	char **sources;
	regex_t *compiled;
	size_t count, cap;
};

void jschema_regex_cache_release(struct jschema_regex_cache *c);
const regex_t *jschema_regex_cache_find(const struct jschema_regex_cache *c, const char *pattern);
/* Compiles and keeps pattern (no-op if present); *out receives the compiled form, valid until
 * the next add to the same cache. */
int jschema_regex_cache_add(struct jschema_regex_cache *c, const char *pattern,
			    const regex_t **out);

#endif
