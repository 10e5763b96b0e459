/* Contact and expiry handling for the registrar. */
#include "contact.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DELTA_MAX 4294967295ll

int csip_delta_seconds(const char *s, int64_t *out)
{
	if (!s)
		return -EINVAL;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -EINVAL;
	int64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++)
		if (v <= DELTA_MAX)
			v = v * 10 + (*s - '0');
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s)
		return -EINVAL;
	*out = v > DELTA_MAX ? DELTA_MAX : v;
	return 0;
}

static void unquote_into(const char *v, char *out, size_t len)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		v++;
		n -= 2;
	}
	snprintf(out, len, "%.*s", (int)n, v);
}

static int fill_binding(osip_contact_t *c, int64_t header_expires, const struct csip_expiry_rules *r,
			struct csip_binding *b)
{
	if (!c->url || !c->url->scheme ||
	    (strcasecmp(c->url->scheme, "sip") != 0 && strcasecmp(c->url->scheme, "sips") != 0) ||
	    !c->url->host)
		return -EINVAL;
	char *uri = NULL;
	if (osip_uri_to_str(c->url, &uri) != 0 || !uri)
		return -EINVAL;
	int fits = snprintf(b->uri, sizeof(b->uri), "%s", uri) < (int)sizeof(b->uri);
	osip_free(uri);
	if (!fits)
		return -EINVAL;

	int64_t exp = header_expires;
	osip_generic_param_t *p = NULL;
	if (osip_contact_param_get_byname(c, "expires", &p) == 0 && p) {
		if (csip_delta_seconds(p->gvalue, &exp) < 0)
			return -EINVAL;
	}
	if (exp < 0)
		exp = r->def_s;
	if (exp > 0 && exp < r->min_s)
		return -ERANGE;
	if (exp > r->max_s)
		exp = r->max_s;
	b->expires_s = exp;

	b->instance[0] = '\0';
	b->reg_id = -1;
	p = NULL;
	if (osip_contact_param_get_byname(c, "+sip.instance", &p) == 0 && p && p->gvalue)
		unquote_into(p->gvalue, b->instance, sizeof(b->instance));
	p = NULL;
	if (osip_contact_param_get_byname(c, "reg-id", &p) == 0 && p) {
		int64_t id;
		/* RFC 5626 reg-id is 1..2^31-1; anything else is ignored. */
		if (csip_delta_seconds(p->gvalue, &id) == 0 && id > 0 && id <= 2147483647)
			b->reg_id = id;
	}
	return 0;
}

int csip_contacts_parse(osip_message_t *req, const struct csip_expiry_rules *rules,
			struct csip_contact_set *out)
{
	memset(out, 0, sizeof(*out));
	int64_t header_expires = -1;
	osip_header_t *eh = NULL;
	if (osip_message_get_expires(req, 0, &eh) >= 0 && eh) {
		if (csip_delta_seconds(eh->hvalue, &header_expires) < 0)
			return -EINVAL;
	}
	int total = osip_list_size(&req->contacts);
	for (int i = 0; i < total; i++) {
		osip_contact_t *c = osip_list_get(&req->contacts, i);
		if (c && c->displayname && strcmp(c->displayname, "*") == 0 && !c->url) {
			/* RFC 3261 §10.3 step 6: "*" only alone and only with Expires: 0. */
			if (total != 1 || header_expires != 0)
				return -EINVAL;
			out->star = true;
			return 0;
		}
	}
	for (int i = 0; i < total; i++) {
		if (out->n == CSIP_MAX_CONTACTS)
			return -E2BIG;
		osip_contact_t *c = osip_list_get(&req->contacts, i);
		if (!c)
			return -EINVAL;
		int rc = fill_binding(c, header_expires, rules, &out->b[out->n]);
		if (rc < 0)
			return rc;
		out->n++;
	}
	return 0;
}
