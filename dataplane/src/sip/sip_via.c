/* Via values: sent-protocol, sent-by and the params a proxy needs (branch, received, rport). */
#include <errno.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"

static int parse_host_port(const char **pp, const char *end, struct sip_via *v)
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
		v->host_ipv6 = 1;
	} else {
		p = sip_lex_span(p, end, SIP_CC_HOST);
		if (p == h)
			return -EBADMSG;
	}
	v->host = sip_str_mk(h, p);
	const char *q = sip_lex_ws(p, end);
	if (q < end && *q == ':') {
		uint64_t port;
		q = sip_lex_ws(q + 1, end);
		if (sip_lex_uint(&q, end, 65535, &port) < 0 || port == 0)
			return -EBADMSG;
		v->port = (uint16_t)port;
		p = q;
	}
	*pp = p;
	return 0;
}

static int parse_sent_protocol(const char **pp, const char *end, struct sip_via *v)
{
	const char *p = *pp;

	/* Fast path for what every peer writes: "SIP/2.0/" then the transport. */
	if (end - p > 8 && memcmp(p, "SIP/2.0/", 8) == 0) {
		v->protocol = sip_str_mk(p, p + 3);
		v->version = sip_str_mk(p + 4, p + 7);
		p = sip_lex_ws(p + 8, end);
		if (sip_lex_token(&p, end, &v->transport) < 0)
			return -EBADMSG;
		*pp = p;
		return 0;
	}

	if (sip_lex_token(&p, end, &v->protocol) < 0)
		return -EBADMSG;
	p = sip_lex_ws(p, end);
	if (p >= end || *p != '/')
		return -EBADMSG;
	p = sip_lex_ws(p + 1, end);
	if (sip_lex_token(&p, end, &v->version) < 0)
		return -EBADMSG;
	p = sip_lex_ws(p, end);
	if (p >= end || *p != '/')
		return -EBADMSG;
	p = sip_lex_ws(p + 1, end);
	if (sip_lex_token(&p, end, &v->transport) < 0)
		return -EBADMSG;
	*pp = p;
	return 0;
}

static int parse_params(const char **pp, const char *end, struct sip_via *v)
{
	const char *p = sip_lex_ws(*pp, end), *last = *pp, *first = NULL;
	struct sip_param prm;

	while (p < end && *p == ';') {
		p++;
		if (!first)
			first = sip_lex_ws(p, end);
		if (sip_lex_param(&p, end, &prm) < 0)
			return -EBADMSG; /* also catches empty params such as ";;" */
		if (SIP_TOK_EQ(prm.name, "branch")) {
			v->branch = prm.value;
			v->has_branch = 1;
		} else if (SIP_TOK_EQ(prm.name, "received")) {
			v->received = prm.value;
			v->has_received = 1;
		} else if (SIP_TOK_EQ(prm.name, "rport")) {
			v->rport = prm.value;
			v->rport_name = prm.name;
			v->has_rport = 1;
		}
		last = p;
		p = sip_lex_ws(p, end);
	}
	v->params = first ? sip_str_mk(first, last) : (struct sip_str){ last, 0 };
	*pp = last;
	return 0;
}

int sip_via_parse(const struct sip_str *value, uint8_t hdr, struct sip_via *out, uint32_t max,
		  uint32_t *n)
{
	const char *p = value->s, *end = value->s + value->len;

	for (;;) {
		p = sip_lex_ws(p, end);
		if (p >= end)
			return -EBADMSG; /* empty value, e.g. a trailing comma */
		if (*n >= max)
			return -E2BIG;
		struct sip_via *v = &out[*n];
		/* Only what a value may lack is cleared: the parse below sets whole, protocol,
		 * version, transport, host and params of every value it accepts. */
		v->branch = v->received = v->rport = v->rport_name = (struct sip_str){ NULL, 0 };
		v->port = 0;
		v->has_branch = v->has_received = v->has_rport = v->host_ipv6 = 0;
		v->hdr = hdr;
		const char *start = p;
		if (parse_sent_protocol(&p, end, v) < 0)
			return -EBADMSG;
		const char *q = sip_lex_ws(p, end);
		if (q == p)
			return -EBADMSG; /* LWS between sent-protocol and sent-by is required */
		p = q;
		if (parse_host_port(&p, end, v) < 0 || parse_params(&p, end, v) < 0)
			return -EBADMSG;
		v->whole = sip_str_mk(start, p);
		(*n)++;
		p = sip_lex_ws(p, end);
		if (p == end)
			return 0;
		if (*p != ',')
			return -EBADMSG;
		p++;
	}
}
