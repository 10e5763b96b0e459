/* An authenticated call through the callflow engine, and the caller's final answer when the
 * flow ends without one (RFC 3261 codes for each way a flow can end). */
#include "call-int.h"

#include "bugle/log.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static void final_from_bridge(struct call *call)
{
	struct cf_result r = call->last_bridge;
	switch (r.cause) {
	case CF_BUSY:
		call_a_respond(call, r.sip_code ? r.sip_code : 486, "Busy Here", NULL);
		break;
	case CF_NO_ANSWER:
		call_a_respond(call, 480, "Temporarily Unavailable", NULL);
		break;
	case CF_REJECTED:
		call_a_respond(call, r.sip_code >= 300 ? r.sip_code : 603, "Declined", NULL);
		break;
	case CF_FAILED:
		call_a_respond(call, r.sip_code >= 300 ? r.sip_code : 480,
			       "Temporarily Unavailable", NULL);
		break;
	default:
		call_a_respond(call, 480, "Temporarily Unavailable", NULL);
		break;
	}
}

static void flow_ended(void *arg, const struct cf_flow_report *rep)
{
	struct call *call = arg;
	call->flow_running = false;
	BGL_DEBUG("call %s: flow ended: %s (%s)", call->call_id, cf_end_name(rep->end),
		  rep->detail);
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
			final_from_bridge(call);
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
		.authorizing_type = "device",
		.authorizing_id = call->device_id,
	};
	call->last_bridge.cause = CF_FAILED;
	call->created_us = call_now_us();
	call_event(call, NULL, CALL_EV_CREATE);
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
