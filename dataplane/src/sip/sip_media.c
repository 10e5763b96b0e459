/* Media types: Content-Type (RFC 3261 20.15) and the media ranges of Accept (20.1), both
 * type "/" subtype *(";" param). */
#include <errno.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"

static int range_covers(const struct sip_str *t, const struct sip_str *st, const char *type,
			const char *subtype)
{
	if (t->len == 1 && t->s[0] == '*')
		return st->len == 1 && st->s[0] == '*';
	if (!sip_tok_eq(t->s, t->len, type, (uint32_t)strlen(type)))
		return 0;
	return (st->len == 1 && st->s[0] == '*') ||
	       sip_tok_eq(st->s, st->len, subtype, (uint32_t)strlen(subtype));
}

/* type SWS "/" SWS subtype, then params; *pp ends after the last param. */
static int media_type(const char **pp, const char *end, struct sip_media_type *mt)
{
	const char *p = sip_lex_ws(*pp, end);
	struct sip_param prm;

	if (sip_lex_token(&p, end, &mt->type) < 0)
		return -EBADMSG;
	p = sip_lex_ws(p, end);
	if (p >= end || *p != '/')
		return -EBADMSG;
	p = sip_lex_ws(p + 1, end);
	if (sip_lex_token(&p, end, &mt->subtype) < 0)
		return -EBADMSG;
	const char *last = p, *first = NULL;
	p = sip_lex_ws(p, end);
	while (p < end && *p == ';') {
		p++;
		if (!first)
			first = sip_lex_ws(p, end);
		if (sip_lex_param(&p, end, &prm) < 0)
			return -EBADMSG;
		last = p;
		p = sip_lex_ws(p, end);
	}
	mt->params = first ? sip_str_mk(first, last) : (struct sip_str){ last, 0 };
	*pp = p;
	return 0;
}

int sip_content_type_parse(const struct sip_str *value, struct sip_media_type *out)
{
	const char *p = value->s, *end = value->s + value->len;

	if (media_type(&p, end, out) < 0)
		return -EBADMSG;
	return p == end ? 0 : -EBADMSG;
}

int sip_accept_allows(const struct sip_str *value, const char *type, const char *subtype)
{
	const char *p = value->s, *end = value->s + value->len;
	int found = 0;

	if (sip_lex_ws(p, end) == end)
		return 0;
	for (;;) {
		struct sip_media_type mt;
		if (media_type(&p, end, &mt) < 0)
			return -EBADMSG;
		found |= range_covers(&mt.type, &mt.subtype, type, subtype);
		if (p == end)
			return found;
		if (*p != ',')
			return -EBADMSG;
		p++;
	}
}
