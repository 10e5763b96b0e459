/* name-addr / addr-spec values with header params (From, To, Contact, Route, Record-Route). */
#include <errno.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"

/* A URI inside a header: a scheme, then only visible characters (no LWS: "< sip:x >" is bad). */
static int check_uri_text(const char *s, const char *e)
{
	const char *p = s;

	if (p >= e || !sip_is((unsigned char)*p, SIP_CC_ALPHA))
		return -EBADMSG;
	p = sip_lex_span(p, e, SIP_CC_SCHEME);
	if (p >= e || *p != ':')
		return -EBADMSG;
	return p + 1 < e && sip_lex_span_uric(p + 1, e) == e ? 0 : -EBADMSG;
}

/* The scheme of a URI whose characters are already known to be visible. */
static int check_scheme(const char *s, const char *e)
{
	if (s >= e || !sip_is((unsigned char)*s, SIP_CC_ALPHA))
		return -EBADMSG;
	const char *p = sip_lex_span(s, e, SIP_CC_SCHEME);
	return p < e && *p == ':' && p + 1 < e ? 0 : -EBADMSG;
}

static int parse_display_and_uri(const char **pp, const char *end, bool multi, struct sip_addr *a)
{
	const char *p = *pp;

	if (*p == '"') {
		if (sip_lex_quoted(&p, end, &a->display) < 0)
			return -EBADMSG;
		p = sip_lex_ws(p, end);
		if (p >= end || *p != '<')
			return -EBADMSG;
	} else if (*p != '<') {
		/* *(token LWS) then '<'; a token glued to '<' is a known spec bug, accepted. */
		const char *q = p;
		while (q < end && sip_is((unsigned char)*q, SIP_CC_TOKEN | SIP_CC_WS))
			q++;
		if (q < end && *q == '<') {
			const char *de = q;
			while (de > p && sip_is((unsigned char)de[-1], SIP_CC_WS))
				de--;
			a->display = sip_str_mk(p, de);
			p = q;
		}
	}
	if (p < end && *p == '<') {
		/* One pass: visible URI characters up to the '>' ('>' itself is not one). */
		const char *u = p + 1, *q = sip_lex_span_uric(u, end);
		if (q >= end || *q != '>' || check_scheme(u, q) < 0)
			return -EBADMSG;
		a->uri = sip_str_mk(u, q);
		a->bracketed = 1;
		*pp = q + 1;
		return 0;
	}
	/* addr-spec: a URI with ',', ';' or '?' needs the name-addr form, so those end it. */
	const char *u = p;
	while (p < end && !sip_is((unsigned char)*p, SIP_CC_WS) && *p != ';' && *p != '?' &&
	       !(multi && *p == ','))
		p++;
	if ((p < end && *p == '?') || check_uri_text(u, p) < 0)
		return -EBADMSG;
	a->uri = sip_str_mk(u, p);
	*pp = p;
	return 0;
}

static int parse_params(const char **pp, const char *end, struct sip_addr *a)
{
	const char *p = sip_lex_ws(*pp, end), *last = *pp, *first = NULL;
	struct sip_param prm;

	while (p < end && *p == ';') {
		p++;
		if (!first)
			first = sip_lex_ws(p, end);
		if (sip_lex_param(&p, end, &prm) < 0)
			return -EBADMSG;
		if (SIP_TOK_EQ(prm.name, "tag")) {
			if (prm.value.len == 0)
				return -EBADMSG;
			a->tag = prm.value;
			a->has_tag = 1;
		} else if (SIP_TOK_EQ(prm.name, "expires")) {
			a->expires = prm.value;
		} else if (SIP_TOK_EQ(prm.name, "q")) {
			a->q = prm.value;
		}
		last = p;
		p = sip_lex_ws(p, end);
	}
	a->params = first ? sip_str_mk(first, last) : (struct sip_str){ last, 0 };
	*pp = last;
	return 0;
}

int sip_addr_parse(const struct sip_str *value, uint8_t hdr, bool multi, struct sip_addr *out,
		   uint32_t max, uint32_t *n)
{
	const char *p = value->s, *end = value->s + value->len;

	for (;;) {
		p = sip_lex_ws(p, end);
		if (p >= end)
			return -EBADMSG;
		if (*n >= max)
			return -E2BIG;
		struct sip_addr *a = &out[*n];
		/* Only what a value may lack is cleared: the parse below sets whole, uri and
		 * params of every value it accepts (a memset of the struct costs more). */
		a->display = a->tag = a->expires = a->q = (struct sip_str){ NULL, 0 };
		a->bracketed = a->has_tag = a->star = 0;
		a->hdr = hdr;
		const char *start = p;
		if (multi && *p == '*') {
			/* "Contact: *" stands alone (RFC 3261 10.2.2). */
			if (*n != 0 || sip_lex_ws(p + 1, end) != end)
				return -EBADMSG;
			memset(a, 0, sizeof(*a));
			a->hdr = hdr;
			a->star = 1;
			a->whole = sip_str_mk(p, p + 1);
			(*n)++;
			return 0;
		}
		if (parse_display_and_uri(&p, end, multi, a) < 0 || parse_params(&p, end, a) < 0)
			return -EBADMSG;
		a->whole = sip_str_mk(start, p);
		(*n)++;
		p = sip_lex_ws(p, end);
		if (p == end)
			return 0;
		if (!multi || *p != ',')
			return -EBADMSG;
		p++;
	}
}
