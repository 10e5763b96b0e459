/* The engine's bridge: ring the endpoints (their live registrations, through the outbound proxy
 * with the stored Path), with the caller's SDP pointed at the data plane; the first callee to
 * answer gets the ACK, its SDP goes to the data plane and the caller gets the 200 pointing at
 * the data plane; the others are cancelled. The bridge completes when that call ends, or with
 * why nobody answered. */
#include "call-int.h"

#include "bugle/log.h"
#include "call-gateway.h"
#include "call-keypress.h"
#include "call-media.h"
#include "cp/pg-pool.h"
#include "sip-stack.h"

#include <errno.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_RING_S 20

/* The newest live binding of the device. */
#define REGISTRATION_SQL                                                                    \
	"SELECT contact, COALESCE(path, '') FROM registrations_live"                         \
	" WHERE account_id = $1 AND device_id = $2 ORDER BY modified DESC LIMIT 1"

static void ring_next(struct call *call);
static void check_done(struct call *call);
static void ring(struct call *call, const struct cf_endpoint *ep);

static void random_hex(char *out, size_t cap, size_t bytes)
{
	unsigned char r[16];
	if (bytes > sizeof(r))
		bytes = sizeof(r);
	if (RAND_bytes(r, (int)bytes) != 1)
		memset(r, 0xa5, sizeof(r));
	size_t o = 0;
	for (size_t i = 0; i < bytes && o + 3 <= cap; i++)
		o += (size_t)snprintf(out + o, cap - o, "%02x", r[i]);
}

static const char *body_of(const osip_message_t *m, size_t *len)
{
	osip_body_t *body = NULL;
	if (osip_message_get_body(m, 0, &body) < 0 || !body || !body->body)
		return NULL;
	*len = body->length;
	return body->body;
}

static void complete(struct call *call, enum cf_cause cause, int code)
{
	if (!call->bridging)
		return;
	call->bridging = false;
	if (call->timer_open)
		uv_timer_stop(&call->timer);
	struct cf_result r = { .cause = cause, .sip_code = code };
	call->last_bridge = r;
	cf_op_done done = call->bridge_done;
	void *arg = call->bridge_arg;
	call->bridge_done = NULL;
	done(arg, r);
}

static void cancel_leg(struct call_bleg *b)
{
	if (b->done || b->cancel_sent || !b->tx)
		return;
	b->cancel_sent = true;
	csip_stack_cancel(b->call->ctl->stack, b->tx, NULL, NULL);
}

static void cancel_all(struct call *call, const struct call_bleg *except)
{
	for (struct call_bleg *b = call->blegs; b; b = b->next)
		if (b != except)
			cancel_leg(b);
}

static bool ringing_any(const struct call *call)
{
	for (const struct call_bleg *b = call->blegs; b; b = b->next)
		if (!b->done)
			return true;
	return false;
}

/* A forward's carrier legs (cf_endpoint.failover_group): as the resources module, the next
 * carrier is tried after 408, 5xx or a transport failure, not after busy or a decline. */
static bool failed_over(const struct call_bleg *b)
{
	return b->done && !b->answered && !b->cancel_sent &&
	       (b->status == 408 || (b->status >= 500 && b->status < 600));
}

/* 1: every leg of the group's rank (of this bridge, before `upto`) failed over; 0: some did
 * not or still rings; -1: none of that rank was rung. */
static int rank_failed_over(const struct call *call, const struct call_bleg *upto,
			    unsigned group, unsigned rank)
{
	int seen = -1;
	for (const struct call_bleg *b = upto; b && b != call->blegs_before; b = b->next) {
		if (b->ep.failover_group != group || b->ep.failover_rank != rank)
			continue;
		if (!failed_over(b))
			return 0;
		seen = 1;
	}
	return seen;
}

/* Rings the next carrier of every forward whose current one failed over; whether any rang. */
static bool fail_over(struct call *call)
{
	struct call_bleg *head = call->blegs;
	for (size_t i = 0; i < call->n_eps; i++) {
		const struct cf_endpoint *ep = &call->eps[i];
		if (!ep->failover_group || !ep->failover_rank ||
		    rank_failed_over(call, head, ep->failover_group, ep->failover_rank) != -1 ||
		    rank_failed_over(call, head, ep->failover_group, ep->failover_rank - 1) != 1)
			continue;
		call->ctl->c.forward_failovers++;
		ring(call, ep);
	}
	return call->blegs != head; /* a leg that could not even be made does not count */
}

