/* The engine: configuration, counters, and a call's start (caller documents, lookup). */
#define _GNU_SOURCE /* secure_getenv */
#include "cf-engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-flow-int.h"
#include "cf-flow.h"
#include "cf-lookup.h"
#include "cf-tz.h"

struct cf_config cf_config_default(void)
{
	return (struct cf_config){
		.max_steps = 64,
		.max_jumps = 10,
		.max_group_depth = 3,
		.seed = 0x5eed,
		.default_timezone = "America/Los_Angeles",	/* KAZOO's account default */
	};
}

struct cf_engine *cf_engine_new(const struct cf_config *cfg, const struct cf_call_ops *call_ops,
				const struct cf_doc_ops *doc_ops, void *docs)
{
	struct cf_engine *eng;
	const char *dir;

	if (!cfg || !call_ops || !doc_ops || !doc_ops->load || !doc_ops->find_callflows ||
	    !doc_ops->list || !doc_ops->owned_by || !doc_ops->save || cfg->max_steps == 0) {
		errno = EINVAL;
		return NULL;
	}
	eng = calloc(1, sizeof(*eng));
	if (!eng)
		return NULL;
	eng->cfg = *cfg;
	if (!eng->cfg.default_timezone)
		eng->cfg.default_timezone = "UTC";
	eng->call = call_ops;
	eng->docs = doc_ops;
	eng->docs_arg = docs;
	eng->rng = cfg->seed;
	dir = cfg->zoneinfo_dir;
	if (!dir)
		dir = secure_getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	if (cf_copy(eng->zoneinfo_dir, sizeof(eng->zoneinfo_dir), dir) != 0) {
		free(eng);
		errno = ENAMETOOLONG;
		return NULL;
	}
	return eng;
}

void cf_engine_free(struct cf_engine *eng)
{
	if (!eng)
		return;
	cf_tz_cache_free(eng->tz);
	free(eng);
}

uint64_t cf_engine_ended(const struct cf_engine *eng, enum cf_end end)
{
	return end < CF_END__COUNT ? eng->ended[end] : 0;
}

const char *cf_end_name(enum cf_end end)
{
	static const char *const names[CF_END__COUNT] = {
		[CF_END_TREE] = "end_of_tree", [CF_END_STOPPED] = "stopped",
		[CF_END_HANGUP] = "hangup", [CF_END_NO_CALLFLOW] = "no_callflow",
		[CF_END_LOOP_GUARD] = "loop_guard", [CF_END_ERROR] = "error",
	};
	return end < CF_END__COUNT ? names[end] : "unknown";
}

const char *cf_cause_name(enum cf_cause cause)
{
	switch (cause) {
	case CF_OK: return "ok";
	case CF_ANSWERED: return "answered";
	case CF_BUSY: return "busy";
	case CF_NO_ANSWER: return "no_answer";
	case CF_REJECTED: return "rejected";
	case CF_FAILED: return "failed";
	case CF_HANGUP: return "hangup";
	}
	return "failed";
}

/* Start: account -> calling device -> its owner -> callflow candidates -> run. */

static void got_callflows(struct cf_flow *f, void *arg, int err, json_t *list)
{
	struct cf_match m;
	json_t *chosen;

	(void)arg;
	if (err == -ECANCELED)
		return;
	if (err != 0 && err != -ENOENT) {
		json_decref(list);
		cf_flow_stop(f, CF_END_ERROR, "callflow lookup failed (%d)", err);
		return;
	}
	if (!list || cf_lookup_choose(list, f->number, &m) != 0) {
		json_decref(list);
		cf_flow_stop(f, CF_END_NO_CALLFLOW, "no callflow for %s", f->number);
		return;
	}
	chosen = json_incref((json_t *)m.callflow);
	json_decref(list);
	for (unsigned i = 0; i < m.n_captures && i < CF_CAPTURES_MAX; i++)
		cf_copy(f->captures[i], sizeof(f->captures[i]), m.captures[i]);
	f->n_captures = m.n_captures < CF_CAPTURES_MAX ? m.n_captures : CF_CAPTURES_MAX;
	cf_copy(f->report.callflow_id, sizeof(f->report.callflow_id),
		json_string_value(json_object_get(chosen, "id")));
	if (json_array_append_new(f->held, chosen) != 0) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	cf_flow_run_node(f, json_object_get(chosen, "flow"));
}

