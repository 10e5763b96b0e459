/* An INVITE without SDP (delayed offer, RFC 3261 §13.2.1), as a B2BUA: the callees are offered
 * by us (the data plane's address, the codecs the caller's device or carrier allows, else the
 * default list), the callee's answer sets the data plane's B side, our 200 to the caller carries
 * our offer (the callee's codecs, then the caller's, which the data plane transcodes to), and the
 * caller's ACK carries its answer: the data plane's A leg, which stood in with every codec the
 * data plane knows until then, is updated to it. An ACK without a usable answer ends the call
 * with BYEs (§13.2.2.4 leaves the session unusable) and hangup code 488 in the CDRs. */
#include "call-int.h"

#include "bugle/log.h"
#include "call-media.h"
#include "cp/pg-pool.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The caller's own codec list: a device's media.audio.codecs, or a carrier resource's first
 * gateway's codecs (device_id is the resource for carrier calls), in order. */
#define CALLER_CODECS_SQL                                                                   \
	"SELECT e.c FROM documents d, jsonb_array_elements_text(COALESCE("                   \
	"  CASE jsonb_typeof(d.data->'media'->'audio'->'codecs') WHEN 'array'"               \
	"   THEN d.data->'media'->'audio'->'codecs' END,"                                     \
	"  CASE jsonb_typeof(d.data->'gateways'->0->'codecs') WHEN 'array'"                   \
	"   THEN d.data->'gateways'->0->'codecs' END, '[]'::jsonb)) WITH ORDINALITY e(c, n)"  \
	" WHERE d.account_id = $1 AND d.id = $2 AND NOT d.deleted ORDER BY e.n"

struct late_op {
	struct call *call;
	call_late_ready ready;
};

bool call_invite_without_offer(const osip_message_t *inv)
{
	osip_body_t *body = NULL;
	return osip_message_get_body(inv, 0, &body) < 0 || !body || !body->body ||
	       body->length == 0;
}

/* The stand-in offer from the caller's codecs; then the data plane's leg for it. */
static void offer_ready(struct call *call, call_late_ready ready)
{
	struct call_sdp_audio dp_leg = { .port = 0 };
	int rc = call_sdp_late_placeholder((const char(*)[16])call->late_codecs,
					   call->n_late_codecs, call->a_sdp, sizeof(call->a_sdp));
	if (rc == 0)
		rc = call_sdp_parse(call->a_sdp, strlen(call->a_sdp), &call->a_audio);
	if (rc == 0) {
		dp_leg = call->a_audio;
		call_sdp_late_widen(&dp_leg);
		/* 0.0.0.0 without a port: the data plane holds the leg until the answer */
		dp_leg.port = 0;
	}
	ready(call, rc, rc == 0 ? &dp_leg : NULL);
}

static void codecs_found(void *arg, const PGresult *res, const char *error)
{
	struct late_op *op = arg;
	struct call *call = op->call;
	if (error)
		bgl_log_call(BGL_LOG_WARN, call->call_id, call->account_id,
			     "call %s: caller's codecs unreadable (%s): the default list",
			     call->call_id, error);
	int rows = !error && res ? PQntuples(res) : 0;
	call->n_late_codecs = 0;
	for (int i = 0; i < rows && call->n_late_codecs < CF_CODECS_MAX; i++)
		snprintf(call->late_codecs[call->n_late_codecs++], sizeof(call->late_codecs[0]),
			 "%s", PQgetvalue(res, i, 0));
	call->media_pending = false;
	offer_ready(call, op->ready);
	free(op);
	call_unref(call);
}

void call_late_offer_start(struct call *call, call_late_ready ready)
{
	struct call_ctl *ctl = call->ctl;
	ctl->c.late_offers++;
	call->late_offer = true;
	struct late_op *op = ctl->pg ? calloc(1, sizeof(*op)) : NULL;
	if (!op) {
		offer_ready(call, ready);
		return;
	}
	op->call = call;
	op->ready = ready;
	call_ref(call);
	call->media_pending = true; /* the call stays while its codecs are looked up */
	const char *params[2] = { call->account_id, call->device_id };
	if (cp_pg_query(ctl->pg, CALLER_CODECS_SQL, 2, params, codecs_found, op) < 0) {
		call->media_pending = false;
		free(op);
		call_unref(call);
		offer_ready(call, ready);
	}
}

int call_late_offer_toward_a(struct call *call, const char *b_sdp, const char *ip, uint16_t port,
			     char *out, size_t cap)
{
	char offer[CALL_SDP_MAX];
	int rc = call_sdp_late_offer(b_sdp, strlen(b_sdp), (const char(*)[16])call->late_codecs,
				     call->n_late_codecs, offer, sizeof(offer));
	return rc < 0 ? rc : call_sdp_toward(call, NULL, offer, strlen(offer), ip, port, out, cap);
}

/* The caller's answer could not be used: both sides get a BYE, the CDRs say why. */
static void unanswered(struct call *call, const char *why)
{
	bgl_log_call(BGL_LOG_INFO, call->call_id, call->account_id,
		     "call %s: delayed offer: %s: ending the call", call->call_id, why);
	call->ctl->c.late_unanswered++;
	call->hangup_code = 488;
	call_hangup_answered(call);
}

static void answer_taken(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call *call = arg;
	(void)ip;
	(void)port;
	if (call->a_state == CALL_A_ANSWERED && !call->caller_gone) {
		if (ok) {
			call->media_session = true;
		} else {
			call->ctl->c.media_failed++;
			unanswered(call, "the data plane refused the caller's answer");
		}
	}
	call_unref(call);
}

void call_late_ack(struct call *call, const osip_message_t *ack)
{
	if (!call->late_offer || call->late_answered || call->a_state != CALL_A_ANSWERED ||
	    call->caller_gone)
		return;
	call->late_answered = true;
	struct call_sdp_audio a;
	const char *body = NULL;
	size_t len = 0;
	if (!call_sdp_of(ack, &a, &body, &len) || a.port == 0) {
		unanswered(call, "the ACK has no SDP answer");
		return;
	}
	if (a.savp) {
		unanswered(call, "the ACK answers RTP/SAVP to our RTP/AVP offer");
		return;
	}
	memcpy(call->a_sdp, body, len);
	call->a_sdp[len] = '\0';
	call->a_audio = a;
	call_ref(call);
	int rc = call_media_update(call->ctl->dp, call->call_id, "a", &a, answer_taken, call);
	if (rc < 0) {
		call_unref(call);
		if (rc != -EINVAL)
			call->ctl->c.media_failed++;
		unanswered(call, rc == -EINVAL ? "the ACK's answer has no codec we relay"
					       : "no data plane for the caller's answer");
	}
}
