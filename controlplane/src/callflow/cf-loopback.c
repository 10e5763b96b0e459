/* The loopback walk: a child flow over the parent's call documents whose call operations only
 * record what would ring. The recorder lives in the child's own allocation, so that it lasts
 * as long as any operation can reach it. */
#include "cf-loopback.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cf-flow-int.h"

struct loopback {
	struct cf_flow *parent;
	struct cf_ep_list out;
	unsigned gateway_ranks;		/* gateway bridges recorded so far */
	bool devices_seen;
	bool cid_set;
	struct cf_caller_id cid;
	bool reported;			/* the walk ended: late operations find the call gone */
	cf_loopback_fn cb;
	void *arg;
};

struct loopback_flow {
	struct cf_flow f;		/* first: cf_flow_unref frees the whole block */
	struct loopback lb;
};

static void record(struct loopback *lb, const struct cf_bridge *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct cf_endpoint ep = b->endpoints[i];

		if (ep.kind == CF_EP_GATEWAY)
			ep.failover_rank = lb->gateway_ranks;
		if (!ep.timeout_s)
			ep.timeout_s = b->timeout_s;
		if (!ep.cid_set && lb->cid_set) {
			ep.cid_set = true;
			ep.cid = lb->cid;
		}
		if (cf_ep_list_push(&lb->out, &ep) != 0)
			break;	/* what fits rings; the rest is left out */
	}
}

static bool all_gateways(const struct cf_bridge *b)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->endpoints[i].kind != CF_EP_GATEWAY)
			return false;
	return b->n > 0;
}

static void lb_bridge(void *call, const struct cf_bridge *b, cf_op_done done, void *arg)
{
	struct loopback *lb = call;

	if (lb->reported) {
		done(arg, (struct cf_result){CF_HANGUP, 0});
		return;
	}
	if (all_gateways(b) && !lb->devices_seen) {
		record(lb, b);
		lb->gateway_ranks++;
		/* as a carrier's 503: the resources module offers its next carrier */
		done(arg, (struct cf_result){CF_REJECTED, 503});
		return;
	}
	if (lb->gateway_ranks == 0) {
		lb->devices_seen = true;
		record(lb, b);
	}
	/* what the walk rings is known: it ends here, as if bridged */
	done(arg, (struct cf_result){CF_ANSWERED, 200});
}

static void lb_unanswerable(void *call, cf_op_done done, void *arg)
{
	struct loopback *lb = call;

	/* no media on a walk */
	done(arg, (struct cf_result){lb->reported ? CF_HANGUP : CF_FAILED, 0});
}

static void lb_play(void *call, const char *media_id, cf_op_done done, void *arg)
{
	(void)media_id;
	lb_unanswerable(call, done, arg);
}

static void lb_respond(void *call, int code, const char *message, const char *media,
		       cf_op_done done, void *arg)
{
	struct loopback *lb = call;

	(void)message, (void)media;
	if (code >= 300 && !lb->reported)
		cf_ep_list_skip(&lb->out, (struct cf_result){CF_REJECTED, code});
	done(arg, (struct cf_result){CF_OK, 0});
}

static void lb_set_caller_id(void *call, const struct cf_caller_id *cid)
{
	struct loopback *lb = call;

	lb->cid_set = true;
	lb->cid = *cid;
}

static void lb_hangup(void *call, const char *cause, int sip_code)
{
	(void)call, (void)cause, (void)sip_code;
}

static const struct cf_call_ops loopback_ops = {
	.answer = lb_unanswerable,
	.bridge = lb_bridge,
	.play = lb_play,
	.respond = lb_respond,
	.set_caller_id = lb_set_caller_id,
	.hangup = lb_hangup,
};

static void walked(void *arg, const struct cf_flow_report *rep)
{
	struct loopback *lb = arg;
	struct cf_flow *parent = lb->parent;

	(void)rep;	/* whatever ended the walk, what it recorded is what rings */
	lb->reported = true;
	if (lb->out.n == 0)
		cf_ep_list_skip(&lb->out, (struct cf_result){CF_FAILED, 404});	/* rings nobody */
	lb->cb(parent, lb->arg, 0, &lb->out);
	memset(&lb->out, 0, sizeof(lb->out));	/* the callback owns it */
	cf_flow_unref(parent);
}

static json_t *incref_or_null(const json_t *j)
{
	return j ? json_incref((json_t *)j) : NULL;
}

static struct cf_flow *child_of(struct cf_flow *p, const char *number, const struct cf_match *m)
{
	struct loopback_flow *blk = calloc(1, sizeof(*blk));
	struct cf_flow *f = blk ? &blk->f : NULL;
	struct loopback *lb = blk ? &blk->lb : NULL;

	if (!f)
		return NULL;
	f->refs = 1;	/* the walk's */
	f->eng = p->eng;
	f->call = lb;
	f->ops = &loopback_ops;
	f->loopback = true;
	f->done = walked;
	f->done_arg = lb;
	f->held = json_array();
	f->empty = json_object();
	f->vars = json_deep_copy(p->vars);	/* the walk's branch variables are its own */
	f->account = incref_or_null(p->account);
	f->caller_device = incref_or_null(p->caller_device);
	f->caller_user = incref_or_null(p->caller_user);
	if (!f->held || !f->empty || !f->vars ||
	    json_array_append(f->held, (json_t *)m->callflow) != 0) {
		cf_flow_unref(f);
		return NULL;
	}
	memcpy(f->account_id, p->account_id, sizeof(f->account_id));
	memcpy(f->call_id, p->call_id, sizeof(f->call_id));
	memcpy(f->auth_type, p->auth_type, sizeof(f->auth_type));
	memcpy(f->auth_id, p->auth_id, sizeof(f->auth_id));
	cf_copy(f->dialed, sizeof(f->dialed), number);
	cf_copy(f->number, sizeof(f->number), number);
	f->caller = p->caller;
	f->received = p->received;
	f->caller_is_device = p->caller_is_device;
	f->n_captures = m->n_captures < CF_CAPTURES_MAX ? m->n_captures : CF_CAPTURES_MAX;
	for (unsigned i = 0; i < f->n_captures; i++)
		cf_copy(f->captures[i], sizeof(f->captures[i]), m->captures[i]);
	cf_copy(f->report.callflow_id, sizeof(f->report.callflow_id),
		json_string_value(json_object_get(m->callflow, "id")));
	return f;
}

void cf_loopback_run(struct cf_flow *parent, const char *number, const struct cf_match *m,
		     cf_loopback_fn cb, void *arg)
{
	struct cf_flow *f = child_of(parent, number, m);
	struct loopback *lb = f ? f->call : NULL;

	if (!f) {
		cb(parent, arg, -ENOMEM, &(struct cf_ep_list){0});
		return;
	}
	lb->parent = parent;
	lb->cb = cb;
	lb->arg = arg;
	cf_flow_ref(parent);	/* until the walk reports */
	cf_flow_run_node(f, json_object_get(m->callflow, "flow"));
}