static void start_lookup(struct cf_flow *f)
{
	char forms[3][CF_NUMBER_MAX];
	const char *ptrs[3];
	size_t n = cf_number_forms(f->number, forms, 3);

	for (size_t i = 0; i < n; i++)
		ptrs[i] = forms[i];
	/* the store copies the numbers before it returns */
	cf_flow_find_callflows(f, ptrs, n, got_callflows, NULL);
}

static void caller_docs_done(struct cf_flow *f)
{
	const char *num;

	/* a device's own caller id stands for the received one on internal calls */
	if (f->caller_is_device && !f->caller.number[0]) {
		num = json_string_value(json_object_get(
			json_object_get(json_object_get(f->caller_device, "caller_id"), "internal"),
			"number"));
		if (num)
			cf_copy(f->caller.number, sizeof(f->caller.number), num);
	}
	start_lookup(f);
}

static void got_caller_user(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	(void)arg;
	if (err == -ECANCELED)
		return;
	f->caller_user = err == 0 ? doc : NULL;
	caller_docs_done(f);
}

static void got_caller_device(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	const char *owner;

	(void)arg;
	if (err == -ECANCELED)
		return;
	if (err != 0) {
		/* an unknown device is routed as an outside caller */
		f->caller_is_device = false;
		caller_docs_done(f);
		return;
	}
	f->caller_device = doc;
	owner = json_string_value(json_object_get(doc, "owner_id"));
	if (owner && *owner)
		cf_flow_load(f, owner, got_caller_user, NULL);
	else
		caller_docs_done(f);
}

static void got_account(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	(void)arg;
	if (err == -ECANCELED)
		return;
	f->account = err == 0 ? doc : NULL;
	if (f->caller_is_device)
		cf_flow_load(f, f->auth_id, got_caller_device, NULL);
	else
		caller_docs_done(f);
}

static void end_now(struct cf_flow *f, enum cf_end end, const char *detail)
{
	cf_flow_stop(f, end, "%s", detail);
}

int cf_flow_start(struct cf_engine *eng, const struct cf_call_info *info, void *call,
		  cf_flow_end_fn done, void *done_arg)
{
	struct cf_flow *f;
	int rc;

	if (!eng || !info || !done || !info->account_id || !*info->account_id || !info->dialed)
		return -EINVAL;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->refs = 1;	/* the walk's */
	f->eng = eng;
	f->call = call;
	f->done = done;
	f->done_arg = done_arg;
	f->held = json_array();
	f->empty = json_object();
	f->vars = info->variables ? json_loads(info->variables, JSON_REJECT_DUPLICATES, NULL)
				  : NULL;
	if (!json_is_object(f->vars)) {
		json_decref(f->vars);
		f->vars = json_object();
	}
	if (!f->held || !f->empty || !f->vars) {
		cf_flow_unref(f);
		return -ENOMEM;
	}
	rc = cf_copy(f->account_id, sizeof(f->account_id), info->account_id);
	cf_copy(f->call_id, sizeof(f->call_id), info->call_id);
	cf_copy(f->dialed, sizeof(f->dialed), info->dialed);
	cf_copy(f->auth_type, sizeof(f->auth_type), info->authorizing_type);
	cf_copy(f->auth_id, sizeof(f->auth_id), info->authorizing_id);
	f->caller = info->caller;
	f->caller.name[sizeof(f->caller.name) - 1] = '\0';
	f->caller.number[sizeof(f->caller.number) - 1] = '\0';
	f->received = f->caller;
	f->caller_is_device = strcmp(f->auth_type, "device") == 0 && f->auth_id[0];
	if (rc != 0) {
		end_now(f, CF_END_ERROR, "account id too long");
		return 0;
	}
	if (cf_number_normalize(info->dialed, f->number, sizeof(f->number)) != 0) {
		end_now(f, CF_END_NO_CALLFLOW, "dialed number is not usable");
		return 0;
	}
	cf_flow_load(f, f->account_id, got_account, NULL);
	return 0;
}
