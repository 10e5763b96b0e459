/* Lexical helpers shared by the SIP value parsers (internal). Scanners take a cursor and the end
 * of the slice; they return 0 or -EBADMSG and advance the cursor only on success. */
#ifndef BUGLE_SIP_LEX_H
#define BUGLE_SIP_LEX_H

#include <errno.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "sip-t.h"
#include "sip_chars.h"

/* Inside an indexed header value CR and LF only occur as part of a fold, so they count as
 * whitespace here. */
static inline const char *sip_lex_ws(const char *p, const char *end)
{
	/* Most calls find no whitespace at all, and every whitespace byte is at most ' ': one
	 * compare settles them without the table. */
	if (__builtin_expect(p >= end || (unsigned char)*p > ' ', 1))
		return p;
	while (p < end && sip_is((unsigned char)*p, SIP_CC_WS))
		p++;
	return p;
}

/* Classes that hold every letter, digit, '-' and '.': the bytes of host names, tags, branches
 * and Call-IDs, which the sixteen-byte path below accepts without the table. */
#define SIP_CC_HAS_ALNUM_DASH_DOT                                                                 \
	(SIP_CC_TOKEN | SIP_CC_HOST | SIP_CC_USER | SIP_CC_PASS | SIP_CC_PARAM | SIP_CC_HNV |     \
	 SIP_CC_WORD | SIP_CC_SCHEME | SIP_CC_URIC | SIP_CC_PARAMS | SIP_CC_HEADERS |              \
	 SIP_CC_PVALUE)

#ifdef __SSE2__
/* Bit set for each of the sixteen bytes at p that is a letter, a digit, '-' or '.'. */
static inline unsigned sip_lex_alnum_dash_dot16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed compares: bytes 0x80..0xff are negative and fall outside both ranges. */
	__m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
				      _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
	/* '-', '.', '/' and the digits are 0x2d..0x39: take the range, drop the '/'. */
	__m128i dd = _mm_andnot_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('/')),
				      _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('-' - 1)),
						    _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1))));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(alpha, dd));
}
#endif

/* The end of the run of bytes in cls from p: four bytes a step, one bounds check each. For
 * the classes of SIP_CC_HAS_ALNUM_DASH_DOT a run longer than four bytes (a host, a branch, a
 * Call-ID) goes on sixteen bytes a step, the table deciding only the other bytes. */
static inline __attribute__((always_inline)) const char *sip_lex_span(const char *p,
								  const char *end, unsigned cls)
{
	const unsigned char *u = (const unsigned char *)p;

	for (int step = 0; end - (const char *)u >= 4; step++) {
		if (!(sip_cc[u[0]] & cls))
			return (const char *)u;
		if (!(sip_cc[u[1]] & cls))
			return (const char *)u + 1;
		if (!(sip_cc[u[2]] & cls))
			return (const char *)u + 2;
		if (!(sip_cc[u[3]] & cls))
			return (const char *)u + 3;
		u += 4;
#ifdef __SSE2__
		if (step == 0 && cls != 0 && (cls & ~(unsigned)SIP_CC_HAS_ALNUM_DASH_DOT) == 0) {
			while (end - (const char *)u >= 16) {
				unsigned ok = sip_lex_alnum_dash_dot16((const char *)u);
				if (ok == 0xffff) {
					u += 16;
					continue;
				}
				u += __builtin_ctz(~ok);
				if (!(sip_cc[*u] & cls))
					return (const char *)u;
				u++; /* a class byte outside the fast set, e.g. '!' in a token */
			}
			/* The last bytes: one load overlapping what is already checked. */
			const char *t = end - 16;
			if ((const char *)u < end && t >= p) {
				unsigned ok = sip_lex_alnum_dash_dot16(t) |
					      ((1u << ((const char *)u - t)) - 1);
				if (ok == 0xffff)
					return end;
				u = (const unsigned char *)t + __builtin_ctz(~ok);
			}
		}
#endif
	}
	while ((const char *)u < end && (sip_cc[*u] & cls))
		u++;
	return (const char *)u;
}

