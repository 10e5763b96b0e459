/* ECMA-262 style patterns translated to POSIX ERE (see regex-ecma.h for the subset). */
#include "regex-ecma.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* glibc compiles counted repetitions by copying the repeated part, so large bounds and long
 * patterns cost memory fast; schemas need neither. */
#define QUANT_MAX 255
#define PATTERN_MAX 1024

struct out_buf {
	char *s;
	size_t len, cap;
};

static int out_put(struct out_buf *o, const char *s)
{
	size_t n = strlen(s);

	if (o->len + n + 1 > o->cap) {
		size_t cap = (o->cap ? o->cap * 2 : 64) + n;
		char *p = realloc(o->s, cap);

		if (!p)
			return -ENOMEM;
		o->s = p;
		o->cap = cap;
	}
	memcpy(o->s + o->len, s, n + 1);
	o->len += n;
	return 0;
}

static int out_char(struct out_buf *o, char c)
{
	char s[2] = { c, 0 };

	return out_put(o, s);
}

/* Class escapes as POSIX bracket contents, usable both inside and outside a bracket. */
static const char *class_body(char e)
{
	switch (e) {
	case 'd': return "0-9";
	case 'w': return "A-Za-z0-9_";
	case 's': return "[:space:]";
	default: return NULL;
	}
}

static const char *control_escape(char e)
{
	switch (e) {
	case 't': return "\t";
	case 'n': return "\n";
	case 'r': return "\r";
	case 'f': return "\f";
	case 'v': return "\v";
	default: return NULL;
	}
}

/* Inside [...]: ECMA allows \d etc. and escaped ']' or '\'; POSIX brackets have no escapes, so
 * ']' must come first and '\' is literal. Negated escapes (\D) inside brackets are refused. */
static int translate_bracket(struct out_buf *o, const char **pp)
{
	const char *p = *pp + 1;
	bool has_rbracket = false, has_caret = false, has_dash = false;
	struct out_buf body = { 0 };
	int rc = 0;

	bool negate = (*p == '^');
	if (negate)
		p++;
	for (; *p && *p != ']'; p++) {
		if (*p == '\\') {
			p++;
			if (!*p) {
				rc = -EINVAL;
				break;
			}
			const char *cls = class_body(*p), *ctl = control_escape(*p);
			if (cls)
				rc = out_put(&body, cls);
			else if (ctl)
				rc = out_put(&body, ctl);
			else if (*p == ']')
				has_rbracket = true;
			else if (*p == '^')
				has_caret = true;
			else if (*p == '-')
				has_dash = true;
			else if (strchr("DWSbBu", *p))
				rc = -EINVAL;
			else
				rc = out_char(&body, *p);
		} else if (*p == '[' && p[1] == ':') {
			rc = -EINVAL; /* POSIX classes are not ECMA syntax */
		} else {
			rc = out_char(&body, *p);
		}
		if (rc)
			break;
	}
	if (!rc && *p != ']')
		rc = -EINVAL;
	if (!rc && !has_rbracket && !has_caret && !has_dash && body.len == 0)
		rc = -EINVAL; /* [] and [^] have no POSIX form */
	if (!rc) {
		rc = out_put(o, negate ? "[^" : "[");
		if (!rc && has_rbracket)
			rc = out_char(o, ']');
		if (!rc && body.len)
			rc = out_put(o, body.s);
		if (!rc && has_caret)
			rc = out_char(o, '^');
		if (!rc && has_dash)
			rc = out_char(o, '-');
		if (!rc)
			rc = out_char(o, ']');
	}
	free(body.s);
	*pp = p;
	return rc;
}

/* Reads "{m}", "{m,}" or "{m,n}" at p; returns its length, 0 when it is not a quantifier (ECMA
 * then takes '{' literally) or -1 when a bound is over QUANT_MAX. */
static int brace_quantifier(const char *p)
{
	const char *q = p + 1;
	long lo = 0, hi = -1;

	if (*q < '0' || *q > '9')
		return 0;
	while (*q >= '0' && *q <= '9' && lo <= QUANT_MAX)
		lo = lo * 10 + (*q++ - '0');
	if (*q == ',') {
		q++;
		if (*q >= '0' && *q <= '9') {
			hi = 0;
			while (*q >= '0' && *q <= '9' && hi <= QUANT_MAX)
				hi = hi * 10 + (*q++ - '0');
		}
	}
	if (*q != '}')
		return (lo > QUANT_MAX || hi > QUANT_MAX) ? -1 : 0;
	if (lo > QUANT_MAX || hi > QUANT_MAX)
		return -1;
	return (int)(q - p + 1);
}

