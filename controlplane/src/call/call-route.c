/* An authenticated call through the callflow engine once the account's limits let it in, and
 * the caller's final answer when the flow ends without one (RFC 3261 codes for each way a flow
 * can end). */
#include "call-int.h"
#include "call-limits.h"

#include "bugle/log.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <string.h>

static void final_from_bridge(struct call *call, struct cf_result r)
{
	int code;
	switch (r.cause) {
	case CF_BUSY:
		code = r.sip_code ? r.sip_code : 486;
		break;
	case CF_REJECTED:
		code = r.sip_code >= 300 ? r.sip_code : 603;
		break;
	case CF_FAILED:
		code = r.sip_code >= 300 ? r.sip_code : 480;
		break;
	default: /* no answer, or nothing to say */
		code = 480;
		break;
	}
	const char *reason = osip_message_get_reason(code);
	call_a_respond(call, code, reason ? reason : "Temporarily Unavailable", NULL);
}

static void flow_ended(void *arg, const struct cf_flow_report *rep)
{
	struct call *call = arg;
	call->flow_running = false;
	bgl_log_call(BGL_LOG_DEBUG, call->call_id, call->account_id, "call %s: flow ended: %s (%s)",
		     call->call_id, cf_end_name(rep->end), rep->detail);
	if (call->a_state == CALL_A_ROUTING) {
		switch (rep->end) {
		case CF_END_NO_CALLFLOW:
			call_a_respond(call, 404, "Not Found", NULL);
			break;
		case CF_END_LOOP_GUARD:
		case CF_END_ERROR:
			call_a_respond(call, 500, "Server Internal Error", NULL);
			break;
		case CF_END_HANGUP:
			call_a_respond(call, 487, "Request Terminated", NULL);
			break;
		default:
			/* The engine saw every result, including endpoints it never rang (DND,
			 * disabled devices); the bridges the controller ran are among them. */
			final_from_bridge(call, rep->last.cause != CF_OK ? rep->last
								     : call->last_bridge);
			break;
		}
	} else if (call->a_state == CALL_A_ANSWERED) {
		call_hangup_answered(call);
	}
	call_maybe_retire(call);
	call_unref(call);
}

void call_route(struct call *call)
{
	struct call_ctl *ctl = call->ctl;
	const osip_message_t *inv = call->a_inv;
	const char *dialed = inv->req_uri && inv->req_uri->username ? inv->req_uri->username : "";
	struct cf_call_info info = {
		.account_id = call->account_id,
		.call_id = call->call_id,
		.dialed = dialed,
		.caller = call->cid,
		.authorizing_type = call->trunk_inbound ? "resource" : "device",
		.authorizing_id = call->device_id,
	};
	call->last_bridge.cause = CF_FAILED;
	call->created_us = call_now_us();
	call_event(call, NULL, CALL_EV_CREATE);
	bool inbound = call->trunk_inbound;
	call->trunk_inbound = false; /* held once admitted */
	if (call_limits_admit(call, CALL_TRUNK_NONE) < 0 ||
	    (inbound && call_limits_admit(call, CALL_TRUNK_INBOUND) < 0)) {
		call->trunk_inbound = inbound; /* the CDR still tells a carrier's call */
		call_limits_refuse(call);
		call_maybe_retire(call);
		return;
	}
	call->flow_running = true;
	call_ref(call); /* the flow's, dropped when it ends */
	ctl->c.calls_started++;
	int rc = cf_flow_start(ctl->engine, &info, call, flow_ended, call);
	if (rc < 0) {
		call->flow_running = false;
		call_unref(call);
		call_a_respond(call, rc == -EINVAL ? 404 : 500,
			       rc == -EINVAL ? "Not Found" : "Server Internal Error", NULL);
		call_maybe_retire(call);
	}
}