/* Nobody rings any more and nobody answered: the bridge reports why. */
static void check_done(struct call *call)
{
	if (!call->bridging || call->winner || call->keypress || ringing_any(call))
		return;
	if (call->caller_gone) {
		complete(call, CF_HANGUP, 0);
	} else if (fail_over(call)) {
		check_done(call); /* legs that could not even be sent */
		return;
	} else if (call->strategy == CF_STRATEGY_SINGLE && call->next_ep < call->n_eps) {
		ring_next(call);
		return;
	} else if (call->busy_seen) {
		complete(call, CF_BUSY, 486);
	} else if (call->no_answer_seen) {
		complete(call, CF_NO_ANSWER, 480);
	} else if (call->last_code >= 300) {
		complete(call, CF_REJECTED, call->last_code);
	} else {
		complete(call, CF_FAILED, 0);
	}
	call_maybe_retire(call);
}

static void leg_failed(struct call_bleg *b, int status)
{
	struct call *call = b->call;
	b->done = true;
	b->status = status;
	if (status == 486 || status == 600)
		call->busy_seen = true;
	else if (status == 408 || status == 480 || (status == 487 && b->cancel_sent))
		call->no_answer_seen = call->no_answer_seen || !call->caller_gone;
	else if (status >= 300)
		call->last_code = status;
}

/* The caller's 200 once the data plane knows where the callee's media goes. */
static void answer_media(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_bleg *b = arg;
	struct call *call = b->call;
	call->media_pending = false;
	char sdp[CALL_SDP_MAX];
	if (ok)
		call->media_session = true;
	else
		call->ctl->c.media_failed++;
	if (call->caller_gone || !b->answered) {
		/* The caller left or the callee hung up meanwhile: that path ends the call. */
	} else if (!ok && call->flow_answered) {
		/* answered by the flow (call-play.c): no 503 possible any more, only BYEs */
		call_hangup_answered(call);
	} else if (call->flow_answered) {
		/* the caller has had its 200 (call-play.c): the session now relays both ways */
		call->ctl->c.answered++;
		call_event(call, NULL, CALL_EV_BRIDGE);
		call_event(call, b, CALL_EV_BRIDGE);
	} else if (!ok || call_answer_toward_a(call, call->b_sdp, ip, port, sdp, sizeof(sdp)) < 0 ||
		   call_a_respond(call, 200, "OK", sdp) < 0) {
		call_a_respond(call, 503, "Service Unavailable", NULL);
		call->caller_gone = true;
		call_hangup_answered(call);
	} else {
		call->ctl->c.answered++;
		call->answered_us = call_now_us();
		call_event(call, NULL, CALL_EV_ANSWER);
		call_event(call, NULL, CALL_EV_BRIDGE);
		call_event(call, b, CALL_EV_BRIDGE);
	}
	call_maybe_retire(call);
	call_unref(call);
}

bool call_bridge_take(struct call_bleg *b, const char *body, size_t len)
{
	struct call *call = b->call;
	struct call_ctl *ctl = call->ctl;
	struct call_sdp_audio audio;
	if (call->winner || !call->bridging || call->caller_gone || len >= sizeof(call->b_sdp) ||
	    call_sdp_parse(body, len, &audio) < 0)
		return false;
	memcpy(call->b_sdp, body, len);
	call->b_sdp[len] = '\0';
	call->winner = b;
	b->answered_us = call_now_us();
	call_event(call, b, CALL_EV_ANSWER);
	if (call->timer_open)
		uv_timer_stop(&call->timer);
	cancel_all(call, b);
	call_keypress_abort(call, b); /* a forward's answerer still asked for its key */
	call_leg_keys(call, b, &audio);
	call->media_pending = true;
	call_ref(call);
	if (call_media_answer(ctl->dp, call->call_id, &audio, answer_media, b) < 0) {
		call->media_pending = false;
		call_unref(call);
		ctl->c.media_failed++;
		call->winner = NULL;
		return false;
	}
	return true;
}

