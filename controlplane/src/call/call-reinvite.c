/* Re-INVITEs in an answered call (RFC 3261 §14, RFC 3264 §8): hold, unhold and new media
 * addresses from either side. The offer updates the data plane's leg of the side that sent it
 * and goes on to the other side in that side's dialog, pointed at the data plane; the answer
 * updates the answering side's leg and comes back pointed at the data plane; the sender's ACK is
 * relayed as the ACK of the other side's 2xx. Our 2xx is resent until that ACK (T1 doubling to
 * T2); without it after 64*T1 the call ends with BYEs (§13.3.1.4).
 * A re-INVITE without SDP (delayed offer) goes on without SDP: the other side's 2xx carries
 * the offer (its leg updated), our 2xx carries it to the sender pointed at the data plane, and
 * the sender's ACK carries the answer (its leg updated), relayed in our ACK.
 * An UPDATE with SDP (RFC 3311) is relayed as a re-INVITE to the other side (every device
 * takes one); our 200 to the UPDATE carries the answer and the other side is ACKed at once.
 * One at a time per call (§14.2, RFC 3311 §5.2): a request from the side whose own offer is
 * still unanswered gets 500 with Retry-After; from the other side, while ours toward it is in
 * progress, 491 (glare); the other side's 491 comes back as it is. UPDATE without SDP (session
 * timer refreshes) is answered 200 in the dialog. */
#include "call-int.h"

#include "call-media.h"
#include "response.h"
#include "sip-stack.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct call_reinvite {
	struct call *call;
	struct call_bleg *from;		/* the callee who sent it; NULL: the caller */
	struct csip_tx *tx;		/* its server transaction (ref) until our final answer */
	osip_message_t *req;		/* a copy of it */
	osip_message_t *sent;		/* a copy of the re-INVITE we sent to the other side */
	struct csip_tx *sent_tx;	/* (ref) while that one runs */
	osip_message_t *ack;		/* the other side's ACK, sent when the sender ACKs */
	struct call_sdp_audio offer, answer;
	char answer_sdp[CALL_SDP_MAX];	/* the other side's SDP (its answer, or its offer: late) */
	char ack_sdp[CALL_SDP_MAX];	/* late: the sender's answer in its ACK */
	bool update;			/* an UPDATE: no ACK follows our 200 */
	bool late;			/* no SDP in it: the other side's 2xx offers, the ACK answers */
	bool acked;			/* the sender's ACK came (late: its answer being relayed) */
	/* our 2xx, resent until the sender's ACK (call->ri_retx) */
	char *resp_2xx;
	size_t resp_2xx_len;
	struct sockaddr_in resp_to;
	unsigned retx_interval_ms, retx_elapsed_ms;
	unsigned ops;			/* data-plane calls and the relayed INVITE in flight */
	bool over;			/* out of the call: freed once ops is 0 */
};

static struct call *find(struct call_ctl *ctl, const osip_message_t *req, struct call_bleg **leg)
{
	char *cid = NULL;
	*leg = NULL;
	if (!req->call_id || osip_call_id_to_str(req->call_id, &cid) != 0 || !cid)
		return NULL;
	struct call *call = call_find(ctl, cid, leg);
	osip_free(cid);
	return call;
}

static bool tag_is(const osip_from_t *party, const char *want)
{
	osip_generic_param_t *tag = NULL;
	return party && osip_from_get_tag((osip_from_t *)party, &tag) == 0 && tag && tag->gvalue &&
	       strcmp(tag->gvalue, want) == 0;
}

static struct call_dialog *dialog_of(struct call *call, struct call_bleg *leg)
{
	return leg ? &leg->dlg : &call->a_dlg;
}

/* The request belongs to the confirmed dialog of the caller or of the answered callee. */
static bool in_dialog(const struct call *call, const struct call_bleg *leg,
		      const osip_message_t *req)
{
	if (!call || call->a_state != CALL_A_ANSWERED || call->caller_gone || !call->winner ||
	    !call->winner->answered || (leg && leg != call->winner))
		return false;
	const struct call_dialog *d = leg ? &leg->dlg : &call->a_dlg;
	return tag_is(req->to, d->local_tag) && tag_is(req->from, d->remote_tag);
}

