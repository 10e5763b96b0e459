/* URI parsing over a slice (see sip_uri.h). */
#include "sip_uri.h"

#include <errno.h>
#include <string.h>

#include "sip_lex.h"

static int hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Every byte in cls, and each '%' starts a valid escape. */
static int check_chars(const char *p, const char *e, unsigned cls)
{
	for (; p < e; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%') {
			if (e - p < 3 || hexval((unsigned char)p[1]) < 0 ||
			    hexval((unsigned char)p[2]) < 0)
				return -EBADMSG;
			p += 2;
			continue;
		}
		if (!sip_is(c, cls))
			return -EBADMSG;
	}
	return 0;
}

static int check_ipv4(const char *p, const char *e)
{
	int dots = 0, digits = 0, val = 0;

	/* An IPv4 address ends with a digit; anything else is a name, not worth walking. */
	if (p < e && !sip_is((unsigned char)e[-1], SIP_CC_DIGIT))
		return 0;

	for (; p < e; p++) {
		if (*p == '.') {
			if (digits == 0)
				return 0;
			dots++;
			digits = val = 0;
		} else if (*p >= '0' && *p <= '9') {
			val = val * 10 + (*p - '0');
			if (++digits > 3 || val > 255)
				return 0;
		} else {
			return 0;
		}
	}
	return dots == 3 && digits > 0;
}

static int parse_hostport(const char **pp, const char *end, struct sip_uri *u)
{
	const char *p = *pp, *h = p;

	if (p < end && *p == '[') {
		const char *q = memchr(p, ']', (size_t)(end - p));
		if (!q || q == p + 1)
			return -EBADMSG;
		for (const char *c = p + 1; c < q; c++)
			if (!sip_is((unsigned char)*c, SIP_CC_HOST) && *c != ':')
				return -EBADMSG;
		p = q + 1;
		u->host_kind = SIP_HOST_IPV6;
	} else {
		p = sip_lex_span(p, end, SIP_CC_HOST);
		if (p == h || *h == '.' || *h == '-')
			return -EBADMSG;
		u->host_kind = check_ipv4(h, p) ? SIP_HOST_IPV4 : SIP_HOST_NAME;
	}
	u->host = sip_str_mk(h, p);
	if (p < end && *p == ':') {
		uint64_t port;
		p++;
		if (sip_lex_uint(&p, end, 65535, &port) < 0)
			return -EBADMSG;
		u->port = (uint16_t)port;
	}
	*pp = p;
	return 0;
}

static int parse_sip(const char *p, const char *end, struct sip_uri *u)
{
	/* '@' cannot appear in params or headers unescaped, so the first one ends userinfo. */
	const char *at = memchr(p, '@', (size_t)(end - p));

	if (at) {
		const char *colon = memchr(p, ':', (size_t)(at - p));
		const char *ue = colon ? colon : at;
		if (ue == p || check_chars(p, ue, SIP_CC_USER) < 0)
			return -EBADMSG;
		u->user = sip_str_mk(p, ue);
		if (colon) {
			if (check_chars(colon + 1, at, SIP_CC_PASS) < 0)
				return -EBADMSG;
			u->password = sip_str_mk(colon + 1, at);
		}
		p = at + 1;
	}
	if (parse_hostport(&p, end, u) < 0 || p > end)
		return -EBADMSG;
	const char *q = memchr(p, '?', (size_t)(end - p));
	const char *pe = q ? q : end;
	if (p < pe) {
		if (*p != ';' || check_chars(p + 1, pe, SIP_CC_PARAMS) < 0)
			return -EBADMSG;
		u->params = sip_str_mk(p + 1, pe);
	}
	if (q) {
		if (check_chars(q + 1, end, SIP_CC_HEADERS) < 0)
			return -EBADMSG;
		u->headers = sip_str_mk(q + 1, end);
	}
	return 0;
}

static int parse_tel(const char *p, const char *end, struct sip_uri *u)
{
	const char *semi = memchr(p, ';', (size_t)(end - p));
	const char *ne = semi ? semi : end;

	if (ne == p || check_chars(p, ne, SIP_CC_USER) < 0)
		return -EBADMSG;
	u->user = sip_str_mk(p, ne);
	if (semi) {
		if (check_chars(semi + 1, end, SIP_CC_PARAMS) < 0)
			return -EBADMSG;
		u->params = sip_str_mk(semi + 1, end);
	}
	return 0;
}

int sip_uri_parse(const char *s, uint32_t len, struct sip_uri *u)
{
	memset(u, 0, sizeof(*u));
	if (!s)
		return -EBADMSG;
	const char *p = s, *end = s + len;
	if (p >= end || !sip_is((unsigned char)*p, SIP_CC_ALPHA))
		return -EBADMSG;
	p = sip_lex_span(p, end, SIP_CC_SCHEME);
	if (p >= end || *p != ':')
		return -EBADMSG;
	u->scheme = sip_str_mk(s, p);
	p++;
	u->opaque = sip_str_mk(p, end);
	if (p == end)
		return -EBADMSG;
	if (SIP_TOK_EQ(u->scheme, "sip"))
		u->kind = SIP_SCHEME_SIP;
	else if (SIP_TOK_EQ(u->scheme, "sips"))
		u->kind = SIP_SCHEME_SIPS;
	else if (SIP_TOK_EQ(u->scheme, "tel"))
		u->kind = SIP_SCHEME_TEL;
	if (u->kind == SIP_SCHEME_TEL)
		return parse_tel(p, end, u);
	if (u->kind != SIP_SCHEME_OTHER)
		return parse_sip(p, end, u); /* checks every byte by the part it is in */
	for (const char *c = p; c < end; c++)
		if (!sip_is((unsigned char)*c, SIP_CC_URIC))
			return -EBADMSG;
	return 0;
}

int sip_uri_param(const struct sip_uri *uri, const char *name, struct sip_str *value)
{
	if (!uri->params.s)
		return -ENOENT; /* absent params are a NULL slice */
	const char *p = uri->params.s, *end = p + uri->params.len;
	size_t nlen = strlen(name);

	while (p < end) {
		const char *pe = memchr(p, ';', (size_t)(end - p));
		if (!pe)
			pe = end;
		const char *eq = memchr(p, '=', (size_t)(pe - p));
		const char *ne = eq ? eq : pe;
		if (sip_case_eq(p, (uint32_t)(ne - p), name, (uint32_t)nlen)) {
			*value = eq ? sip_str_mk(eq + 1, pe) : sip_str_mk(pe, pe);
			return 0;
		}
		p = pe + 1;
	}
	return -ENOENT;
}

int sip_unescape(const struct sip_str *in, char *out, size_t cap, size_t *out_len)
{
	size_t n = 0;

	for (uint32_t i = 0; i < in->len; i++) {
		unsigned char c = (unsigned char)in->s[i];
		if (c == '%') {
			int hi, lo;
			if (in->len - i < 3 || (hi = hexval((unsigned char)in->s[i + 1])) < 0 ||
			    (lo = hexval((unsigned char)in->s[i + 2])) < 0)
				return -EBADMSG;
			c = (unsigned char)(hi << 4 | lo);
			i += 2;
		}
		if (n >= cap)
			return -ENOSPC;
		out[n++] = (char)c;
	}
	*out_len = n;
	return 0;
}
