/* `resources` / `offnet`: the call out through the account's carrier resources.
 * data: to_did (number to dial instead of the dialed one), flags [..], timeout (0).
 * A resource is used when enabled, its `rules` (PCRE) match the number (no rules: any), it
 * carries every requested flag (the data's plus the calling device's outbound_flags), its
 * classifier entry is not disabled, and (emergency-only resources) the number is emergency.
 * Resources are tried by weight_cost (classifier override first), lowest first; a failure,
 * no answer, 408 or 5xx moves on to the next (failover); anything else branches. The caller's
 * call_restriction for the number's classifier is checked first ("sip:403" when denied). */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf-caller-id.h"
#include "cf-classifier.h"
#include "cf-flow.h"
#include "cf-lookup.h"
#include "cf-modules.h"
#include "cf-ring.h"

#define RESOURCES_MAX 32
#define GATEWAYS_MAX 8

struct carrier {
	const json_t *doc;
	unsigned cost;
};

struct offnet {
	json_t *resources;		/* the list, kept while carriers point into it */
	struct carrier c[RESOURCES_MAX];
	size_t n, next;
	char number[CF_NUMBER_MAX];
	const char *classifier;
	unsigned timeout;
	struct cf_endpoint eps[GATEWAYS_MAX];
	struct cf_bridge b;
	struct cf_result last;
	json_t *flags;			/* requested flags (array) */
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

static bool usable(const struct offnet *o, const json_t *r, unsigned *cost)
{
	const json_t *rules = json_object_get(r, "rules");
	const json_t *cls = json_object_get(json_object_get(r, "classifiers"), o->classifier);
	size_t i;
	const json_t *v;
	bool matched = json_array_size(rules) == 0;

	if (!cf_data_bool(r, "enabled", true))
		return false;
	if (cf_data_bool(r, "emergency", false) && strcmp(o->classifier, "emergency") != 0)
		return false;
	if (json_object_size(json_object_get(r, "classifiers")) && !cls)
		return false;	/* a resource listing classifiers serves only those */
	if (cls && !cf_data_bool(cls, "enabled", true))
		return false;
	json_array_foreach(o->flags, i, v)
		if (json_is_string(v) && !has_string(json_object_get(r, "flags"), json_string_value(v)))
			return false;
	if (cf_data_bool(r, "require_flags", false) && json_array_size(o->flags) == 0)
		return false;
	json_array_foreach(rules, i, v)
		if (!matched && json_is_string(v) && rule_matches(json_string_value(v), o->number))
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

static size_t gateways(struct cf_flow *f, struct offnet *o, const json_t *r)
{
	size_t i, n = 0;
	const json_t *gw;
	struct cf_caller_id cid;
	bool emergency = strcmp(o->classifier, "emergency") == 0;
	bool have_cid = false;

	/* the caller's external id goes out; emergency calls prefer the emergency one */
	if (f->caller_is_device && emergency)
		have_cid = cf_doc_caller_id(f->caller_device, f->caller_user, f->account,
					    "emergency", &cid) == 0;
	if (f->caller_is_device && !have_cid)
		have_cid = cf_doc_caller_id(f->caller_device, f->caller_user, f->account,
					    "external", &cid) == 0;
	json_array_foreach(json_object_get(r, "gateways"), i, gw) {
		struct cf_endpoint *ep = &o->eps[n];
		const char *server = json_string_value(json_object_get(gw, "server"));

		if (n == GATEWAYS_MAX)
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
		if (format_number(gw, o->number, ep->number, sizeof(ep->number)) != 0)
			continue;	/* a prefix that cannot fit: not this gateway */
		ep->timeout_s = cf_data_uint(gw, "progress_timeout", 0);
		ep->cid_set = have_cid;
		if (have_cid)
			ep->cid = cid;
		n++;
	}
	return n;
}

static void offnet_free(struct offnet *o)
{
	json_decref(o->resources);
	json_decref(o->flags);
	free(o);
}

static bool fails_over(struct cf_result r)
{
	/* no answer here: the carrier never answered within its progress timeout */
	if (r.cause == CF_FAILED || r.cause == CF_NO_ANSWER)
		return true;
	return r.cause == CF_REJECTED && (r.sip_code == 408 || (r.sip_code >= 500 && r.sip_code < 600));
}

static void try_next(struct cf_flow *f, struct offnet *o);

static void carrier_done(struct cf_flow *f, void *arg, struct cf_result res)
{
	struct offnet *o = arg;

	o->last = res;
	if (fails_over(res) && !f->finished) {
		try_next(f, o);
		return;
	}
	offnet_free(o);
	cf_flow_branch(f, res);
}

static void try_next(struct cf_flow *f, struct offnet *o)
{
	while (o->next < o->n) {
		size_t n = gateways(f, o, o->c[o->next++].doc);

		if (n == 0)
			continue;
		o->b = (struct cf_bridge){o->eps, n, CF_STRATEGY_SINGLE, o->timeout};
		cf_flow_bridge(f, &o->b, carrier_done, o);
		return;
	}
	struct cf_result last = o->last;

	offnet_free(o);
	cf_flow_branch(f, last);
}

static void got_resources(struct cf_flow *f, void *arg, int err, json_t *list)
{
	struct offnet *o = arg;
	size_t i;
	const json_t *r;

	if (err && err != -ENOENT) {
		offnet_free(o);
		cf_flow_stop(f, CF_END_ERROR, "resources: documents unavailable (%d)", err);
		return;
	}
	o->resources = list;
	json_array_foreach(list, i, r) {
		unsigned cost;

		if (o->n < RESOURCES_MAX && usable(o, r, &cost))
			o->c[o->n++] = (struct carrier){r, cost};
	}
	/* qsort is not stable: ids break ties because the list comes in id order */
	for (i = 0; i < o->n; i++)
		o->c[i].cost = o->c[i].cost * RESOURCES_MAX + (unsigned)i;
	qsort(o->c, o->n, sizeof(o->c[0]), by_cost);
	o->last = (struct cf_result){CF_FAILED, 404};	/* no route */
	try_next(f, o);
}

void cf_mod_resources_run(struct cf_flow *f, const json_t *data)
{
	struct offnet *o = calloc(1, sizeof(*o));
	const char *to = json_string_value(json_object_get(data, "to_did"));
	const json_t *dev_flags = json_object_get(f->caller_device, "outbound_flags");
	size_t i;
	const json_t *v;

	if (!o || !(o->flags = json_array())) {
		free(o);
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	if (to && *to) {
		if (cf_number_normalize(to, o->number, sizeof(o->number)) != 0) {
			offnet_free(o);
			cf_flow_stop(f, CF_END_ERROR, "resources: bad to_did");
			return;
		}
	} else {
		cf_copy(o->number, sizeof(o->number), f->number);
	}
	json_array_foreach(json_object_get(data, "flags"), i, v)
		json_array_append((json_t *)o->flags, (json_t *)v);
	json_array_foreach(dev_flags, i, v)
		json_array_append((json_t *)o->flags, (json_t *)v);
	o->classifier = cf_classify(o->number);
	o->timeout = cf_data_uint(data, "timeout", 0);
	if (f->caller_is_device &&
	    cf_restricted(o->classifier, f->caller_device, f->caller_user, f->account)) {
		offnet_free(o);
		cf_flow_branch(f, (struct cf_result){CF_REJECTED, 403});
		return;
	}
	cf_flow_list(f, "resource", got_resources, o);
}