void call_bridge_refuse(struct call_bleg *b, bool send_bye)
{
	struct call *call = b->call;
	b->answered = false;
	if (send_bye) {
		osip_message_t *bye = call_in_dialog_new(&b->dlg, "BYE", NULL);
		if (bye)
			csip_stack_send_request(call->ctl->stack, bye, NULL, NULL, NULL);
	}
	call->no_answer_seen = call->no_answer_seen || !call->caller_gone;
	call_event(call, b, CALL_EV_DESTROY);
	check_done(call);
	call_maybe_retire(call);
}

/* The first 2xx: ACK it, cancel the others, hand its SDP to the data plane. */
static void leg_answered(struct call_bleg *b, const osip_message_t *resp)
{
	struct call *call = b->call;
	struct call_ctl *ctl = call->ctl;
	struct call_dialog d;
	bool dialog_ok = call_dialog_from_response(b->invite, resp, &d) == 0;
	b->done = true;
	b->status = resp->status_code;
	if (dialog_ok) {
		b->dlg = d;
		osip_message_t *ack = call_ack_new(&b->dlg, b->invite);
		if (ack)
			csip_stack_send_ack(ctl->stack, ack, NULL);
	}
	if (!dialog_ok)
		return; /* cannot even ACK: the callee times out and gives up */
	b->answered = true;
	bool late = call->winner || !call->bridging || call->caller_gone;
	size_t len = 0;
	const char *body = body_of(resp, &len);
	struct call_sdp_audio audio;
	if (!late && body && len < sizeof(call->b_sdp) && call_sdp_parse(body, len, &audio) == 0) {
		if (b->ep.require_keypress)
			/* a forward's answerer presses 1 first (call-keypress.c) */
			late = call_keypress_start(b, body, len) < 0;
		else
			late = !call_bridge_take(b, body, len);
	} else {
		late = true;
	}
	if (late) {
		/* Answered too late, or with nothing we can relay: hang that callee up. */
		b->answered = false;
		osip_message_t *bye = call_in_dialog_new(&b->dlg, "BYE", NULL);
		if (bye)
			csip_stack_send_request(ctl->stack, bye, NULL, NULL, NULL);
		if (!call->winner && resp->status_code < 300)
			call->last_code = 488;
	}
}

static void leg_provisional(void *arg, const osip_message_t *resp)
{
	struct call_bleg *b = arg;
	struct call *call = b->call;
	if (call->caller_gone || call->a_state != CALL_A_ROUTING)
		return;
	size_t len = 0;
	const char *body = resp->status_code == 183 ? body_of(resp, &len) : NULL;
	if (body && call_early_media(b, body, len))
		return; /* call-media-early.c tells the caller */
	if (call->ringing_sent)
		return;
	if (resp->status_code == 180 || resp->status_code == 183) {
		call->ringing_sent = true;
		call_a_respond(call, 180, "Ringing", NULL);
	}
}

static void leg_final(void *arg, int status, const osip_message_t *resp)
{
	struct call_bleg *b = arg;
	struct call *call = b->call;
	if (call_gateway_auth_retry(b, status, resp, leg_provisional, leg_final))
		return; /* the INVITE went again with credentials (call-gateway.c) */
	if (status >= 200 && status < 300 && resp) {
		leg_answered(b, resp);
	} else {
		leg_failed(b, status);
		if (b->sent)
			call_event(call, b, CALL_EV_DESTROY);
	}
	csip_tx_unref(b->tx);
	b->tx = NULL;
	check_done(call);
	call_maybe_retire(call);
	call_unref(call);
}

/* "<sip:a;lr>, <sip:b;lr>" -> "<sip:a;lr>": our edge's own entry comes first. */
static void first_path(const char *path, char *out, size_t cap)
{
	out[0] = '\0';
	const char *end = strchr(path, '>');
	size_t n = end ? (size_t)(end - path) + 1 : strlen(path);
	while (*path == ' ' && n) {
		path++;
		n--;
	}
	if (n && n < cap) {
		memcpy(out, path, n);
		out[n] = '\0';
	}
}

