/* Early media (RFC 3960, without PRACK): a callee's 183 with SDP goes to the data plane as the
 * session's answer and on to the caller with the data plane's address, so ringback tones and
 * announcements flow before the 200. The 200 that follows answers the session again with its
 * own SDP (same or changed). One callee's early media at a time: the first 183 with SDP wins.
 * Not for a caller whose INVITE had no SDP: it rings until the 200 (call-late.c). */
#include "call-int.h"

#include "call-media.h"

#include <stdlib.h>
#include <string.h>

struct early_op {
	struct call_bleg *leg;
	char sdp[CALL_SDP_MAX];
};

static void early_answered(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct early_op *op = arg;
	struct call *call = op->leg->call;
	call->early_pending = false;
	char sdp[CALL_SDP_MAX];
	if (!ok) {
		call->ctl->c.media_failed++;
		call->early_leg = NULL;
	} else {
		call->media_session = true;
	}
	/* The caller left, or a 200 overtook the 183: nothing to tell the caller any more. */
	if (ok && !call->caller_gone && call->a_state == CALL_A_ROUTING && !call->winner &&
	    !op->leg->done &&
	    call_answer_toward_a(call, op->sdp, ip, port, sdp, sizeof(sdp)) == 0 &&
	    call_a_respond(call, 183, "Session Progress", sdp) == 0) {
		call->ringing_sent = true;
		call->ctl->c.early_media++;
	}
	free(op);
	call_maybe_retire(call);
	call_unref(call);
}

bool call_early_media(struct call_bleg *b, const char *body, size_t len)
{
	struct call *call = b->call;
	struct call_sdp_audio audio;
	/* A caller that sent no offer gets ours in the 200: an offer in an unreliable 183 is not
	 * allowed (RFC 3261 §13.2.1), so that callee only rings. */
	if (call->late_offer)
		return false;
	if (!body || len >= CALL_SDP_MAX || call_sdp_parse(body, len, &audio) < 0)
		return false; /* no SDP we can relay: an ordinary ring */
	if (call->early_leg || call->early_pending || call->winner)
		return true; /* already relaying someone's early media (or answered) */
	struct early_op *op = calloc(1, sizeof(*op));
	if (!op)
		return false;
	op->leg = b;
	memcpy(op->sdp, body, len);
	op->sdp[len] = '\0';
	call_leg_keys(call, b, &audio);
	call->early_leg = b;
	call->early_pending = true;
	call_ref(call);
	if (call_media_answer(call->ctl->dp, call->call_id, &audio, early_answered, op) < 0) {
		call->early_leg = NULL;
		call->early_pending = false;
		call->ctl->c.media_failed++;
		free(op);
		call_unref(call);
		return false;
	}
	return true;
}
