/* `temporal_route`: continues with the child named by the first rule (or rule set) in
 * data.rules that holds now, else "_". data: rules [ids], timezone (else the account's, else
 * the engine default; an unknown zone counts as UTC). A rule set holds when any of its
 * temporal_rules does. Local time comes from zoneinfo through cf-tz (no process TZ). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"
#include "cf-temporal.h"
#include "cf-tz.h"

struct troute {
	const json_t *data;
	json_t *rules;
};

static const json_t *by_id(const json_t *list, const char *id)
{
	size_t i;
	const json_t *d;

	json_array_foreach(list, i, d) {
		const char *did = json_string_value(json_object_get(d, "id"));

		if (did && strcmp(did, id) == 0)
			return d;
	}
	return NULL;
}

static bool holds(const json_t *rules, const json_t *sets, const char *id, const struct tm *t)
{
	const json_t *r = by_id(rules, id);
	const json_t *set;
	size_t i;
	const json_t *v;

	if (r)
		return cf_temporal_matches(r, t);
	set = by_id(sets, id);
	json_array_foreach(json_object_get(set, "temporal_rules"), i, v) {
		const char *rid = json_string_value(v);

		if (rid && (r = by_id(rules, rid)) && cf_temporal_matches(r, t))
			return true;
	}
	return false;
}

static void got_sets(struct cf_flow *f, void *arg, int err, json_t *sets)
{
	struct troute *tr = arg;
	const char *zone = json_string_value(json_object_get(tr->data, "timezone"));
	const struct cf_tz *tz = NULL;
	time_t now = cf_flow_now(f);
	struct tm t;
	size_t i;
	const json_t *v;
	const char *hit = NULL;

	if (err && err != -ENOENT) {
		json_decref(tr->rules);
		free(tr);
		cf_flow_stop(f, CF_END_ERROR, "temporal_route: documents unavailable (%d)", err);
		return;
	}
	if (!zone || !*zone)
		zone = cf_flow_timezone(f);
	if (cf_tz_get(&f->eng->tz, f->eng->zoneinfo_dir, zone, &tz) == 0)
		cf_tz_localtime(tz, now, &t);
	else
		gmtime_r(&now, &t);
	json_array_foreach(json_object_get(tr->data, "rules"), i, v) {
		const char *id = json_string_value(v);

		if (id && holds(tr->rules, sets, id, &t)) {
			hit = id;
			break;
		}
	}
	json_decref(sets);
	json_decref(tr->rules);
	free(tr);
	cf_flow_next(f, hit ? hit : "_");
}

static void got_rules(struct cf_flow *f, void *arg, int err, json_t *rules)
{
	struct troute *tr = arg;

	if (err && err != -ENOENT) {
		free(tr);
		cf_flow_stop(f, CF_END_ERROR, "temporal_route: documents unavailable (%d)", err);
		return;
	}
	tr->rules = rules;
	cf_flow_list(f, "temporal_rule_set", got_sets, tr);
}

void cf_mod_temporal_route_run(struct cf_flow *f, const json_t *data)
{
	struct troute *tr = calloc(1, sizeof(*tr));

	if (!tr) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	tr->data = data;
	cf_flow_list(f, "temporal_rule", got_rules, tr);
}
