/* `ring_group`: rings members (devices, users, groups) with a strategy.
 * data: endpoints [{id, endpoint_type device|user|group, delay, timeout, weight}],
 *       strategy simultaneous|single|weighted_random, timeout (20), repeats (1),
 *       ignore_forward (true, as KAZOO).
 * weighted_random orders the members by weighted sampling (engine seed) and rings them one
 * after the other. Branches: the bridge result. */
#include <stdlib.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"
#include "cf-resolve.h"
#include "cf-ring.h"

#define RING_GROUP_MAX 64

struct rg {
	enum cf_strategy strategy;
	unsigned timeout, repeats;
};

static void resolved(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list)
{
	struct rg rg = *(struct rg *)arg;

	free(arg);
	if (err) {
		cf_ep_list_release(list);
		cf_flow_stop(f, CF_END_ERROR, "ring_group: documents unavailable (%d)", err);
		return;
	}
	cf_ring(f, list, rg.strategy, rg.strategy == CF_STRATEGY_SINGLE ? 0 : rg.timeout,
		rg.repeats);
}

/* Weighted sampling without replacement: each pick is proportional to the remaining weights. */
static void weighted_order(struct cf_flow *f, struct cf_member *m, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++) {
		uint64_t total = 0, pick;
		size_t j;

		for (j = i; j < n; j++)
			total += m[j].opts.weight;
		pick = cf_flow_random(f) % total;
		for (j = i; j < n; j++) {
			if (pick < m[j].opts.weight)
				break;
			pick -= m[j].opts.weight;
		}
		struct cf_member t = m[i];

		m[i] = m[j];
		m[j] = t;
	}
}

static int parse_member(const json_t *e, unsigned dflt_timeout, bool ignore_forward,
			struct cf_member *m)
{
	const char *id = json_string_value(json_object_get(e, "id"));
	const char *type = json_string_value(json_object_get(e, "endpoint_type"));

	memset(m, 0, sizeof(*m));
	if (!id || cf_copy(m->id, sizeof(m->id), id) != 0)
		return -1;
	if (!type || strcmp(type, "device") == 0)
		m->type = CF_MEMBER_DEVICE;
	else if (strcmp(type, "user") == 0)
		m->type = CF_MEMBER_USER;
	else if (strcmp(type, "group") == 0)
		m->type = CF_MEMBER_GROUP;
	else
		return -1;
	m->opts.delay_s = cf_data_uint(e, "delay", 0);
	m->opts.timeout_s = cf_data_uint(e, "timeout", dflt_timeout);
	m->opts.weight = cf_data_uint(e, "weight", 1);
	if (m->opts.weight == 0)
		m->opts.weight = 1;
	if (m->opts.weight > 100)
		m->opts.weight = 100;
	m->opts.ignore_forward = ignore_forward;
	return 0;
}

void cf_mod_ring_group_run(struct cf_flow *f, const json_t *data)
{
	const json_t *eps = json_object_get(data, "endpoints");
	const char *strategy = json_string_value(json_object_get(data, "strategy"));
	struct cf_member m[RING_GROUP_MAX];
	size_t n = 0, i;
	const json_t *e;
	struct rg *rg = malloc(sizeof(*rg));
	bool weighted = false;

	if (!rg) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	rg->timeout = cf_data_uint(data, "timeout", 20);
	rg->repeats = cf_data_uint(data, "repeats", 1);
	if (!strategy || strcmp(strategy, "simultaneous") == 0) {
		rg->strategy = CF_STRATEGY_SIMULTANEOUS;
	} else if (strcmp(strategy, "single") == 0) {
		rg->strategy = CF_STRATEGY_SINGLE;
	} else if (strcmp(strategy, "weighted_random") == 0) {
		rg->strategy = CF_STRATEGY_SINGLE;
		weighted = true;
	} else {
		free(rg);
		cf_flow_stop(f, CF_END_ERROR, "ring_group: unknown strategy \"%.32s\"", strategy);
		return;
	}
	json_array_foreach(eps, i, e) {
		if (n == RING_GROUP_MAX)
			break;
		if (parse_member(e, rg->timeout, cf_data_bool(data, "ignore_forward", true),
				 &m[n]) == 0)
			n++;
	}
	if (weighted && n > 1)
		weighted_order(f, m, n);
	cf_resolve(f, m, n, resolved, rg);
}