/* Shared with call-late.c (the caller's answer in its ACK to our initial offer). */
bool call_sdp_of(const osip_message_t *m, struct call_sdp_audio *a, const char **body,
		 size_t *len)
{
	osip_content_type_t *ct = osip_message_get_content_type(m);
	osip_body_t *b = NULL;
	if (!ct || !ct->type || !ct->subtype || strcasecmp(ct->type, "application") != 0 ||
	    strcasecmp(ct->subtype, "sdp") != 0 || osip_message_get_body(m, 0, &b) < 0 || !b ||
	    !b->body || b->length >= CALL_SDP_MAX)
		return false;
	*body = b->body;
	*len = b->length;
	return call_sdp_parse(b->body, b->length, a) == 0;
}

/* A Contact in a re-INVITE or its 2xx replaces the dialog's remote target (§12.2). */
static void refresh_target(struct call_dialog *d, const osip_message_t *m)
{
	osip_contact_t *c = NULL;
	char *s = NULL;
	if (osip_message_get_contact(m, 0, &c) < 0 || !c || !c->url ||
	    osip_uri_to_str(c->url, &s) != 0 || !s)
		return;
	if (strlen(s) < sizeof(d->remote_target))
		memcpy(d->remote_target, s, strlen(s) + 1);
	osip_free(s);
}

/* The SDP toward a side (to: the callee, NULL: the caller), at the data plane's ip/port with
 * that side's SRTP or none; an RFC 2543 hold (c=0.0.0.0) stays one. */
static int pointed(struct call *call, struct call_bleg *to, const char *sdp, size_t len,
		   const struct call_sdp_audio *a, const char *ip, uint16_t port, char *out,
		   size_t cap)
{
	return call_sdp_toward(call, to, sdp, len, strcmp(a->ip, "0.0.0.0") == 0 ? a->ip : ip,
			       port, out, cap);
}

static void ri_free(struct call_reinvite *ri)
{
	csip_tx_unref(ri->tx);
	csip_tx_unref(ri->sent_tx);
	if (ri->req)
		osip_message_free(ri->req);
	if (ri->sent)
		osip_message_free(ri->sent);
	if (ri->ack)
		osip_message_free(ri->ack);
	free(ri->resp_2xx);
	free(ri);
}

/* Takes the re-INVITE out of its call; freed now or by the last operation in flight. */
static void ri_over(struct call_reinvite *ri)
{
	if (ri->call->reinvite == ri) {
		ri->call->reinvite = NULL;
		if (ri->call->ri_retx_open)
			uv_timer_stop(&ri->call->ri_retx);
	}
	ri->over = true;
	if (ri->ops == 0)
		ri_free(ri);
}

/* The other side's 2xx is ACKed (now or when the sender ACKs ours). */
static void send_ack(struct call_reinvite *ri)
{
	if (ri->ack)
		csip_stack_send_ack(ri->call->ctl->stack, ri->ack, NULL);
	ri->ack = NULL;
}

/* T1, doubling up to T2, until the sender's ACK; none after 64*T1: the call ends. */
static void resend_2xx(uv_timer_t *t)
{
	struct call *call = t->data;
	struct call_reinvite *ri = call->reinvite;
	if (!ri || !ri->resp_2xx || ri->acked)
		return;
	ri->retx_elapsed_ms += ri->retx_interval_ms;
	if (ri->retx_elapsed_ms >= 64 * CALL_T1_MS) {
		call->ctl->c.reinvite_unacked++;
		call_hangup_answered(call); /* the other side gets its ACK, then both a BYE */
		return;
	}
	call->ctl->c.reinvite_2xx_resent++;
	csip_stack_send_raw(call->ctl->stack, ri->resp_2xx, ri->resp_2xx_len, &ri->resp_to);
	ri->retx_interval_ms = ri->retx_interval_ms * 2 > CALL_T2_MS ? CALL_T2_MS
								     : ri->retx_interval_ms * 2;
	uv_timer_start(&call->ri_retx, resend_2xx, ri->retx_interval_ms, 0);
}

/* Keeps our 2xx to a re-INVITE as sent, to resend it where the first copy went. */
static void keep_2xx(struct call_reinvite *ri, const osip_message_t *resp)
{
	struct call *call = ri->call;
	char *text = NULL;
	size_t len = 0;
	if (ri->update || !call->ri_retx_open || call->reinvite != ri ||
	    osip_message_to_str((osip_message_t *)resp, &text, &len) != 0)
		return;
	free(ri->resp_2xx);
	ri->resp_2xx = malloc(len);
	if (ri->resp_2xx) {
		memcpy(ri->resp_2xx, text, len);
		ri->resp_2xx_len = len;
		call_via_target(ri->req, csip_tx_source(ri->tx), &ri->resp_to);
		ri->retx_interval_ms = CALL_T1_MS;
		ri->retx_elapsed_ms = 0;
		uv_timer_start(&call->ri_retx, resend_2xx, CALL_T1_MS, 0);
	}
	osip_free(text);
}

