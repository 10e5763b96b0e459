/* Forward expansion: one slot per endpoint of the list; a forward's slot is filled by a
 * callflow lookup, then a member resolution, the carriers in failover order, or a loopback walk
 * of the callflow. The callback runs when every slot is in, with the slots concatenated in list
 * order. */
#include "cf-forward.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-carrier.h"
#include "cf-classifier.h"
#include "cf-flow-int.h"
#include "cf-lookup.h"
#include "cf-loopback.h"
#include "cf-resolve.h"

#define FORWARD_MEMBERS_MAX 64
#define FORWARD_GATEWAYS_MAX 8
#define FORWARD_CARRIERS_MAX 4	/* failover ranks per forward */

struct expansion;

struct fw_slot {
	struct expansion *x;
	struct cf_endpoint fw;		/* the forward (or the endpoint kept as it is) */
	struct cf_ep_list out;
};

struct expansion {
	struct cf_flow *f;
	struct fw_slot *slots;
	size_t n;
	size_t pending;
	int err;
	cf_forward_fn cb;
	void *arg;
};

bool cf_forward_any(const struct cf_ep_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		if (list->v[i].kind == CF_EP_FORWARD)
			return true;
	return false;
}

static void slot_done(struct fw_slot *s)
{
	struct expansion *x = s->x;
	struct cf_ep_list all = {0};

	if (--x->pending > 0)
		return;
	for (size_t i = 0; i < x->n; i++) {
		struct cf_ep_list *l = &x->slots[i].out;

		for (size_t j = 0; j < l->n && x->err == 0; j++)
			if (cf_ep_list_push(&all, &l->v[j]) != 0)
				x->err = -ENOMEM;
		cf_ep_list_skip(&all, l->why);
		cf_ep_list_release(l);
	}
	x->cb(x->f, x->arg, x->err, &all);
	free(x->slots);
	free(x);
}

static void fault(struct fw_slot *s, int err)
{
	if (s->x->err == 0)
		s->x->err = err;
}

/* What the forward yields takes the forward's ring timing, caller id and require_keypress
 * (the answerer presses 1 before it is bridged: the controller asks). */
static void take(struct fw_slot *s, struct cf_endpoint ep)
{
	ep.require_keypress = s->fw.require_keypress;
	if (s->fw.delay_s)
		ep.delay_s = s->fw.delay_s;
	if (s->fw.timeout_s)
		ep.timeout_s = s->fw.timeout_s;
	if (s->fw.cid_set) {
		ep.cid_set = true;
		ep.cid = s->fw.cid;
	}
	if (cf_ep_list_push(&s->out, &ep) != 0)
		fault(s, -ENOMEM);
}

/* Each forward's carriers fail over among themselves: the slot names the group. */
static unsigned failover_group(const struct fw_slot *s)
{
	return (unsigned)(s - s->x->slots) + 1;
}

/* A carrier leg is the forwarding device's outbound call. */
static void take_gateway(struct fw_slot *s, struct cf_endpoint ep)
{
	cf_copy(ep.device_id, sizeof(ep.device_id), s->fw.device_id);
	cf_copy(ep.owner_id, sizeof(ep.owner_id), s->fw.owner_id);
	ep.failover_group = failover_group(s);
	take(s, ep);
}

static void resolved(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list)
{
	struct fw_slot *s = arg;

	(void)f;
	for (size_t i = 0; i < list->n; i++)
		if (list->v[i].kind == CF_EP_GATEWAY)
			take_gateway(s, list->v[i]);
		/* forwarding back to the forwarding phone would ring it twice (substitute false) */
		else if (list->v[i].kind != CF_EP_DEVICE ||
			 strcmp(list->v[i].device_id, s->fw.device_id) != 0)
			take(s, list->v[i]);
	cf_ep_list_skip(&s->out, list->why);
	cf_ep_list_release(list);
	if (err)
		fault(s, err);
	slot_done(s);
}

static void got_resources(struct cf_flow *f, void *arg, int err, json_t *list)
{
	struct fw_slot *s = arg;
	const json_t *order[CF_CARRIERS_MAX];
	struct cf_endpoint eps[FORWARD_GATEWAYS_MAX];
	struct cf_carrier_req q = {s->fw.number, cf_classify(s->fw.number), NULL};
	size_t n = 0;

	(void)f;
	if (err && err != -ENOENT && err != -ECANCELED)
		fault(s, err);
	else if (err == 0)
		n = cf_carriers_ordered(list, &q, order, CF_CARRIERS_MAX);
	unsigned rank = 0;

	/* every usable carrier, cheapest first: the next rings when one fails over */
	for (size_t i = 0; i < n && rank < FORWARD_CARRIERS_MAX; i++) {
		size_t g = cf_carrier_gateways(order[i], s->fw.number, NULL, eps,
					       FORWARD_GATEWAYS_MAX);

		for (size_t j = 0; j < g; j++) {
			eps[j].failover_rank = rank;
			take_gateway(s, eps[j]);
		}
		if (g)
			rank++;
	}
	if (rank == 0)
		cf_ep_list_skip(&s->out, (struct cf_result){CF_FAILED, 404}); /* no route */
	json_decref(list);
	slot_done(s);
}

