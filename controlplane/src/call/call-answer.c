/* Answers toward the caller: provisional and final responses to its INVITE (our To tag, our
 * Contact and its Record-Route on a 2xx, RFC 3261 §12.1.1), and the BYEs that end an answered
 * call. */
#include "call-int.h"

#include "bugle/log.h"
#include "call-play.h"
#include "response.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <openssl/rand.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fresh_tag(char *out, size_t cap)
{
	unsigned char r[6];
	if (RAND_bytes(r, sizeof(r)) != 1)
		memset(r, 0x5a, sizeof(r));
	snprintf(out, cap, "%02x%02x%02x%02x%02x%02x", r[0], r[1], r[2], r[3], r[4], r[5]);
}

static int copy_record_routes(osip_message_t *resp, const osip_message_t *req)
{
	return osip_list_clone(&req->record_routes, &resp->record_routes,
			       (int (*)(void *, void **))osip_record_route_clone) == 0
		       ? 0
		       : -1;
}


void call_a_acked(struct call *call)
{
	if (call->retx_open)
		uv_timer_stop(&call->retx);
	free(call->a_2xx);
	call->a_2xx = NULL;
}

/* T1, doubling up to T2, for 64*T1; then the caller is gone: end the call (§13.3.1.4). */
static void resend_2xx(uv_timer_t *t)
{
	struct call *call = t->data;
	call->a_2xx_elapsed_ms += call->a_2xx_interval_ms;
	if (!call->a_2xx || call->a_state != CALL_A_ANSWERED) {
		call_a_acked(call);
		return;
	}
	if (call->a_2xx_elapsed_ms >= 64 * CALL_T1_MS) {
		call_a_acked(call);
		call_hangup_answered(call);
		return;
	}
	csip_stack_send_raw(call->ctl->stack, call->a_2xx, call->a_2xx_len, &call->a_2xx_to);
	call->a_2xx_interval_ms = call->a_2xx_interval_ms * 2 > CALL_T2_MS
					  ? CALL_T2_MS
					  : call->a_2xx_interval_ms * 2;
	uv_timer_start(&call->retx, resend_2xx, call->a_2xx_interval_ms, 0);
}

/* As the stack sends the first copy. (The edge may send from another port than the one it
 * takes SIP on.) */
void call_via_target(const osip_message_t *inv, const struct sockaddr_in *src,
		     struct sockaddr_in *out)
{
	*out = *src;
	osip_via_t *via = osip_list_get(&inv->vias, 0);
	if (!via || !via->host)
		return;
	osip_generic_param_t *received = NULL, *rport = NULL;
	osip_via_param_get_byname(via, "received", &received);
	osip_via_param_get_byname(via, "rport", &rport);
	const char *host = received && received->gvalue ? received->gvalue : via->host;
	const char *port = rport && rport->gvalue ? rport->gvalue : via->port;
	struct in_addr a;
	if (inet_pton(AF_INET, host, &a) != 1)
		return;
	long p = port ? strtol(port, NULL, 10) : 5060;
	out->sin_family = AF_INET;
	out->sin_addr = a;
	out->sin_port = htons((uint16_t)(p > 0 && p < 65536 ? p : 5060));
}

/* Keeps the 2xx as sent, to resend it toward where the INVITE came from (the edge). */
static void keep_2xx(struct call *call, const osip_message_t *resp)
{
	char *text = NULL;
	size_t len = 0;
	if (!call->retx_open || osip_message_to_str((osip_message_t *)resp, &text, &len) != 0)
		return;
	free(call->a_2xx);
	call->a_2xx = malloc(len);
	if (call->a_2xx) {
		memcpy(call->a_2xx, text, len);
		call->a_2xx_len = len;
		call_via_target(call->a_inv, csip_tx_source(call->a_tx), &call->a_2xx_to);
		call->a_2xx_interval_ms = CALL_T1_MS;
		call->a_2xx_elapsed_ms = 0;
		uv_timer_start(&call->retx, resend_2xx, CALL_T1_MS, 0);
	}
	osip_free(text);
}

int call_a_respond(struct call *call, int code, const char *reason, const char *sdp)
{
	if (!call->a_tx || call->a_final)
		return -EALREADY;
	if (!call->a_tag[0])
		fresh_tag(call->a_tag, sizeof(call->a_tag));
	osip_message_t *resp = csip_response_new(call->a_inv, code, reason, call->a_tag);
	if (!resp)
		return -ENOMEM;
	bool ok = true;
	if (code >= 101 && code < 300) {
		ok = osip_message_set_contact(resp, call->ctl->contact) == 0 &&
		     copy_record_routes(resp, call->a_inv) == 0;
	}
	if (ok && sdp) {
		ok = osip_message_set_content_type(resp, "application/sdp") == 0 &&
		     osip_message_set_body(resp, sdp, strlen(sdp)) == 0;
	}
	if (!ok) {
		osip_message_free(resp);
		return -ENOMEM;
	}
	if (code >= 200) {
		call->a_final = code;
		if (code < 300) {
			call->a_state = CALL_A_ANSWERED;
			call_dialog_from_request(call->a_inv, call->a_tag, &call->a_dlg);
			keep_2xx(call, resp);
		} else {
			call->a_state = CALL_A_ENDED;
		}
	}
	int rc = csip_tx_respond(call->a_tx, resp);
	if (code >= 200) {
		csip_tx_unref(call->a_tx);
		call->a_tx = NULL;
	}
	return rc;
}

/* A BYE's outcome is not waited for: the call is over either way. */
static void bye_done(void *arg, int status, const osip_message_t *resp)
{
	(void)resp;
	const struct call *call = arg;
	if (status >= 300)
		bgl_log_call(BGL_LOG_DEBUG, call->call_id, call->account_id,
			     "call %s: BYE answered %d", call->call_id, status);
	call_unref((struct call *)arg);
}

static void send_bye(struct call *call, struct call_dialog *d)
{
	osip_message_t *bye = call_in_dialog_new(d, "BYE", NULL);
	if (!bye)
		return;
	/* RFC 3326: the phones (and their users) learn the call did not end on its own. */
	static const char by_operator[] = "SIP;cause=200;text=\"hung up by operator\"";
	static const char no_answer[] = "SIP;cause=488;text=\"no usable answer in the ACK\"";
	const char *reason = NULL;
	if (call->killed)
		reason = by_operator;
	else if (call->hangup_code == 488) /* call-late.c: the ACK had no usable answer */
		reason = no_answer;
	if (reason && osip_message_set_header(bye, "Reason", reason) != 0) {
		osip_message_free(bye);
		return;
	}
	call_ref(call);
	if (csip_stack_send_request(call->ctl->stack, bye, NULL, bye_done, call) < 0)
		call_unref(call);
}

void call_hangup_answered(struct call *call)
{
	call_ref(call); /* the flow may end inside call_play_abort */
	call_reinvite_drop(call);
	if (call->a_state == CALL_A_ANSWERED && !call->caller_gone)
		send_bye(call, &call->a_dlg);
	call->caller_gone = true;
	call->a_state = CALL_A_ENDED;
	call_play_abort(call); /* a prompt to the caller stops the flow (call-play.c) */
	struct call_bleg *w = call->winner;
	if (w && w->answered) {
		w->answered = false;
		send_bye(call, &w->dlg);
	}
	call_bridge_over(call);
	call_maybe_retire(call);
	call_unref(call);
}