/* Our final answer to the sender; a 2xx to a re-INVITE keeps it until the sender's ACK. */
static void respond(struct call_reinvite *ri, int code, const char *reason, const char *sdp)
{
	if (!ri->tx)
		return;
	osip_message_t *resp = csip_response_new(ri->req, code, reason, NULL);
	bool ok = resp != NULL;
	if (ok && code < 300)
		ok = osip_message_set_contact(resp, ri->call->ctl->contact) == 0;
	if (ok && sdp)
		ok = osip_message_set_content_type(resp, "application/sdp") == 0 &&
		     osip_message_set_body(resp, sdp, strlen(sdp)) == 0;
	if (ok && code < 300)
		keep_2xx(ri, resp);
	if (ok)
		csip_tx_respond(ri->tx, resp);
	else if (resp)
		osip_message_free(resp);
	csip_tx_unref(ri->tx);
	ri->tx = NULL;
}

static void fail(struct call_reinvite *ri, int code, const char *reason)
{
	ri->call->ctl->c.reinvite_failed++;
	send_ack(ri);
	respond(ri, code, reason, NULL);
	ri_over(ri);
}

/* One operation back: false when the re-INVITE is over (then it may be freed already). */
static bool op_back(struct call_reinvite *ri)
{
	ri->ops--;
	if (!ri->over)
		return true;
	if (ri->ops == 0)
		ri_free(ri);
	return false;
}

/* The answering side's leg is updated: its answer goes back to the sender. */
static void answer_updated(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_reinvite *ri = arg;
	struct call *call = ri->call;
	char sdp[CALL_SDP_MAX];
	if (!op_back(ri)) {
		/* the call ended meanwhile */
	} else if (!ok || pointed(call, ri->from, ri->answer_sdp, strlen(ri->answer_sdp),
				  &ri->answer, ip, port, sdp, sizeof(sdp)) < 0) {
		call->ctl->c.media_failed++;
		fail(ri, 488, "Not Acceptable Here");
	} else {
		respond(ri, 200, "OK", sdp);
		if (ri->update) {
			/* no ACK follows an UPDATE's 200: the other side's 2xx is ACKed now */
			send_ack(ri);
			ri_over(ri);
		}
	}
	call_unref(call);
}

/* The other side's final answer to the re-INVITE we sent it. */
static void sent_final(void *arg, int status, const osip_message_t *resp)
{
	struct call_reinvite *ri = arg;
	struct call *call = ri->call;
	struct call_ctl *ctl = call->ctl;
	struct call_bleg *other = ri->from ? NULL : call->winner;
	csip_tx_unref(ri->sent_tx);
	ri->sent_tx = NULL;
	bool two_xx = status >= 200 && status < 300 && resp;
	if (two_xx && ri->sent && !ri->ack)
		ri->ack = call_ack_new(dialog_of(call, other), ri->sent);
	if (ri->over)
		send_ack(ri); /* the call ended meanwhile: the ACK goes before nobody is left */
	if (!op_back(ri)) {
		call_unref(call);
		return;
	}
	const char *body = NULL;
	size_t len = 0;
	if (!two_xx) {
		/* 491 (glare on that side), 488, 408...: the sender hears the same. */
		int code = status >= 300 ? status : 500;
		ctl->c.reinvite_failed++;
		respond(ri, code, resp ? resp->reason_phrase : NULL, NULL);
		ri_over(ri);
	} else if (!call_sdp_of(resp, &ri->answer, &body, &len)) {
		fail(ri, 488, "Not Acceptable Here");
	} else {
		refresh_target(dialog_of(call, other), resp);
		memcpy(ri->answer_sdp, body, len);
		ri->answer_sdp[len] = '\0';
		call_leg_keys(call, other, &ri->answer);
		ri->ops++;
		call_ref(call);
		if (call_media_update(ctl->dp, call->call_id, other ? "b" : "a", &ri->answer,
				      answer_updated, ri) < 0) {
			ri->ops--;
			call_unref(call);
			ctl->c.media_failed++;
			fail(ri, 488, "Not Acceptable Here");
		}
	}
	call_unref(call);
}

/* The re-INVITE to the other side: with the sender's offer pointed at the data plane (sdp), or
 * without SDP (late). */
