/* `resources` / `offnet`: the call out through the account's carrier resources.
 * data: to_did (number to dial instead of the dialed one), flags [..], timeout (0).
 * A resource is used when enabled, its `rules` (PCRE) match the number (no rules: any), it
 * carries every requested flag (the data's plus the calling device's outbound_flags), its
 * classifier entry is not disabled, and (emergency-only resources) the number is emergency.
 * Resources are tried by weight_cost (classifier override first), lowest first; a failure,
 * no answer, 408 or 5xx moves on to the next (failover); anything else branches. The caller's
 * call_restriction for the number's classifier is checked first ("sip:403" when denied). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-caller-id.h"
#include "cf-carrier.h"
#include "cf-classifier.h"
#include "cf-flow.h"
#include "cf-lookup.h"
#include "cf-modules.h"
#include "cf-ring.h"

#define GATEWAYS_MAX 8

struct offnet {
	json_t *resources;		/* the list, kept while carriers point into it */
	const json_t *c[CF_CARRIERS_MAX];
	size_t n, next;
	char number[CF_NUMBER_MAX];
	const char *classifier;
	unsigned timeout;
	struct cf_endpoint eps[GATEWAYS_MAX];
	struct cf_bridge b;
	struct cf_result last;
	json_t *flags;			/* requested flags (array) */
};

static size_t gateways(struct cf_flow *f, struct offnet *o, const json_t *r)
{
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
	return cf_carrier_gateways(r, o->number, have_cid ? &cid : NULL, o->eps, GATEWAYS_MAX);
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
		size_t n = gateways(f, o, o->c[o->next++]);

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
	struct cf_carrier_req q = {o->number, o->classifier, o->flags};

	if (err && err != -ENOENT) {
		offnet_free(o);
		cf_flow_stop(f, CF_END_ERROR, "resources: documents unavailable (%d)", err);
		return;
	}
	o->resources = list;
	o->n = cf_carriers_ordered(list, &q, o->c, CF_CARRIERS_MAX);
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
