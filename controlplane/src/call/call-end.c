/* The ends of a call: BYE from the caller or the answered callee, CANCEL from the caller. */
#include "call-int.h"
#include "call-keypress.h"

#include "sip-stack.h"

#include <osipparser2/osip_parser.h>
#include <string.h>

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

void call_on_bye(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req)
{
	struct call_bleg *leg = NULL;
	struct call *call = find(ctl, req, &leg);
	ctl->c.byes++;
	if (!call || (leg && !leg->answered) || (!leg && call->a_state != CALL_A_ANSWERED)) {
		ctl->c.stray++;
		call_reply(tx, req, 481, "Call/Transaction Does Not Exist");
		return;
	}
	call_reply(tx, req, 200, "OK");
	if (leg && call_keypress_leg_left(call, leg))
		return; /* a forward's answerer left before pressing its key */
	if (leg) {
		/* The callee hung up: its dialog is over, the caller gets our BYE. */
		leg->answered = false;
	} else {
		/* The caller hung up: no BYE back to it. */
		call->caller_gone = true;
	}
	call_hangup_answered(call);
}

void call_on_cancel(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req)
{
	struct call_bleg *leg = NULL;
	struct call *call = find(ctl, req, &leg);
	if (!call || leg) {
		ctl->c.stray++;
		call_reply(tx, req, 481, "Call/Transaction Does Not Exist");
		return;
	}
	call_reply(tx, req, 200, "OK");
	if (call->a_state != CALL_A_ROUTING)
		return; /* already answered or refused: the CANCEL changes nothing (§9.2) */
	ctl->c.cancelled++;
	call_a_respond(call, 487, "Request Terminated", NULL);
	call_bridge_caller_gone(call);
	call_maybe_retire(call);
}