static void relay(struct call_reinvite *ri, const char *sdp)
{
	struct call *call = ri->call;
	struct call_ctl *ctl = call->ctl;
	struct call_bleg *other = ri->from ? NULL : call->winner;
	osip_message_t *inv = call_in_dialog_new(dialog_of(call, other), "INVITE", ctl->contact);
	bool built = inv != NULL;
	if (built && sdp)
		built = osip_message_set_content_type(inv, "application/sdp") == 0 &&
			osip_message_set_body(inv, sdp, strlen(sdp)) == 0;
	if (built)
		built = osip_message_clone(inv, &ri->sent) == 0;
	if (!built) {
		if (inv)
			osip_message_free(inv);
		fail(ri, 500, "Server Internal Error");
		return;
	}
	ri->ops++;
	call_ref(call);
	if (csip_stack_send_invite(ctl->stack, inv, NULL, NULL, sent_final, ri, &ri->sent_tx) < 0) {
		ri->ops--;
		call_unref(call);
		fail(ri, 500, "Server Internal Error");
	}
}

/* The sender's leg is updated: the offer goes on to the other side, pointed at the data plane. */
static void offer_updated(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_reinvite *ri = arg;
	struct call *call = ri->call;
	if (!op_back(ri)) {
		call_unref(call);
		return;
	}
	const char *body = NULL;
	size_t len = 0;
	char sdp[CALL_SDP_MAX];
	struct call_bleg *other = ri->from ? NULL : call->winner;
	if (!ok) {
		call->ctl->c.media_failed++;
		fail(ri, 488, "Not Acceptable Here");
	} else if (!call_sdp_of(ri->req, &ri->offer, &body, &len) ||
		   pointed(call, other, body, len, &ri->offer, ip, port, sdp, sizeof(sdp)) < 0) {
		fail(ri, 500, "Server Internal Error");
	} else {
		relay(ri, sdp);
	}
	call_unref(call);
}

/* Another offer is in progress in the call (RFC 3261 §14.2, RFC 3311 §5.2): true when req got
 * 500/491 for it. A sender that never ACKed our 2xx and sends again: its new one stands. */
static bool refused_pending(struct call *call, struct call_bleg *leg, struct csip_tx *tx,
			    const osip_message_t *req)
{
	struct call_reinvite *ri = call->reinvite;
	if (!ri)
		return false;
	if (ri->from == leg && !ri->tx && !ri->acked) {
		send_ack(ri);
		ri_over(ri);
		return false;
	}
	call->ctl->c.reinvite_glare++;
	if (ri->from != leg) {
		call_reply(tx, req, 491, "Request Pending");
		return true;
	}
	/* its own earlier offer is not answered yet: try again in a moment (§14.2) */
	osip_message_t *resp = csip_response_new(req, 500, "Server Internal Error", NULL);
	if (resp && osip_message_set_header(resp, "Retry-After", "2") == 0) {
		csip_tx_respond(tx, resp);
	} else {
		if (resp)
			osip_message_free(resp);
		call_reply(tx, req, 500, "Server Internal Error");
	}
	return true;
}

/* A re-INVITE (with or without SDP) or an UPDATE with SDP, in the dialog and with no other in
 * progress: relayed to the other side. */
static void start(struct call_ctl *ctl, struct call *call, struct call_bleg *leg,
		  struct csip_tx *tx, osip_message_t *req, bool update)
{
	struct call_sdp_audio offer;
	const char *body = NULL;
	size_t len = 0;
	bool late = !call_sdp_of(req, &offer, &body, &len);
	struct call_reinvite *ri = calloc(1, sizeof(*ri));
	if (!ri || osip_message_clone(req, &ri->req) != 0) {
		free(ri);
		call_reply(tx, req, 500, "Server Internal Error");
		return;
	}
	ri->call = call;
	ri->from = leg;
	ri->update = update;
	ri->late = late;
	ri->tx = tx;
	csip_tx_ref(tx);
	call->reinvite = ri;
	refresh_target(dialog_of(call, leg), req);
	if (!update)
		call_reply(tx, req, 100, "Trying");
	if (late) {
		ctl->c.reinvite_late++;
		relay(ri, NULL);
		return;
	}
	if (update)
		ctl->c.update_offers++;
	call_leg_keys(call, leg, &offer);
	ri->offer = offer;
	ri->ops++;
	call_ref(call);
	int rc = call_media_update(ctl->dp, call->call_id, leg ? "b" : "a", &offer, offer_updated,
				   ri);
	if (rc < 0) {
		ri->ops--;
		call_unref(call);
		ctl->c.media_failed++;
		fail(ri, rc == -EINVAL ? 488 : 503,
		     rc == -EINVAL ? "Not Acceptable Here" : "Service Unavailable");
	}
}