static int member_type(const char *type, enum cf_member_type *out)
{
	if (!type || strcmp(type, "device") == 0)
		*out = CF_MEMBER_DEVICE;
	else if (strcmp(type, "user") == 0)
		*out = CF_MEMBER_USER;
	else if (strcmp(type, "group") == 0)
		*out = CF_MEMBER_GROUP;
	else
		return -EINVAL;
	return 0;
}

/* The members the callflow's first module rings; -ENOENT when it rings no member. */
static int members_of(const json_t *node, struct cf_member *m, size_t max, size_t *n)
{
	const char *mod = json_string_value(json_object_get(node, "module"));
	const json_t *data = json_object_get(node, "data");
	const char *id = json_string_value(json_object_get(data, "id"));
	size_t i;
	const json_t *e;

	*n = 0;
	if (!mod)
		return -ENOENT;
	if (strcmp(mod, "device") == 0 || strcmp(mod, "user") == 0) {
		if (!id || cf_copy(m[0].id, sizeof(m[0].id), id) != 0)
			return -ENOENT;
		m[0].type = mod[0] == 'd' ? CF_MEMBER_DEVICE : CF_MEMBER_USER;
		*n = 1;
		return 0;
	}
	if (strcmp(mod, "ring_group") != 0)
		return -ENOENT;
	json_array_foreach(json_object_get(data, "endpoints"), i, e) {
		const char *eid = json_string_value(json_object_get(e, "id"));

		if (*n == max)
			break;
		if (!eid || cf_copy(m[*n].id, sizeof(m[*n].id), eid) != 0 ||
		    member_type(json_string_value(json_object_get(e, "endpoint_type")),
				&m[*n].type) != 0)
			continue;
		(*n)++;
	}
	return 0;
}

static bool goes_out(const json_t *node)
{
	const char *mod = json_string_value(json_object_get(node, "module"));

	return mod && (strcmp(mod, "resources") == 0 || strcmp(mod, "offnet") == 0);
}

static void got_callflows(struct cf_flow *f, void *arg, int err, json_t *list)
{
	struct fw_slot *s = arg;
	struct cf_match match;
	struct cf_member m[FORWARD_MEMBERS_MAX];
	size_t n = 0;
	const json_t *root = NULL;

	if (err == -ECANCELED) {
		slot_done(s);	/* the flow is over */
		return;
	}
	if (err && err != -ENOENT) {
		json_decref(list);
		fault(s, err);
		slot_done(s);
		return;
	}
	if (list && cf_lookup_choose(list, s->fw.number, &match) == 0 &&
	    match.kind != CF_MATCH_NO_MATCH)
		root = json_object_get(match.callflow, "flow");
	if (!root || goes_out(root)) {
		json_decref(list);
		cf_flow_list(f, "resource", got_resources, s);
		return;
	}
	memset(m, 0, sizeof(m));
	if (members_of(root, m, FORWARD_MEMBERS_MAX, &n) != 0) {
		/* another first module: walk the callflow to what it rings (cf-loopback.h) */
		cf_loopback_run(f, s->fw.number, &match, resolved, s);
		json_decref(list);
		return;
	}
	json_decref(list);
	for (size_t i = 0; i < n; i++) {
		m[i].opts.ignore_forward = true;
		m[i].opts.delay_s = s->fw.delay_s;
		m[i].opts.timeout_s = s->fw.timeout_s;
	}
	cf_resolve(f, m, n, resolved, s);
}

/* A user's forward comes once per device of the user: the number is rung once. */
static bool rung_before(const struct expansion *x, const struct fw_slot *s)
{
	for (const struct fw_slot *p = x->slots; p < s; p++)
		if (p->fw.kind == CF_EP_FORWARD && strcmp(p->fw.number, s->fw.number) == 0)
			return true;
	return false;
}

static void expand_one(struct cf_flow *f, struct fw_slot *s)
{
	char forms[3][CF_NUMBER_MAX];
	const char *ptrs[3];
	size_t n;

	if (s->fw.kind == CF_EP_FORWARD && rung_before(s->x, s)) {
		slot_done(s);
		return;
	}
	if (s->fw.kind != CF_EP_FORWARD) {
		if (cf_ep_list_push(&s->out, &s->fw) != 0)
			fault(s, -ENOMEM);
		slot_done(s);
		return;
	}
	n = cf_number_forms(s->fw.number, forms, 3);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = forms[i];
	/* the store copies the numbers before it returns */
	cf_flow_find_callflows(f, ptrs, n, got_callflows, s);
}

void cf_forward_expand(struct cf_flow *f, struct cf_ep_list *list, cf_forward_fn cb, void *arg)
{
	struct expansion *x;

	if (list->n == 0) {
		cb(f, arg, 0, list);
		return;
	}
	x = calloc(1, sizeof(*x));
	if (!x || (list->n && !(x->slots = calloc(list->n, sizeof(*x->slots))))) {
		free(x);
		cb(f, arg, -ENOMEM, list);
		return;
	}
	x->f = f;
	x->n = list->n;
	x->cb = cb;
	x->arg = arg;
	/* +1 so that synchronous completions cannot finish before every slot started */
	x->pending = x->n + 1;
	for (size_t i = 0; i < x->n; i++) {
		x->slots[i].x = x;
		x->slots[i].fw = list->v[i];
	}
	/* skipped members of the original list still tell why */
	x->slots[0].out.why = list->why;
	cf_ep_list_release(list);
	for (size_t i = 0; i < x->n; i++)
		expand_one(f, &x->slots[i]);
	slot_done(&(struct fw_slot){.x = x});
}
