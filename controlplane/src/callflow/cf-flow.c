/* One call's walk through its callflow tree: a trampoline so that synchronous completions do
 * not grow the stack, the loop guard, and the async helpers that keep the flow alive. */
#include "cf-flow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cf-engine.h"
#include "cf-flow-int.h"
#include "cf-modules.h"

int cf_copy(char *dst, size_t size, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (size == 0)
		return -ENAMETOOLONG;
	if (n >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -ENAMETOOLONG;
	}
	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
	return 0;
}

void cf_flow_ref(struct cf_flow *f)
{
	f->refs++;
}

void cf_flow_unref(struct cf_flow *f)
{
	if (--f->refs > 0)
		return;
	json_decref(f->account);
	json_decref(f->caller_device);
	json_decref(f->caller_user);
	json_decref(f->vars);
	json_decref(f->held);
	json_decref(f->empty);
	free(f);
}

static void finish(struct cf_flow *f, enum cf_end end, const char *detail)
{
	if (f->finished)
		return;
	f->finished = true;
	f->next_node = NULL;
	f->report.end = end;
	cf_copy(f->report.detail, sizeof(f->report.detail), detail);
	if (!f->loopback)
		f->eng->ended[end]++;
	f->done(f->done_arg, &f->report);
	cf_flow_unref(f);	/* the walk's own reference */
}

void cf_flow_stop(struct cf_flow *f, enum cf_end end, const char *fmt, ...)
{
	char detail[sizeof(f->report.detail)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	finish(f, end, detail);
}

static void walk(struct cf_flow *f)
{
	if (f->in_walk || f->finished)
		return;
	f->in_walk = true;
	cf_flow_ref(f);	/* a module may end the flow under us */
	while (!f->finished && f->next_node) {
		const json_t *node = f->next_node;
		const char *name = json_string_value(json_object_get(node, "module"));
		const struct cf_module *mod = name ? cf_module_find(name) : NULL;
		const json_t *data = json_object_get(node, "data");

		f->next_node = NULL;
		if (++f->report.steps > f->eng->cfg.max_steps) {
			cf_flow_stop(f, CF_END_LOOP_GUARD, "more than %u steps",
				     f->eng->cfg.max_steps);
			break;
		}
		f->node = node;
		if (!mod) {
			cf_flow_stop(f, CF_END_ERROR, "unknown module \"%.64s\"",
				     name ? name : "(none)");
			break;
		}
		if (!data)
			data = f->empty;
		if (!json_is_object(data)) {
			cf_flow_stop(f, CF_END_ERROR, "%s: data is not an object", name);
			break;
		}
		mod->run(f, data);
	}
	f->in_walk = false;
	cf_flow_unref(f);
}

void cf_flow_run_node(struct cf_flow *f, const json_t *node)
{
	if (f->finished)
		return;
	if (!json_is_object(node)) {
		cf_flow_stop(f, CF_END_ERROR, "callflow node is not an object");
		return;
	}
	f->next_node = node;
	walk(f);
}

static const json_t *child_for(const struct cf_flow *f, const char *key)
{
	const json_t *children = json_object_get(f->node, "children");
	const json_t *c = key ? json_object_get(children, key) : NULL;

	return json_is_object(c) ? c : NULL;
}

static void follow(struct cf_flow *f, const json_t *child, const char *key)
{
	if (!child || json_object_size(child) == 0) {
		cf_flow_stop(f, CF_END_TREE, "no child for \"%.64s\"", key ? key : "_");
		return;
	}
	cf_flow_run_node(f, child);
}

void cf_flow_next(struct cf_flow *f, const char *key)
{
	const json_t *c;

	if (f->finished)
		return;
	c = child_for(f, key);
	if (!c)
		c = child_for(f, "_");
	follow(f, c, key);
}

const char *cf_result_key(struct cf_result res)
{
	return cf_cause_name(res.cause);
}

void cf_flow_branch(struct cf_flow *f, struct cf_result res)
{
	char sip[16];
	const json_t *c;

	if (f->finished)
		return;
	f->report.last = res;
	if (res.cause == CF_HANGUP) {
		cf_flow_stop(f, CF_END_HANGUP, "caller hung up");
		return;
	}
	if (res.cause == CF_ANSWERED) {
		cf_flow_stop(f, CF_END_STOPPED, "bridged");
		return;
	}
	c = child_for(f, cf_result_key(res));
	if (!c && res.sip_code > 0) {
		snprintf(sip, sizeof(sip), "sip:%d", res.sip_code);
		c = child_for(f, sip);
	}
	if (!c)
		c = child_for(f, "_");
	follow(f, c, cf_result_key(res));
}

void cf_flow_jump(struct cf_flow *f, json_t *callflow)
{
	if (f->finished) {
		json_decref(callflow);
		return;
	}
	if (++f->report.jumps > f->eng->cfg.max_jumps) {
		json_decref(callflow);
		cf_flow_stop(f, CF_END_LOOP_GUARD, "more than %u callflow jumps",
			     f->eng->cfg.max_jumps);
		return;
	}
	if (json_array_append_new(f->held, callflow) != 0) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	cf_flow_run_node(f, json_object_get(callflow, "flow"));
}

/* A loopback walk brings its own call operations. */
static const struct cf_call_ops *ops_of(const struct cf_flow *f)
{
	return f->ops ? f->ops : f->eng->call;
}

/* Completions: the flow stays alive until the module's callback has run. */
struct thunk {
	struct cf_flow *f;
	cf_flow_doc_fn doc_cb;
	cf_flow_op_fn op_cb;
	void *arg;
};

static struct thunk *thunk_new(struct cf_flow *f, cf_flow_doc_fn doc_cb, cf_flow_op_fn op_cb,
			       void *arg)
{
	struct thunk *t = malloc(sizeof(*t));

	if (!t) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		if (doc_cb)
			doc_cb(f, arg, -ENOMEM, NULL);
		else if (op_cb)
			op_cb(f, arg, (struct cf_result){CF_FAILED, 0});
		return NULL;
	}
	t->f = f;
	t->doc_cb = doc_cb;
	t->op_cb = op_cb;
	t->arg = arg;
	cf_flow_ref(f);
	return t;
}