static int translate(struct out_buf *o, const char *p)
{
	int rc = 0;
	/* Something a quantifier may follow was just written (not a quantifier, '(', '|', '^'). */
	bool repeatable = false;

	for (; !rc && *p; p++) { /* rc first: a failed bracket leaves p on the NUL */
		bool was_repeatable = repeatable;

		repeatable = true;
		if (*p == '[') {
			rc = translate_bracket(o, &p);
		} else if (*p == '\\') {
			p++;
			if (!*p)
				return -EINVAL;
			const char *cls = class_body((char)(*p | 0x20)), *ctl = control_escape(*p);
			if (cls && (*p == 'd' || *p == 'w' || *p == 's')) {
				rc = out_char(o, '[');
				rc = rc ? rc : out_put(o, cls);
				rc = rc ? rc : out_char(o, ']');
			} else if (cls) {
				rc = out_put(o, "[^");
				rc = rc ? rc : out_put(o, cls);
				rc = rc ? rc : out_char(o, ']');
			} else if (ctl) {
				rc = out_put(o, ctl);
			} else if ((*p >= '0' && *p <= '9') || strchr("bBucxk", *p)) {
				return -EINVAL; /* backreferences, word boundaries, code escapes */
			} else if (strchr(".[]()*+?{}|^$\\", *p)) {
				rc = out_char(o, '\\');
				rc = rc ? rc : out_char(o, *p);
			} else {
				rc = out_char(o, *p); /* \/ \- \: ... are the character itself */
			}
		} else if (*p == '(' && p[1] == '?') {
			return -EINVAL; /* lookaround and non-capturing groups */
		} else if (*p == '*' || *p == '+' || *p == '?' || *p == '{') {
			int len = *p == '{' ? brace_quantifier(p) : 1;

			if (len < 0)
				return -EINVAL;
			if (len == 0) { /* a literal '{' */
				rc = out_put(o, "\\{");
				continue;
			}
			/* ECMA refuses "nothing to repeat" and stacked quantifiers ("a**"); glibc
			 * accepts some of them with exponential memory, so they stop here. */
			if (!was_repeatable)
				return -EINVAL;
			for (int k = 0; k < len && !rc; k++)
				rc = out_char(o, p[k]);
			p += len - 1;
			repeatable = false;
		} else {
			repeatable = !(*p == '(' || *p == '|' || *p == '^');
			if (*p == '}')
				rc = out_put(o, "\\}");
			else
				rc = out_char(o, *p);
		}
	}
	return rc;
}

int jschema_regex_compile(regex_t *re, const char *pattern)
{
	struct out_buf o = { 0 };
	int rc = strlen(pattern) > PATTERN_MAX ? -EINVAL : out_put(&o, "");

	if (!rc)
		rc = translate(&o, pattern);
	if (!rc && regcomp(re, o.s, REG_EXTENDED | REG_NOSUB) != 0)
		rc = -EINVAL;
	free(o.s);
	return rc;
}

void jschema_regex_cache_release(struct jschema_regex_cache *c)
{
	for (size_t i = 0; i < c->count; i++) {
		regfree(&c->compiled[i]);
		free(c->sources[i]);
	}
	free(c->sources);
	free(c->compiled);
	*c = (struct jschema_regex_cache){ 0 };
}

/* Sorted by source text so lookups are a binary search; returns the slot for pattern. */
static size_t cache_slot(const struct jschema_regex_cache *c, const char *pattern, bool *found)
{
	size_t lo = 0, hi = c->count;

	*found = false;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = strcmp(c->sources[mid], pattern);

		if (cmp == 0) {
			*found = true;
			return mid;
		}
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const regex_t *jschema_regex_cache_find(const struct jschema_regex_cache *c, const char *pattern)
{
	bool found;
	size_t i = cache_slot(c, pattern, &found);

	return found ? &c->compiled[i] : NULL;
}

int jschema_regex_cache_add(struct jschema_regex_cache *c, const char *pattern,
			    const regex_t **out)
{
	bool found;
	size_t i = cache_slot(c, pattern, &found);
	regex_t re;
	int rc;

	if (found) {
		*out = &c->compiled[i];
		return 0;
	}
	if (c->count == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **s = realloc(c->sources, cap * sizeof(*s));

		if (!s)
			return -ENOMEM;
		c->sources = s;
		regex_t *r = realloc(c->compiled, cap * sizeof(*r));
		if (!r)
			return -ENOMEM;
		c->compiled = r;
		c->cap = cap;
	}
	char *copy = strdup(pattern);
	if (!copy)
		return -ENOMEM;
	rc = jschema_regex_compile(&re, pattern);
	if (rc) {
		free(copy);
		return rc;
	}
	/* regex_t is moved by value; glibc's regex_t holds only pointers to its buffers. */
	memmove(&c->sources[i + 1], &c->sources[i], (c->count - i) * sizeof(*c->sources));
	memmove(&c->compiled[i + 1], &c->compiled[i], (c->count - i) * sizeof(*c->compiled));
	c->sources[i] = copy;
	c->compiled[i] = re;
	c->count++;
	*out = &c->compiled[i];
	return 0;
}