static void registration_found(void *arg, const PGresult *res, const char *error)
{
	struct call_bleg *b = arg;
	struct call *call = b->call;
	struct call_ctl *ctl = call->ctl;
	if (error || !res || PQntuples(res) < 1 || !call->bridging || call->caller_gone) {
		if (!error && res && PQntuples(res) < 1)
			ctl->c.no_registration++;
		b->done = true;
		b->status = 480;
		call->no_answer_seen = call->no_answer_seen || (!error && res);
		check_done(call);
		call_maybe_retire(call);
		call_unref(call);
		return;
	}
	char route[1024], sdp[CALL_SDP_MAX];
	first_path(PQgetvalue(res, 0, 1), route, sizeof(route));
	struct call_b_invite o = {
		.target = PQgetvalue(res, 0, 0),
		.call_id = b->call_id,
		.from_tag = b->from_tag,
		.contact = ctl->contact,
		.caller_name = b->ep.cid_set ? b->ep.cid.name : call->cid.name,
		.caller_number = b->ep.cid_set ? b->ep.cid.number : call->cid.number,
		.sdp = sdp,
	};
	osip_message_t *inv = NULL;
	if (call_offer_toward_b(call, b, sdp, sizeof(sdp)) == 0)
		inv = call_b_invite_new(call->a_inv, &o);
	if (inv && osip_message_clone(inv, &b->invite) != 0) {
		osip_message_free(inv);
		inv = NULL;
	}
	int rc = inv ? 0 : -ENOMEM;
	if (inv) {
		b->sent = true;
		rc = csip_stack_send_invite(ctl->stack, inv, route[0] ? route : NULL,
					    leg_provisional, leg_final, b, &b->tx);
	}
	if (rc < 0) {
		b->sent = false;
		b->done = true;
		b->status = 500;
		check_done(call);
		call_maybe_retire(call);
		call_unref(call);
		return;
	}
	ctl->c.blegs++;
	b->created_us = call_now_us();
	call_event(call, b, CALL_EV_CREATE);
	/* The reference now belongs to the INVITE's outcome (leg_final). */
}

static void ring(struct call *call, const struct cf_endpoint *ep)
{
	struct call_ctl *ctl = call->ctl;
	struct call_bleg *b = calloc(1, sizeof(*b));
	if (!b)
		return;
	b->call = call;
	b->ep = *ep;
	random_hex(b->call_id, sizeof(b->call_id), 16);
	random_hex(b->from_tag, sizeof(b->from_tag), 6);
	b->next = call->blegs;
	call->blegs = b;
	call_ref(call);
	if (ep->kind == CF_EP_GATEWAY) {
		call_gateway_ring(b, leg_provisional, leg_final);
		return;
	}
	const char *params[2] = { call->account_id, ep->device_id };
	int rc = ctl->pg ? cp_pg_query(ctl->pg, REGISTRATION_SQL, 2, params, registration_found, b)
			 : -ENOTCONN;
	if (rc < 0) {
		b->done = true;
		b->status = 503;
		call_unref(call);
	}
}

static void ring_timeout(uv_timer_t *t)
{
	struct call *call = t->data;
	call->no_answer_seen = true;
	cancel_all(call, NULL);
	/* Legs still waiting for their registration lookup stop there. */
	check_done(call);
}

static unsigned ring_seconds(const struct cf_endpoint *ep, unsigned bridge_s)
{
	if (ep && ep->timeout_s)
		return ep->timeout_s;
	return bridge_s ? bridge_s : DEFAULT_RING_S;
}

/* A forward's next carriers ring only when its first fails over (fail_over). */
static void skip_failover_ranks(struct call *call)
{
	while (call->next_ep < call->n_eps && call->eps[call->next_ep].failover_rank)
		call->next_ep++;
}

static void ring_next(struct call *call)
{
	const struct cf_endpoint *ep = &call->eps[call->next_ep++];
	skip_failover_ranks(call);
	uv_timer_start(&call->timer, ring_timeout,
		       1000ull * ring_seconds(ep, call->bridge_timeout_s), 0);
	ring(call, ep);
	check_done(call);
}

static void ring_all(struct call *call)
{
	unsigned longest = 0;
	for (size_t i = 0; i < call->n_eps; i++) {
		unsigned s = ring_seconds(&call->eps[i], 0);
		if (s > longest)
			longest = s;
	}
	/* Delays are not honoured yet: every endpoint rings at once. */
	unsigned s = call->bridge_timeout_s ? call->bridge_timeout_s : longest;
	uv_timer_start(&call->timer, ring_timeout, 1000ull * s, 0);
	call->next_ep = call->n_eps;
	for (size_t i = 0; i < call->n_eps; i++)
		if (!call->eps[i].failover_rank)
			ring(call, &call->eps[i]);
	check_done(call);
}