static inline struct sip_str sip_str_mk(const char *a, const char *b)
{
	struct sip_str r = { a, (uint32_t)(b - a) };
	return r;
}

/* sip_lex_span(p, end, SIP_CC_URIC) sixteen bytes at a time where SSE2 exists (every x86-64):
 * URIs are the longest runs the parsers scan. URIC is 0x21..0x7e without '"', '<' and '>'. */
#ifdef __SSE2__
/* Bit set for each of the sixteen bytes at p that is URIC. */
static inline unsigned sip_lex_uric16(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	/* Signed compares: bytes 0x80..0xff are negative, so they fail "> 0x20". */
	__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x20)),
				   _mm_cmplt_epi8(v, _mm_set1_epi8(0x7f)));
	__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
				   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
						_mm_cmpeq_epi8(v, _mm_set1_epi8('>'))));
	return (unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok));
}
#endif

static inline const char *sip_lex_span_uric(const char *p, const char *end)
{
#ifdef __SSE2__
	const char *start = p;

	while (end - p >= 16) {
		unsigned mask = sip_lex_uric16(p);
		if (mask != 0xffff)
			return p + __builtin_ctz(~mask);
		p += 16;
	}
	/* The last bytes: one load overlapping what is already checked. */
	if (p < end && end - start >= 16) {
		const char *t = end - 16;
		unsigned mask = sip_lex_uric16(t) | ((1u << (p - t)) - 1);
		return mask == 0xffff ? end : t + __builtin_ctz(~mask);
	}
#endif
	return sip_lex_span(p, end, SIP_CC_URIC);
}

/* The first byte c in [p, end), or NULL: sixteen bytes a step where SSE2 exists, inline, as
 * the header index looks for a ':' and a LF on every line and a library call per search costs
 * more than the search. */
static inline const char *sip_lex_find(const char *p, const char *end, char c)
{
#ifdef __SSE2__
	const __m128i k = _mm_set1_epi8(c);

	const char *start = p;

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k));
		if (mask)
			return p + __builtin_ctz(mask);
		p += 16;
	}
	/* The last bytes: one load overlapping what is already searched. */
	if (p < end && end - start >= 16) {
		const char *t = end - 16;
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)t);
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) &
				~((1u << (p - t)) - 1);
		return mask ? t + __builtin_ctz(mask) : NULL;
	}
#endif
	for (; p < end; p++)
		if (*p == c)
			return p;
	return NULL;
}

/* sip_lex_find() for a byte likely tens of bytes away, such as the LF that ends a header
 * line: sixty-four bytes a step, so most lines end the loop on its first, well predicted test
 * instead of on a varying number of sixteen-byte steps. */
static inline const char *sip_lex_find_far(const char *p, const char *end, char c)
{
#ifdef __SSE2__
	const __m128i k = _mm_set1_epi8(c);

	while (end - p >= 64) {
		uint64_t m0 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)p), k));
		uint64_t m1 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), k));
		uint64_t m2 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), k));
		uint64_t m3 = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(
			_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), k));
		uint64_t mask = m0 | m1 << 16 | m2 << 32 | m3 << 48;
		if (mask)
			return p + __builtin_ctzll(mask);
		p += 64;
	}
#endif
	return sip_lex_find(p, end, c);
}

/* Case-insensitive compare of a token with a lower-case literal. Valid for tokens, whose
 * letters, digits and '-' are the only bytes that OR 0x20 onto a literal of that set. */
