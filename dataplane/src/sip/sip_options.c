/* Option-tag lists (Require, Proxy-Require, Supported, Unsupported) and header-param lookup. */
#include <errno.h>

#include "sip_hdr.h"
#include "sip_lex.h"

int sip_options_parse(const struct sip_str *value, struct sip_options *out)
{
	const char *p = value->s, *end = value->s + value->len;

	/* An empty Supported is legal (RFC 3261 20.37); Require needs a tag, the caller knows. */
	if (sip_lex_ws(p, end) == end)
		return 0;
	for (;;) {
		struct sip_str tag;
		p = sip_lex_ws(p, end);
		if (sip_lex_token(&p, end, &tag) < 0)
			return -EBADMSG;
		if (out->count >= SIP_MAX_OPTIONS)
			return -E2BIG;
		out->tag[out->count++] = tag;
		p = sip_lex_ws(p, end);
		if (p == end)
			return 0;
		if (*p != ',')
			return -EBADMSG;
		p++;
	}
}

int sip_hdr_param(const struct sip_str *params, const char *name, struct sip_str *value)
{
	const char *p = params->s, *end = params->s + params->len;
	uint32_t nlen = 0;

	while (name[nlen])
		nlen++;
	if (params->len == 0)
		return -ENOENT;
	for (;;) {
		struct sip_param prm;
		if (sip_lex_param(&p, end, &prm) < 0)
			return -EBADMSG;
		if (sip_case_eq(prm.name.s, prm.name.len, name, nlen)) {
			*value = prm.value;
			return 0;
		}
		p = sip_lex_ws(p, end);
		if (p == end)
			return -ENOENT;
		if (*p != ';')
			return -EBADMSG;
		p++;
	}
}
