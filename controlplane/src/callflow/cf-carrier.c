/* Carrier resources: usable ones in cost order, and their gateways as bridge endpoints. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "cf-carrier.h"

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-ring.h"

struct carrier {
	const json_t *doc;
	unsigned cost;
};

static bool rule_matches(const char *rule, const char *number)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)rule, PCRE2_ZERO_TERMINATED, 0, &errcode,
				       &erroff, NULL);
	pcre2_match_data *md;
	char plus[CF_NUMBER_MAX + 1];
	bool hit = false;

	if (!re)
		return false;
	md = pcre2_match_data_create_from_pattern(re, NULL);
	snprintf(plus, sizeof(plus), "+%s", number);
	if (md)
		hit = pcre2_match(re, (PCRE2_SPTR)number, strlen(number), 0, 0, md, NULL) > 0 ||
		      pcre2_match(re, (PCRE2_SPTR)plus, strlen(plus), 0, 0, md, NULL) > 0;
	pcre2_match_data_free(md);
	pcre2_code_free(re);
	return hit;
}

static bool has_string(const json_t *arr, const char *s)
{
	size_t i;
	const json_t *v;

	json_array_foreach(arr, i, v)
		if (json_is_string(v) && strcmp(json_string_value(v), s) == 0)
			return true;
	return false;
}

static bool usable(const struct cf_carrier_req *q, const json_t *r, unsigned *cost)
{
	const json_t *rules = json_object_get(r, "rules");
	const json_t *cls = json_object_get(json_object_get(r, "classifiers"), q->classifier);
	size_t i;
	const json_t *v;
	bool matched = json_array_size(rules) == 0;

	if (!cf_data_bool(r, "enabled", true))
		return false;
	if (cf_data_bool(r, "emergency", false) && strcmp(q->classifier, "emergency") != 0)
		return false;
	if (json_object_size(json_object_get(r, "classifiers")) && !cls)
		return false;	/* a resource listing classifiers serves only those */
	if (cls && !cf_data_bool(cls, "enabled", true))
		return false;
	json_array_foreach(q->flags, i, v)
		if (json_is_string(v) && !has_string(json_object_get(r, "flags"), json_string_value(v)))
			return false;
	if (cf_data_bool(r, "require_flags", false) && json_array_size(q->flags) == 0)
		return false;
	json_array_foreach(rules, i, v)
		if (!matched && json_is_string(v) && rule_matches(json_string_value(v), q->number))
			matched = true;
	if (!matched)
		return false;
	*cost = cf_data_uint(cls, "weight_cost", cf_data_uint(r, "weight_cost", 50));
	return true;
}

static int by_cost(const void *a, const void *b)
{
	const struct carrier *x = a, *y = b;

	return (x->cost > y->cost) - (x->cost < y->cost);
}

size_t cf_carriers_ordered(const json_t *resources, const struct cf_carrier_req *q,
			   const json_t **out, size_t max)
{
	struct carrier c[CF_CARRIERS_MAX];
	size_t i, n = 0;
	const json_t *r;

	json_array_foreach(resources, i, r) {
		unsigned cost;

		if (n < CF_CARRIERS_MAX && usable(q, r, &cost))
			c[n++] = (struct carrier){r, cost};
	}
	/* qsort is not stable: the position breaks ties (the list comes in id order) */
	for (i = 0; i < n; i++)
		c[i].cost = c[i].cost * CF_CARRIERS_MAX + (unsigned)i;
	qsort(c, n, sizeof(c[0]), by_cost);
	for (i = 0; i < n && i < max; i++)
		out[i] = c[i].doc;
	return i;
}

/* -ENAMETOOLONG when prefix + number + suffix do not fit. */
static int format_number(const json_t *gw, const char *number, char *out, size_t len)
{
	const char *fmt = json_string_value(json_object_get(gw, "invite_format"));
	const char *prefix = json_string_value(json_object_get(gw, "prefix"));
	const char *suffix = json_string_value(json_object_get(gw, "suffix"));
	const char *body = number;
	bool nanp = strlen(number) == 11 && number[0] == '1';
	char tmp[CF_NUMBER_MAX + 2];

	if (fmt && strcmp(fmt, "npan") == 0 && nanp)
		body = number + 1;
	if (fmt && strcmp(fmt, "e164") == 0) {
		snprintf(tmp, sizeof(tmp), "+%s", number);
		body = tmp;
	}
	if ((size_t)snprintf(out, len, "%s%s%s", prefix ? prefix : "", body,
			     suffix ? suffix : "") >= len)
		return -ENAMETOOLONG;
	return 0;
}

size_t cf_carrier_gateways(const json_t *r, const char *number, const struct cf_caller_id *cid,
			   struct cf_endpoint *eps, size_t max)
{
	size_t i, n = 0;
	const json_t *gw;

	json_array_foreach(json_object_get(r, "gateways"), i, gw) {
		struct cf_endpoint *ep = &eps[n];
		const char *server = json_string_value(json_object_get(gw, "server"));

		if (n == max)
			break;
		if (!server || !cf_data_bool(gw, "enabled", true))
			continue;
		memset(ep, 0, sizeof(*ep));
		ep->kind = CF_EP_GATEWAY;
		cf_copy(ep->gw.resource_id, sizeof(ep->gw.resource_id),
			json_string_value(json_object_get(r, "id")));
		cf_copy(ep->gw.server, sizeof(ep->gw.server), server);
		ep->gw.port = (uint16_t)cf_data_uint(gw, "port", 5060);
		cf_copy(ep->gw.username, sizeof(ep->gw.username),
			json_string_value(json_object_get(gw, "username")));
		cf_copy(ep->gw.password, sizeof(ep->gw.password),
			json_string_value(json_object_get(gw, "password")));
		cf_copy(ep->gw.realm, sizeof(ep->gw.realm),
			json_string_value(json_object_get(gw, "realm")));
		if (format_number(gw, number, ep->number, sizeof(ep->number)) != 0)
			continue;	/* a prefix that cannot fit: not this gateway */
		ep->timeout_s = cf_data_uint(gw, "progress_timeout", 0);
		ep->cid_set = cid != NULL;
		if (cid)
			ep->cid = *cid;
		n++;
	}
	return n;
}
