/* Channel events (CHANNEL_CREATE/ANSWER/BRIDGE/DESTROY) of each leg, as KAZOO names them, for
 * the calls service (bus events, live channels, webhooks, and the CDR on DESTROY). The caller's
 * leg is inbound, each callee's outbound; each names the other as its other leg. */
#include "call-int.h"

#include "calls.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t call_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* KAZOO's hangup causes for the SIP status that ended a leg. */
static const char *hangup_cause(int code)
{
	switch (code) {
	case 0:
	case 200: return "NORMAL_CLEARING";
	case 404: return "UNALLOCATED_NUMBER";
	case 408:
	case 480: return "NO_ANSWER";
	case 486:
	case 600: return "USER_BUSY";
	case 487: return "ORIGINATOR_CANCEL";
	case 488: return "INCOMPATIBLE_DESTINATION";
	case 503: return "NORMAL_TEMPORARY_FAILURE";
	case 603: return "CALL_REJECTED";
	default: return code >= 500 ? "NORMAL_TEMPORARY_FAILURE" : "CALL_REJECTED";
	}
}

static const enum calls_event_kind kinds[] = {
	[CALL_EV_CREATE] = CALLS_CHANNEL_CREATE,
	[CALL_EV_ANSWER] = CALLS_CHANNEL_ANSWER,
	[CALL_EV_BRIDGE] = CALLS_CHANNEL_BRIDGE,
	[CALL_EV_DESTROY] = CALLS_CHANNEL_DESTROY,
};

static void uri_user_host(const osip_uri_t *u, char *out, size_t cap)
{
	out[0] = '\0';
	if (u && u->host)
		snprintf(out, cap, "%s@%s", u->username ? u->username : "", u->host);
}

void call_event(struct call *call, struct call_bleg *leg, enum call_event ev)
{
	struct calls_service *s = call->ctl->events;
	if (!s || !call->account_id[0])
		return;
	const osip_message_t *inv = leg ? leg->invite : call->a_inv;
	char from[256], to[256], req[256];
	uri_user_host(inv && inv->from ? inv->from->url : NULL, from, sizeof(from));
	uri_user_host(inv && inv->to ? inv->to->url : NULL, to, sizeof(to));
	uri_user_host(inv ? inv->req_uri : NULL, req, sizeof(req));
	struct call_bleg *other = leg ? NULL : call->winner;
	const char *callee = inv && inv->req_uri ? inv->req_uri->username : NULL;
	struct calls_leg l = {
		.call_id = leg ? leg->call_id : call->call_id,
		.account_id = call->account_id,
		.other_leg_call_id = leg ? call->call_id : other ? other->call_id : NULL,
		.direction = leg ? CALLS_OUTBOUND : CALLS_INBOUND,
		.caller_id_name = call->cid.name,
		.caller_id_number = call->cid.number,
		.callee_id_number = callee,
		.from = from,
		.to = to,
		.request = req,
		.authorizing_id = leg && leg->ep.kind == CF_EP_GATEWAY ? leg->ep.gw.resource_id
				  : leg ? leg->ep.device_id : call->device_id,
		/* KAZOO names a carrier leg's authorizer "resource" (inbound: the carrier's doc) */
		.authorizing_type = (leg && leg->ep.kind == CF_EP_GATEWAY) ||
					    (!leg && call->trunk_inbound)
					    ? "resource"
					    : "device",
		.created_us = leg ? leg->created_us : call->created_us,
		.answered_us = leg ? leg->answered_us : call->answered_us,
		.event_us = call_now_us(),
	};
	if (ev == CALL_EV_DESTROY) {
		int code = leg ? leg->status : call->a_final;
		if (leg)
			leg->destroyed = true;
		else
			call->a_destroyed = true;
		l.hangup_code = code >= 200 && code < 300 ? 200 : code;
		/* an answered call ended for a reason of its own (call-late.c: no usable answer) */
		if (call->hangup_code && l.hangup_code == 200 && (!leg || leg == call->winner))
			l.hangup_code = call->hangup_code;
		l.hangup_cause = hangup_cause(l.hangup_code);
		l.ended_us = l.event_us;
	}
	calls_event(s, kinds[ev], &l);
}