static void start_ringing(struct call *call)
{
	if (call->strategy == CF_STRATEGY_SINGLE)
		ring_next(call);
	else
		ring_all(call);
}

/* Where callees send their media is known: ring them. */
static void offer_media(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call *call = arg;
	call->media_pending = false;
	if (ok) {
		call->offered = true;
		snprintf(call->toward_b_ip, sizeof(call->toward_b_ip), "%s", ip);
		call->toward_b_port = port;
	}
	if (!call->bridging) {
		/* nothing */
	} else if (call->caller_gone) {
		complete(call, CF_HANGUP, 0);
	} else if (!ok) {
		call->ctl->c.media_failed++;
		complete(call, CF_FAILED, 503);
	} else {
		start_ringing(call);
	}
	call_maybe_retire(call);
	call_unref(call);
}

/* The data plane's session with the caller's leg a (rc < 0: none to offer); the callees ring
 * once it has answered (offer_media). */
static void offer_to_dp(struct call *call, int rc, const struct call_sdp_audio *a)
{
	struct call_ctl *ctl = call->ctl;
	if (!call->bridging || call->caller_gone) {
		/* the caller left while its codecs were looked up (delayed offer) */
		complete(call, CF_HANGUP, 0);
		call_maybe_retire(call);
		return;
	}
	call->media_pending = true;
	call_ref(call);
	if (rc == 0)
		rc = call_media_offer(ctl->dp, call->call_id, call->account_id, a, offer_media,
				      call);
	if (rc < 0) {
		call->media_pending = false;
		call_unref(call);
		ctl->c.media_failed++;
		complete(call, CF_FAILED, 503);
	}
}

void call_bridge(void *callp, const struct cf_bridge *b, cf_op_done done, void *done_arg)
{
	struct call *call = callp;
	/* After the flow answered (call-play.c) the callee's answer gets no second 200. */
	if (call->caller_gone || (call->a_state != CALL_A_ROUTING &&
				  !(call->a_state == CALL_A_ANSWERED && call->flow_answered))) {
		done(done_arg, (struct cf_result){ .cause = CF_HANGUP });
		return;
	}
	size_t n = 0;
	struct cf_endpoint *eps = b->n ? calloc(b->n, sizeof(*eps)) : NULL;
	for (size_t i = 0; eps && i < b->n; i++)
		if (b->endpoints[i].kind == CF_EP_DEVICE || b->endpoints[i].kind == CF_EP_GATEWAY)
			/* the engine turns forwards into what they ring (cf-forward.h) */
			eps[n++] = b->endpoints[i];
	if (call->bridging || n == 0) {
		free(eps);
		done(done_arg, (struct cf_result){ .cause = CF_FAILED, .sip_code = 0 });
		return;
	}
	free(call->eps);
	call->eps = eps;
	call->n_eps = n;
	call->next_ep = 0;
	skip_failover_ranks(call);
	call->blegs_before = call->blegs;
	call->strategy = b->strategy;
	call->bridge_timeout_s = b->timeout_s;
	call->bridging = true;
	call->bridge_done = done;
	call->bridge_arg = done_arg;
	call->busy_seen = call->no_answer_seen = false;
	call->last_code = 0;
	if (call->offered) {
		start_ringing(call);
		return;
	}
	if (call_invite_without_offer(call->a_inv)) {
		call_late_offer_start(call, offer_to_dp); /* delayed offer: call-late.c */
		return;
	}
	size_t len = 0;
	const char *body = body_of(call->a_inv, &len);
	if (body && len < sizeof(call->a_sdp)) {
		memcpy(call->a_sdp, body, len);
		call->a_sdp[len] = '\0';
	}
	int rc = body && len < sizeof(call->a_sdp)
			 ? call_sdp_parse(call->a_sdp, len, &call->a_audio)
			 : -EINVAL;
	if (rc == 0)
		rc = call_a_keys_new(call); /* SDES toward a caller that offered it */
	offer_to_dp(call, rc, &call->a_audio);
}

void call_bridge_caller_gone(struct call *call)
{
	call->caller_gone = true;
	call_keypress_abort(call, NULL);
	cancel_all(call, NULL);
	check_done(call);
}

void call_bridge_over(struct call *call)
{
	if (call->winner)
		complete(call, CF_ANSWERED, 200);
}