void call_on_reinvite(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req)
{
	struct call_bleg *leg = NULL;
	struct call *call = find(ctl, req, &leg);
	ctl->c.reinvites++;
	if (!in_dialog(call, leg, req)) {
		ctl->c.reinvite_failed++;
		call_reply(tx, req, 481, "Call/Transaction Does Not Exist");
		return;
	}
	if (refused_pending(call, leg, tx, req))
		return;
	start(ctl, call, leg, tx, req, false);
}

/* The sender's answer (late offer) is on its leg: relayed in our ACK to the other side. */
static void ack_updated(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_reinvite *ri = arg;
	struct call *call = ri->call;
	if (!op_back(ri)) {
		call_unref(call);
		return;
	}
	struct call_bleg *other = ri->from ? NULL : call->winner;
	struct call_sdp_audio a;
	char sdp[CALL_SDP_MAX];
	bool relayed = ok && ri->ack && call_sdp_parse(ri->ack_sdp, strlen(ri->ack_sdp), &a) == 0 &&
		       pointed(call, other, ri->ack_sdp, strlen(ri->ack_sdp), &a, ip, port, sdp,
			       sizeof(sdp)) == 0 &&
		       osip_message_set_content_type(ri->ack, "application/sdp") == 0 &&
		       osip_message_set_body(ri->ack, sdp, strlen(sdp)) == 0;
	if (!relayed) {
		/* the other side's offer stays unanswered: it may end the call (§13.2.2.4) */
		call->ctl->c.reinvite_failed++;
		if (!ok)
			call->ctl->c.media_failed++;
	}
	send_ack(ri);
	ri_over(ri);
	call_unref(call);
}

/* Late offer: the sender's ACK carries its answer to the offer in our 2xx. */
static void ack_answer(struct call_reinvite *ri, const osip_message_t *ack)
{
	struct call *call = ri->call;
	struct call_sdp_audio a;
	const char *body = NULL;
	size_t len = 0;
	if (!call_sdp_of(ack, &a, &body, &len)) {
		call->ctl->c.reinvite_failed++;
		send_ack(ri);
		ri_over(ri);
		return;
	}
	memcpy(ri->ack_sdp, body, len);
	ri->ack_sdp[len] = '\0';
	call_leg_keys(call, ri->from, &a);
	ri->ops++;
	call_ref(call);
	if (call_media_update(call->ctl->dp, call->call_id, ri->from ? "b" : "a", &a, ack_updated,
			      ri) < 0) {
		ri->ops--;
		call_unref(call);
		call->ctl->c.media_failed++;
		send_ack(ri);
		ri_over(ri);
	}
}

bool call_reinvite_ack(struct call *call, struct call_bleg *leg, const osip_message_t *ack)
{
	struct call_reinvite *ri = call->reinvite;
	if (!ri || ri->update || ri->tx || ri->from != leg || !ack->cseq || !ack->cseq->number ||
	    !ri->req->cseq || strcmp(ack->cseq->number, ri->req->cseq->number) != 0)
		return false;
	if (ri->acked)
		return true; /* a resent ACK while the first one's answer is relayed */
	ri->acked = true;
	if (call->ri_retx_open)
		uv_timer_stop(&call->ri_retx);
	if (ri->late && ri->ack) {
		ack_answer(ri, ack);
		return true;
	}
	send_ack(ri);
	ri_over(ri);
	return true;
}

void call_reinvite_drop(struct call *call)
{
	struct call_reinvite *ri = call->reinvite;
	if (!ri)
		return;
	send_ack(ri);
	respond(ri, 487, "Request Terminated", NULL);
	ri_over(ri);
}

void call_on_update(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req)
{
	struct call_bleg *leg = NULL;
	struct call *call = find(ctl, req, &leg);
	struct call_sdp_audio offer;
	const char *body = NULL;
	size_t len = 0;
	if (!in_dialog(call, leg, req)) {
		ctl->c.stray++;
		call_reply(tx, req, 481, "Call/Transaction Does Not Exist");
	} else if (call_sdp_of(req, &offer, &body, &len)) {
		if (!refused_pending(call, leg, tx, req))
			start(ctl, call, leg, tx, req, true);
	} else {
		ctl->c.updates++;
		refresh_target(dialog_of(call, leg), req);
		call_reply(tx, req, 200, "OK");
	}
}
