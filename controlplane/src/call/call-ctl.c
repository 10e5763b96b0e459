/* The controller: its calls, their references, and the SIP node's hook. */
#include "call-int.h"

#include "bugle/log.h"
#include "call-media.h"
#include "call-docs.h"
#include "response.h"
#include "sip-stack.h"

#include <errno.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct call *call_new(struct call_ctl *ctl)
{
	struct call *call = calloc(1, sizeof(*call));
	if (!call)
		return NULL;
	call->ctl = ctl;
	call->refs = 1; /* the table's */
	if (uv_timer_init(ctl->loop, &call->timer) < 0) {
		free(call);
		return NULL;
	}
	call->timer.data = call;
	call->timer_open = true;
	call->refs++; /* the timer handle's, dropped when libuv has closed it */
	if (uv_timer_init(ctl->loop, &call->retx) == 0) {
		call->retx.data = call;
		call->retx_open = true;
		call->refs++;
	}
	if (uv_timer_init(ctl->loop, &call->ri_retx) == 0) {
		call->ri_retx.data = call;
		call->ri_retx_open = true;
		call->refs++;
	}
	call->next = ctl->calls;
	ctl->calls = call;
	ctl->c.live++;
	return call;
}

void call_ref(struct call *call)
{
	call->refs++;
}

static void call_free(struct call *call)
{
	struct call_bleg *b = call->blegs;
	while (b) {
		struct call_bleg *next = b->next;
		csip_tx_unref(b->tx);
		if (b->invite)
			osip_message_free(b->invite);
		free(b);
		b = next;
	}
	csip_tx_unref(call->a_tx);
	free(call->a_2xx);
	if (call->a_inv)
		osip_message_free(call->a_inv);
	free(call->eps);
	free(call);
}

void call_unref(struct call *call)
{
	if (--call->refs == 0)
		call_free(call);
}

static void timer_closed(uv_handle_t *h)
{
	call_unref(h->data);
}

static bool in_table(const struct call *call)
{
	for (const struct call *c = call->ctl->calls; c; c = c->next)
		if (c == call)
			return true;
	return false;
}

void call_maybe_retire(struct call *call)
{
	if (call->flow_running || call->bridging || call->media_pending ||
	    call->a_state == CALL_A_NEW || call->a_state == CALL_A_ROUTING ||
	    call->a_state == CALL_A_ANSWERED || !in_table(call))
		return;
	struct call_ctl *ctl = call->ctl;
	for (struct call **p = &ctl->calls; *p; p = &(*p)->next)
		if (*p == call) {
			*p = call->next;
			break;
		}
	ctl->c.live--;
	for (struct call_bleg *b = call->blegs; b; b = b->next)
		if (b->sent && !b->destroyed)
			call_event(call, b, CALL_EV_DESTROY);
	if (call->created_us && !call->a_destroyed)
		call_event(call, NULL, CALL_EV_DESTROY);
	if (call->media_session || call->offered)
		call_media_delete(ctl->dp, call->call_id);
	if (call->timer_open) {
		call->timer_open = false;
		uv_close((uv_handle_t *)&call->timer, timer_closed);
	}
	if (call->retx_open) {
		call->retx_open = false;
		uv_close((uv_handle_t *)&call->retx, timer_closed);
	}
	if (call->ri_retx_open) {
		call->ri_retx_open = false;
		uv_close((uv_handle_t *)&call->ri_retx, timer_closed);
	}
	call_unref(call);
}

struct call *call_find(struct call_ctl *ctl, const char *call_id, struct call_bleg **leg)
{
	*leg = NULL;
	for (struct call *c = ctl->calls; c; c = c->next) {
		if (strcmp(c->call_id, call_id) == 0)
			return c;
		for (struct call_bleg *b = c->blegs; b; b = b->next)
			if (b->sent && strcmp(b->call_id, call_id) == 0) {
				*leg = b;
				return c;
			}
	}
	return NULL;
}

void call_reply(struct csip_tx *tx, const osip_message_t *req, int code, const char *reason)
{
	osip_message_t *resp = csip_response_new(req, code, reason, NULL);
	if (resp)
		csip_tx_respond(tx, resp);
}

/* A draining node refuses a new dialog (no To tag) with 503 and Retry-After (RFC 3261
 * 21.5.4) so the caller tries another node; true when it did. */
