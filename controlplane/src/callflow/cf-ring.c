/* Bridge-and-branch shared by the modules that ring endpoints. */
#include "cf-ring.h"

#include <stdlib.h>

#include "cf-flow.h"
#include "cf-forward.h"

struct ring {
	struct cf_ep_list list;
	struct cf_bridge b;
	unsigned left;
};

unsigned cf_data_uint(const json_t *data, const char *key, unsigned dflt)
{
	const json_t *v = json_object_get(data, key);
	json_int_t i;

	if (json_is_string(v)) {
		/* KAZOO documents often carry numbers as strings */
		char *end;
		long l = strtol(json_string_value(v), &end, 10);

		return (*json_string_value(v) && !*end && l >= 0 && l <= 86400 * 365) ?
			       (unsigned)l : dflt;
	}
	if (!json_is_integer(v))
		return dflt;
	i = json_integer_value(v);
	return (i >= 0 && i <= 86400 * 365) ? (unsigned)i : dflt;
}

bool cf_data_bool(const json_t *data, const char *key, bool dflt)
{
	const json_t *v = json_object_get(data, key);

	return json_is_boolean(v) ? json_is_true(v) : dflt;
}

static void rung(struct cf_flow *f, void *arg, struct cf_result res)
{
	struct ring *r = arg;

	if (res.cause == CF_NO_ANSWER && --r->left > 0 && !f->finished) {
		cf_flow_bridge(f, &r->b, rung, r);
		return;
	}
	cf_ep_list_release(&r->list);
	free(r);
	cf_flow_branch(f, res);
}

static void start(struct cf_flow *f, struct ring *r)
{
	struct cf_result why = r->list.why;

	if (r->list.n == 0) {
		cf_ep_list_release(&r->list);
		free(r);
		if (why.cause == CF_OK)
			why = (struct cf_result){CF_FAILED, 404};
		cf_flow_branch(f, why);
		return;
	}
	r->b.endpoints = r->list.v;
	r->b.n = r->list.n;
	cf_flow_bridge(f, &r->b, rung, r);
}

static void forwards_expanded(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list)
{
	struct ring *r = arg;

	r->list = *list;
	if (err) {
		cf_ep_list_release(&r->list);
		free(r);
		cf_flow_stop(f, CF_END_ERROR, "call forward: documents unavailable (%d)", err);
		return;
	}
	start(f, r);
}

void cf_ring(struct cf_flow *f, struct cf_ep_list *list, enum cf_strategy strategy,
	     unsigned timeout_s, unsigned repeats)
{
	struct ring *r = calloc(1, sizeof(*r));

	if (!r) {
		cf_ep_list_release(list);
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	r->b = (struct cf_bridge){NULL, 0, strategy, timeout_s};
	r->left = repeats ? repeats : 1;
	if (r->left > 20)
		r->left = 20;	/* a repeat count is a ring cadence, not a loop */
	if (cf_forward_any(list)) {
		/* forwards ring what their number reaches (cf-forward.h) */
		cf_forward_expand(f, list, forwards_expanded, r);
		return;
	}
	r->list = *list;
	start(f, r);
}
