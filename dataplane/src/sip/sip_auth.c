/* Authorization and Proxy-Authorization: the scheme and its auth-params (RFC 3261 25.1,
 * credentials = ("Digest" LWS digest-response) / other-response). */
#include <errno.h>

#include "sip_hdr.h"
#include "sip_lex.h"

/* token68 (RFC 7235) as some schemes send it: base64-like, ending in '='s. */
static int is_token68(unsigned char c)
{
	return sip_is(c, SIP_CC_ALPHA | SIP_CC_DIGIT) || c == '-' || c == '.' || c == '_' ||
	       c == '~' || c == '+' || c == '/';
}

static int parse_token68(const char *p, const char *end, struct sip_auth *out)
{
	const char *q = p;

	while (q < end && is_token68((unsigned char)*q))
		q++;
	if (q == p)
		return -EBADMSG;
	while (q < end && *q == '=')
		q++;
	if (sip_lex_ws(q, end) != end)
		return -EBADMSG;
	out->token68 = sip_str_mk(p, q);
	return 0;
}

int sip_auth_parse(const struct sip_str *value, struct sip_auth *out)
{
	const char *p = value->s, *end = value->s + value->len;

	out->n_params = 0;
	out->token68 = (struct sip_str){ end, 0 };
	if (sip_lex_token(&p, end, &out->scheme) < 0)
		return -EBADMSG;
	const char *q = sip_lex_ws(p, end);
	if (q == end)
		return 0;
	if (q == p)
		return -EBADMSG; /* LWS after the scheme */
	p = q;

	/* auth-param = token LWS "=" LWS (token / quoted-string), comma-separated. */
	q = sip_lex_span(p, end, SIP_CC_TOKEN);
	const char *eq = sip_lex_ws(q, end);
	if (q == p || eq >= end || *eq != '=' ||
	    (eq + 1 < end && eq[1] == '=') || sip_lex_ws(eq + 1, end) == end)
		return parse_token68(p, end, out);
	for (;;) {
		if (out->n_params >= SIP_MAX_AUTH_PARAMS)
			return -E2BIG;
		struct sip_param *prm = &out->params[out->n_params];
		if (sip_lex_token(&p, end, &prm->name) < 0)
			return -EBADMSG;
		p = sip_lex_ws(p, end);
		if (p >= end || *p != '=')
			return -EBADMSG;
		p = sip_lex_ws(p + 1, end);
		if (p < end && *p == '"') {
			if (sip_lex_quoted(&p, end, &prm->value) < 0)
				return -EBADMSG;
		} else if (sip_lex_token(&p, end, &prm->value) < 0) {
			return -EBADMSG;
		}
		out->n_params++;
		p = sip_lex_ws(p, end);
		if (p == end)
			return 0;
		if (*p != ',')
			return -EBADMSG;
		p = sip_lex_ws(p + 1, end);
	}
}