static bool call_refuse_drained(struct call_ctl *ctl, struct csip_tx *tx,
				const osip_message_t *req)
{
	osip_generic_param_t *tag = NULL;
	if (req->to && osip_to_get_tag(req->to, &tag) == 0 && tag)
		return false;
	ctl->c.drained++;
	osip_message_t *resp = csip_response_new(req, 503, "Service Unavailable", NULL);
	if (resp && osip_message_set_header(resp, "Retry-After", "30") == 0) {
		csip_tx_respond(tx, resp);
		return true;
	}
	if (resp)
		osip_message_free(resp);
	call_reply(tx, req, 503, "Service Unavailable");
	return true;
}

struct call_ctl *call_ctl_new(const struct call_ctl_options *o)
{
	struct call_ctl *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = o->loop;
	c->stack = o->stack;
	c->pg = o->pg;
	c->dp = o->dp;
	c->events = o->events;
	static const bool never;
	c->draining = o->draining ? o->draining : &never;
	c->nonce_ttl_s = o->nonce_ttl_s ? o->nonce_ttl_s : 300;
	snprintf(c->contact, sizeof(c->contact), "<sip:%s>", o->listen);
	struct cf_config def = cf_config_default();
	if (csip_nonce_key_random(&c->key) < 0 ||
	    RAND_bytes((unsigned char *)&c->nonce_salt, sizeof(c->nonce_salt)) != 1) {
		free(c);
		return NULL;
	}
	c->engine = cf_engine_new(o->engine ? o->engine : &def, &call_ops, &call_doc_ops, o->pg);
	if (!c->engine) {
		free(c);
		return NULL;
	}
	return c;
}

void call_ctl_close(struct call_ctl *c)
{
	if (!c)
		return;
	c->closing = true;
	/* Calls keep their own references; the engine is freed once every flow has ended, which
	 * for calls still routing happens when their pending operations fail. */
	struct call *next = NULL;
	for (struct call *call = c->calls; call; call = next) {
		/* Ending a call may take it out of the table (and free it). */
		next = call->next;
		if (call->a_state == CALL_A_ANSWERED)
			call_hangup_answered(call);
		else if (call->a_state == CALL_A_ROUTING)
			call_a_respond(call, 503, "Service Unavailable", NULL);
	}
	if (!c->calls) {
		cf_engine_free(c->engine);
		free(c);
	} else {
		BGL_WARN("call: %llu calls still live at shutdown",
			 (unsigned long long)c->c.live);
	}
}

void call_ctl_counters(const struct call_ctl *c, struct call_counters *out)
{
	*out = c->c;
}

void call_ctl_on_request(void *arg, struct csip_tx *tx, osip_message_t *req)
{
	struct call_ctl *ctl = arg;
	if (ctl->closing) {
		call_reply(tx, req, 503, "Service Unavailable");
		return;
	}
	if (MSG_IS_INVITE(req) && *ctl->draining && call_refuse_drained(ctl, tx, req))
		return;
	if (call_require_refused(ctl, tx, req))
		return; /* 420: e.g. Require: 100rel, we send no reliable provisionals */
	if (MSG_IS_INVITE(req))
		call_auth_invite(ctl, tx, req);
	else if (MSG_IS_BYE(req))
		call_on_bye(ctl, tx, req);
	else if (MSG_IS_CANCEL(req))
		call_on_cancel(ctl, tx, req);
	else if (MSG_IS_UPDATE(req))
		call_on_update(ctl, tx, req);
	else
		call_reply(tx, req, 501, "Not Implemented");
}

void call_ctl_on_ack(void *arg, const osip_message_t *ack)
{
	struct call_ctl *ctl = arg;
	char *cid = NULL;
	if (!ack->call_id || osip_call_id_to_str(ack->call_id, &cid) != 0 || !cid)
		return;
	struct call_bleg *leg = NULL;
	struct call *call = call_find(ctl, cid, &leg);
	osip_free(cid);
	/* The caller's ACK confirms our 200: no more retransmissions. A callee never ACKs. An
	 * ACK for an earlier answer (a 407 ACKed with another branch than its INVITE's) has an
	 * older CSeq or another To tag: it must not stop them. */
	if (call && call_reinvite_ack(call, leg, ack))
		return;
	osip_generic_param_t *tag = NULL;
	if (!call || leg || !ack->cseq || !ack->cseq->number || !call->a_inv->cseq ||
	    strcmp(ack->cseq->number, call->a_inv->cseq->number) != 0 || !ack->to ||
	    osip_to_get_tag(ack->to, &tag) != 0 || !tag || !tag->gvalue ||
	    strcmp(tag->gvalue, call->a_tag) != 0) {
		ctl->c.stray++;
		return;
	}
	call_a_acked(call);
	call_late_ack(call, ack); /* delayed offer: the ACK carries the caller's answer */
}
