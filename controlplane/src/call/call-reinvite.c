/* Re-INVITEs in an answered call (RFC 3261 §14, RFC 3264 §8): hold, unhold and new media
 * addresses from either side. The offer updates the data plane's leg of the side that sent it
 * and goes on to the other side in that side's dialog, pointed at the data plane; the answer
 * updates the answering side's leg and comes back pointed at the data plane; the sender's ACK is
 * relayed as the ACK of the other side's 2xx. One at a time per call: another re-INVITE while
 * one is relayed gets 491 (glare, §14.1), and the other side's 491 comes back as it is. UPDATE
 * without SDP (session timer refreshes) is answered 200 in the dialog. */
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
	char answer_sdp[CALL_SDP_MAX];
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

/* The SDP body of a request or response, parsed; false when there is none we can relay. */
static bool sdp_of(const osip_message_t *m, struct call_sdp_audio *a, const char **body,
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
	free(ri);
}

/* Takes the re-INVITE out of its call; freed now or by the last operation in flight. */
static void ri_over(struct call_reinvite *ri)
{
	if (ri->call->reinvite == ri)
		ri->call->reinvite = NULL;
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

/* Our final answer to the sender; a 2xx keeps the re-INVITE until the sender's ACK. */
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
	} else if (!sdp_of(resp, &ri->answer, &body, &len)) {
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

/* The sender's leg is updated: the offer goes on to the other side, pointed at the data plane. */
static void offer_updated(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_reinvite *ri = arg;
	struct call *call = ri->call;
	struct call_ctl *ctl = call->ctl;
	if (!op_back(ri)) {
		call_unref(call);
		return;
	}
	const char *body = NULL;
	size_t len = 0;
	char sdp[CALL_SDP_MAX];
	osip_message_t *inv = NULL;
	struct call_bleg *other = ri->from ? NULL : call->winner;
	if (ok && sdp_of(ri->req, &ri->offer, &body, &len) &&
	    pointed(call, other, body, len, &ri->offer, ip, port, sdp, sizeof(sdp)) == 0)
		inv = call_in_dialog_new(dialog_of(call, other), "INVITE", ctl->contact);
	bool built = inv && osip_message_set_content_type(inv, "application/sdp") == 0 &&
		     osip_message_set_body(inv, sdp, strlen(sdp)) == 0 &&
		     osip_message_clone(inv, &ri->sent) == 0;
	if (!built) {
		if (inv)
			osip_message_free(inv);
		if (!ok)
			ctl->c.media_failed++;
		fail(ri, ok ? 500 : 488, ok ? "Server Internal Error" : "Not Acceptable Here");
		call_unref(call);
		return;
	}
	ri->ops++;
	call_ref(call);
	if (csip_stack_send_invite(ctl->stack, inv, NULL, NULL, sent_final, ri, &ri->sent_tx) < 0) {
		ri->ops--;
		call_unref(call);
		fail(ri, 500, "Server Internal Error");
	}
	call_unref(call);
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
	if (call->reinvite && call->reinvite->tx) {
		ctl->c.reinvite_glare++;
		call_reply(tx, req, 491, "Request Pending");
		return;
	}
	/* The previous one's sender never ACKed: its ACK goes to the other side now. */
	if (call->reinvite) {
		send_ack(call->reinvite);
		ri_over(call->reinvite);
	}
	struct call_sdp_audio offer;
	const char *body = NULL;
	size_t len = 0;
	if (!sdp_of(req, &offer, &body, &len)) {
		/* Late offers in a re-INVITE are not relayed (README, Not yet). */
		ctl->c.reinvite_failed++;
		call_reply(tx, req, 488, "Not Acceptable Here");
		return;
	}
	struct call_reinvite *ri = calloc(1, sizeof(*ri));
	if (!ri || osip_message_clone(req, &ri->req) != 0) {
		free(ri);
		call_reply(tx, req, 500, "Server Internal Error");
		return;
	}
	ri->call = call;
	ri->from = leg;
	call_leg_keys(call, leg, &offer);
	ri->offer = offer;
	ri->tx = tx;
	csip_tx_ref(tx);
	call->reinvite = ri;
	refresh_target(dialog_of(call, leg), req);
	call_reply(tx, req, 100, "Trying");
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

bool call_reinvite_ack(struct call *call, struct call_bleg *leg, const osip_message_t *ack)
{
	struct call_reinvite *ri = call->reinvite;
	if (!ri || ri->tx || !ri->ack || ri->from != leg || !ack->cseq || !ack->cseq->number ||
	    !ri->req->cseq || strcmp(ack->cseq->number, ri->req->cseq->number) != 0)
		return false;
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
	} else if (sdp_of(req, &offer, &body, &len)) {
		/* Offers in UPDATE are not relayed (README, Not yet): the session stays as it is. */
		ctl->c.reinvite_failed++;
		call_reply(tx, req, 488, "Not Acceptable Here");
	} else {
		ctl->c.updates++;
		refresh_target(dialog_of(call, leg), req);
		call_reply(tx, req, 200, "OK");
	}
}