static void doc_done(void *arg, int err, json_t *result)
{
	struct thunk *t = arg;
	struct cf_flow *f = t->f;

	if (f->finished && err == 0) {
		json_decref(result);
		result = NULL;
		err = -ECANCELED;
	}
	if (err != 0) {
		json_decref(result);
		result = NULL;
	}
	if (err == 0 && !result)
		err = -EIO;	/* a store that claims success without a document */
	t->doc_cb(f, t->arg, err, result);
	free(t);
	cf_flow_unref(f);
}

static void op_done(void *arg, struct cf_result res)
{
	struct thunk *t = arg;
	struct cf_flow *f = t->f;

	if (t->op_cb)
		t->op_cb(f, t->arg, res);
	else
		cf_flow_branch(f, res);
	free(t);
	cf_flow_unref(f);
}

void cf_flow_load(struct cf_flow *f, const char *id, cf_flow_doc_fn cb, void *arg)
{
	struct thunk *t;

	if (!id || !*id) {
		cb(f, arg, -ENOENT, NULL);
		return;
	}
	t = thunk_new(f, cb, NULL, arg);
	if (t)
		f->eng->docs->load(f->eng->docs_arg, f->account_id, id, doc_done, t);
}

void cf_flow_list(struct cf_flow *f, const char *type, cf_flow_doc_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, cb, NULL, arg);

	if (t)
		f->eng->docs->list(f->eng->docs_arg, f->account_id, type, doc_done, t);
}

void cf_flow_find_callflows(struct cf_flow *f, const char *const *numbers, size_t n,
			    cf_flow_doc_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, cb, NULL, arg);

	if (t)
		f->eng->docs->find_callflows(f->eng->docs_arg, f->account_id, numbers, n,
					     doc_done, t);
}

void cf_flow_owned_by(struct cf_flow *f, const char *type, const char *owner_id,
		      cf_flow_doc_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, cb, NULL, arg);

	if (t)
		f->eng->docs->owned_by(f->eng->docs_arg, f->account_id, type, owner_id, doc_done,
				       t);
}

void cf_flow_save(struct cf_flow *f, const char *id, const json_t *doc, cf_flow_doc_fn cb,
		  void *arg)
{
	struct thunk *t = thunk_new(f, cb, NULL, arg);

	if (t)
		f->eng->docs->save(f->eng->docs_arg, f->account_id, id, doc, doc_done, t);
}

void cf_flow_bridge(struct cf_flow *f, const struct cf_bridge *b, cf_flow_op_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, NULL, cb, arg);

	if (!t)
		return;
	if (!ops_of(f)->bridge || b->n == 0)
		op_done(t, (struct cf_result){CF_FAILED, 0});
	else
		ops_of(f)->bridge(f->call, b, op_done, t);
}

void cf_flow_answer(struct cf_flow *f, cf_flow_op_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, NULL, cb, arg);

	if (!t)
		return;
	if (!ops_of(f)->answer)
		op_done(t, (struct cf_result){CF_FAILED, 0});
	else
		ops_of(f)->answer(f->call, op_done, t);
}

void cf_flow_play(struct cf_flow *f, const char *media_id, cf_flow_op_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, NULL, cb, arg);

	if (!t)
		return;
	if (!ops_of(f)->play)
		op_done(t, (struct cf_result){CF_FAILED, 0});
	else
		ops_of(f)->play(f->call, media_id, op_done, t);
}

void cf_flow_respond(struct cf_flow *f, int code, const char *message, const char *media,
		     cf_flow_op_fn cb, void *arg)
{
	struct thunk *t = thunk_new(f, NULL, cb, arg);

	if (!t)
		return;
	if (!ops_of(f)->respond)
		op_done(t, (struct cf_result){CF_FAILED, 0});
	else
		ops_of(f)->respond(f->call, code, message, media, op_done, t);
}

void cf_flow_set_caller_id(struct cf_flow *f, const struct cf_caller_id *cid)
{
	f->caller = *cid;
	if (ops_of(f)->set_caller_id)
		ops_of(f)->set_caller_id(f->call, cid);
}

uint64_t cf_flow_random(struct cf_flow *f)
{
	/* splitmix64: tiny, seedable, good enough to spread ring-group members */
	uint64_t z = (f->eng->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

time_t cf_flow_now(const struct cf_flow *f)
{
	return f->eng->cfg.now ? f->eng->cfg.now(f->eng->cfg.now_arg) : time(NULL);
}

const char *cf_flow_timezone(const struct cf_flow *f)
{
	const char *tz = json_string_value(json_object_get(f->account, "timezone"));

	return tz && *tz ? tz : f->eng->cfg.default_timezone;
}