static inline int sip_tok_eq(const char *s, uint32_t len, const char *lit, uint32_t lit_len)
{
	uint64_t a, b;
	uint32_t i = 0;

	if (len != lit_len)
		return 0;
	/* Whole words: OR-ing 0x20 into every byte of a word is the same per byte. The last word
	 * may overlap the one before it, which compares some bytes twice but never reads out of
	 * either range. */
	if (len >= 8) {
		for (; i + 8 <= len; i += 8) {
			memcpy(&a, s + i, 8);
			memcpy(&b, lit + i, 8);
			if ((a | 0x2020202020202020ull) != b)
				return 0;
		}
		if (i == len)
			return 1;
		memcpy(&a, s + len - 8, 8);
		memcpy(&b, lit + len - 8, 8);
		return (a | 0x2020202020202020ull) == b;
	}
	if (len >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, lit, 4);
		if ((x | 0x20202020u) != y)
			return 0;
		memcpy(&x, s + len - 4, 4);
		memcpy(&y, lit + len - 4, 4);
		return (x | 0x20202020u) == y;
	}
	for (; i < len; i++)
		if (((unsigned char)s[i] | 0x20) != (unsigned char)lit[i])
			return 0;
	return 1;
}
/* ASCII case-insensitive equality of two byte ranges; NUL bytes are compared as data. */
static inline int sip_case_eq(const char *a, uint32_t alen, const char *b, uint32_t blen)
{
	if (alen != blen)
		return 0;
	for (uint32_t i = 0; i < alen; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'A' && x <= 'Z')
			x |= 0x20;
		if (y >= 'A' && y <= 'Z')
			y |= 0x20;
		if (x != y)
			return 0;
	}
	return 1;
}

#define SIP_TOK_EQ(str, lit) sip_tok_eq((str).s, (str).len, lit, sizeof(lit) - 1)

/* The scanners below are inline: they run per header value on the fast path. */

/* A token; fails when empty. */
static inline int sip_lex_token(const char **pp, const char *end, struct sip_str *out)
{
	const char *p = *pp, *q = sip_lex_span(p, end, SIP_CC_TOKEN);

	if (q == p)
		return -EBADMSG;
	*out = sip_str_mk(p, q);
	*pp = q;
	return 0;
}

/* A quoted-string starting at '"'; *out keeps the quotes. Quoted pairs may escape any byte
 * but CR and LF; unescaped bytes may be anything but '"' and '\\' (UTF-8 and NUL included). */
static inline int sip_lex_quoted(const char **pp, const char *end, struct sip_str *out)
{
	const char *p = *pp;

	if (p >= end || *p != '"')
		return -EBADMSG;
	for (const char *q = p + 1; q < end; q++) {
		if (*q == '"') {
			*out = sip_str_mk(p, q + 1);
			*pp = q + 1;
			return 0;
		}
		if (*q == '\\') {
			if (q + 1 >= end || q[1] == '\r' || q[1] == '\n')
				return -EBADMSG;
			q++;
		}
	}
	return -EBADMSG; /* unterminated */
}

/* One generic-param after its ';': SWS name [SWS "=" SWS (token / host / quoted-string)]. */
static inline int sip_lex_param(const char **pp, const char *end, struct sip_param *out)
{
	const char *p = sip_lex_ws(*pp, end);

	if (sip_lex_token(&p, end, &out->name) < 0)
		return -EBADMSG;
	out->value.s = p;
	out->value.len = 0;
	const char *q = sip_lex_ws(p, end);
	if (q < end && *q == '=') {
		q = sip_lex_ws(q + 1, end);
		if (q < end && *q == '"') {
			if (sip_lex_quoted(&q, end, &out->value) < 0)
				return -EBADMSG;
		} else {
			const char *v = q;
			q = sip_lex_span(q, end, SIP_CC_PVALUE);
			if (q == v)
				return -EBADMSG; /* "name=" with nothing */
			out->value = sip_str_mk(v, q);
		}
		p = q;
	}
	*pp = p;
	return 0;
}

/* Decimal digits into a 64-bit value; fails when empty, above max (max < 2^60). */
static inline int sip_lex_uint(const char **pp, const char *end, uint64_t max, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	unsigned d;

	if (p >= end || (d = (unsigned char)*p - (unsigned)'0') > 9)
		return -EBADMSG;
	/* The digit test is one unsigned compare; no table. */
	for (; p < end && (d = (unsigned char)*p - (unsigned)'0') <= 9; p++) {
		v = v * 10 + d;
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	*pp = p;
	return 0;
}

#endif
