/* The callflow engine's call interface (cf-call-t.h) over the caller's leg. */
#include "call-int.h"
#include "call-play.h"

#include <stdio.h>
#include <string.h>

static void op_respond(void *callp, int code, const char *message, const char *media,
		       cf_op_done done, void *done_arg)
{
	(void)media; /* early-media prompts come with playback */
	struct call *call = callp;
	if (call->caller_gone || call->a_state != CALL_A_ROUTING) {
		done(done_arg, (struct cf_result){ .cause = CF_HANGUP });
		return;
	}
	if (code < 180 || code > 699)
		code = 500;
	call_a_respond(call, code, message && message[0] ? message : "Call Ended", NULL);
	done(done_arg, (struct cf_result){ .cause = CF_OK });
}

static void op_set_caller_id(void *callp, const struct cf_caller_id *cid)
{
	struct call *call = callp;
	call->cid = *cid;
}

static void op_hangup(void *callp, const char *cause, int sip_code)
{
	(void)cause;
	struct call *call = callp;
	if (call->a_state == CALL_A_ROUTING)
		call_a_respond(call, sip_code >= 300 && sip_code <= 699 ? sip_code : 480,
			       "Call Ended", NULL);
	else if (call->a_state == CALL_A_ANSWERED)
		call_hangup_answered(call);
}

const struct cf_call_ops call_ops = {
	.answer = call_play_answer, /* call-play.c */
	.bridge = call_bridge,
	.play = call_play_media,
	.respond = op_respond,
	.set_caller_id = op_set_caller_id,
	.hangup = op_hangup,
};
