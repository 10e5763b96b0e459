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
	while (p < end && sip_is((unsigned char)*p, SIP_CC_WS))
		p++;
	return p;
}

/* Unrolled by four: one bounds check per four bytes on the long runs (URIs, Call-IDs). */
static inline const char *sip_lex_span(const char *p, const char *end, unsigned cls)
{
	const unsigned char *u = (const unsigned char *)p;

	while (end - (const char *)u >= 4) {
		if (!(sip_cc[u[0]] & cls))
			return (const char *)u;
		if (!(sip_cc[u[1]] & cls))
			return (const char *)u + 1;
		if (!(sip_cc[u[2]] & cls))
			return (const char *)u + 2;
		if (!(sip_cc[u[3]] & cls))
			return (const char *)u + 3;
		u += 4;
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
static inline const char *sip_lex_span_uric(const char *p, const char *end)
{
#ifdef __SSE2__
	const __m128i lo = _mm_set1_epi8(0x20), hi = _mm_set1_epi8(0x7f);
	const __m128i q = _mm_set1_epi8('"'), lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>');

	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
		/* Signed compares: bytes 0x80..0xff are negative, so they fail "> 0x20". */
		__m128i ok = _mm_and_si128(_mm_cmpgt_epi8(v, lo), _mm_cmplt_epi8(v, hi));
		__m128i bad = _mm_or_si128(_mm_cmpeq_epi8(v, q),
					   _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)));
		unsigned mask = (unsigned)_mm_movemask_epi8(_mm_andnot_si128(bad, ok));
		if (mask != 0xffff)
			return p + __builtin_ctz(~mask);
		p += 16;
	}
#endif
	return sip_lex_span(p, end, SIP_CC_URIC);
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

	if (p >= end || !sip_is((unsigned char)*p, SIP_CC_DIGIT))
		return -EBADMSG;
	for (; p < end && sip_is((unsigned char)*p, SIP_CC_DIGIT); p++) {
		v = v * 10 + (uint64_t)(*p - '0');
		if (v > max)
			return -ERANGE;
	}
	*out = v;
	*pp = p;
	return 0;
}

#endif
