/* The flow's own answer and prompts toward the caller: see call-play.h. */
#include "call-play.h"

#include "bugle/log.h"
#include "call-int.h"
#include "call-media.h"
#include "dp-codec-names.h"
#include "dpclient.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct call_play {
	struct call *call;
	cf_op_done done;		/* NULL once completed */
	void *done_arg;
	char file[128];			/* "" for a bare answer */
	uint64_t op_id;			/* the MediaOp's, echoed in its events */
	unsigned refs;			/* the call's (until completed) and each pending reply's */
};

static uint64_t next_op_id = 1;

int call_play_file(const char *media_id, char *out, size_t cap)
{
	if (!media_id || !media_id[0] || media_id[0] == '.')
		return -EINVAL;
	size_t n = 0;
	for (const char *c = media_id; *c; c++, n++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.'))
			return -EINVAL;
	bool has_ext = n > 4 && strcmp(media_id + n - 4, ".wav") == 0;
	int w = snprintf(out, cap, has_ext ? "%s" : "%s.wav", media_id);
	return w < 0 || (size_t)w >= cap ? -EINVAL : 0;
}

int call_play_answer_sdp(const char *offer, size_t len, const struct call_sdp_audio *a,
			 const char *ip, uint16_t port, char *out, size_t cap)
{
	char one[CALL_SDP_MAX];
	for (unsigned i = 0; i < a->n_codecs; i++) {
		if (dp_codec_from_name(a->codecs[i].name) == BUGLE__DP__CODEC__CODEC_UNSPECIFIED)
			continue;
		int rc = call_sdp_set_codecs(offer, len, &a->codecs[i], 1, a->dtmf_pt, one,
					     sizeof(one));
		return rc < 0 ? rc : call_sdp_rewrite(one, strlen(one), ip, port, out, cap);
	}
	return -EINVAL;
}

static void play_unref(struct call_play *p)
{
	if (--p->refs == 0)
		free(p);
}

/* Completes the operation once; the flow may run on (and the call end) inside done. */
static void complete(struct call_play *p, enum cf_cause cause)
{
	if (!p->done)
		return;
	if (p->call->play == p)
		p->call->play = NULL;
	cf_op_done done = p->done;
	p->done = NULL;
	done(p->done_arg, (struct cf_result){ .cause = cause });
	play_unref(p);
}

static void fail_prompt(struct call_play *p, const char *why)
{
	struct call *call = p->call;
	if (!p->done)
		return; /* the caller left meanwhile: the flow has stopped already */
	call->ctl->c.prompts_failed++;
	bgl_log_call(BGL_LOG_INFO, call->call_id, call->account_id, "call %s: prompt %s: %s",
		     call->call_id, p->file, why);
	complete(p, call->caller_gone ? CF_HANGUP : CF_FAILED);
}

static void play_replied(void *arg, Bugle__Dp__Status status, const char *error,
			 const ProtobufCMessage *reply)
{
	struct call_play *p = arg;
	struct call *call = p->call;
	(void)reply;
	if (status != BUGLE__DP__STATUS__STATUS_OK)
		fail_prompt(p, error && error[0] ? error : "refused by the data plane");
	play_unref(p);
	call_maybe_retire(call);
	call_unref(call);
}

static void send_play(struct call_play *p)
{
	struct call *call = p->call;
	p->op_id = next_op_id++;
	p->refs++;
	call_ref(call);
	if (call_media_play(call->ctl->dp, call->call_id, "a", p->file, NULL, p->op_id,
			    play_replied, p) < 0) {
		p->refs--;
		call_unref(call);
		fail_prompt(p, "the data plane is down");
	}
}

/* The session has the caller's leg: our 200 toward it, then the prompt if there is one. */
static void offered(void *arg, bool ok, const char *ip, uint16_t a_port, uint16_t b_port)
{
	struct call_play *p = arg;
	struct call *call = p->call;
	struct call_ctl *ctl = call->ctl;
	call->media_pending = false;
	if (ok) {
		call->offered = true;
		call->media_session = true;
		snprintf(call->toward_b_ip, sizeof(call->toward_b_ip), "%s", ip);
		call->toward_b_port = b_port;
	}
	char narrowed[CALL_SDP_MAX], sdp[CALL_SDP_MAX];
	if (!p->done) {
		/* aborted meanwhile */
	} else if (call->caller_gone || call->a_state != CALL_A_ROUTING) {
		complete(p, CF_HANGUP);
	} else if (!ok) {
		ctl->c.media_failed++;
		complete(p, CF_FAILED);
	} else if (call_play_answer_sdp(call->a_sdp, strlen(call->a_sdp), &call->a_audio, ip,
					a_port, narrowed, sizeof(narrowed)) < 0 ||
		   call_sdp_toward(call, NULL, narrowed, strlen(narrowed), ip, a_port, sdp,
				   sizeof(sdp)) < 0 ||
		   call_a_respond(call, 200, "OK", sdp) < 0) {
		complete(p, CF_FAILED);
	} else {
		call->flow_answered = true;
		ctl->c.flow_answered++;
		call->answered_us = call_now_us();
		call_event(call, NULL, CALL_EV_ANSWER);
		if (p->file[0])
			send_play(p);
		else
			complete(p, CF_OK);
	}
	play_unref(p);
	call_maybe_retire(call);
	call_unref(call);
}

/* The caller's offer to the data plane (a session with its leg only). */
static void answer(struct call_play *p)
{
	struct call *call = p->call;
	struct call_ctl *ctl = call->ctl;
	if (call_invite_without_offer(call->a_inv)) {
		bgl_log_call(BGL_LOG_INFO, call->call_id, call->account_id,
			     "call %s: no offer in the INVITE: the flow cannot answer it yet",
			     call->call_id);
		complete(p, CF_FAILED);
		return;
	}
	osip_body_t *body = NULL;
	int rc = osip_message_get_body(call->a_inv, 0, &body) < 0 || !body || !body->body ||
			 body->length >= sizeof(call->a_sdp)
		 ? -EINVAL
		 : 0;
	if (rc == 0) {
		memcpy(call->a_sdp, body->body, body->length);
		call->a_sdp[body->length] = '\0';
		rc = call_sdp_parse(call->a_sdp, body->length, &call->a_audio);
	}
	if (rc == 0)
		rc = call_a_keys_new(call); /* SDES toward a caller that offered it */
	if (rc == 0) {
		p->refs++;
		call_ref(call);
		call->media_pending = true;
		rc = call_media_offer_legs(ctl->dp, call->call_id, call->account_id, &call->a_audio,
					   offered, p);
		if (rc < 0) {
			call->media_pending = false;
			p->refs--;
			call_unref(call);
			ctl->c.media_failed++;
		}
	}
	if (rc < 0)
		complete(p, CF_FAILED);
}

static void start(struct call *call, const char *file, cf_op_done done, void *done_arg)
{
	if (call->caller_gone || (call->a_state != CALL_A_ROUTING &&
				  call->a_state != CALL_A_ANSWERED)) {
		done(done_arg, (struct cf_result){ .cause = CF_HANGUP });
		return;
	}
	struct call_play *p = call->play || call->bridging ? NULL : calloc(1, sizeof(*p));
	if (!p) {
		done(done_arg, (struct cf_result){ .cause = CF_FAILED });
		return;
	}
	p->call = call;
	p->done = done;
	p->done_arg = done_arg;
	p->refs = 1; /* the call's, until completed */
	snprintf(p->file, sizeof(p->file), "%s", file);
	call->play = p;
	if (call->a_state == CALL_A_ROUTING)
		answer(p);
	else if (file[0])
		send_play(p);
	else
		complete(p, CF_OK); /* answered already */
}

void call_play_answer(void *callp, cf_op_done done, void *done_arg)
{
	start(callp, "", done, done_arg);
}

void call_play_media(void *callp, const char *media_id, cf_op_done done, void *done_arg)
{
	struct call *call = callp;
	char file[128];
	if (call_play_file(media_id, file, sizeof(file)) < 0) {
		call->ctl->c.prompts_failed++;
		bgl_log_call(BGL_LOG_INFO, call->call_id, call->account_id,
			     "call %s: play: media id is not a plain name", call->call_id);
		done(done_arg, (struct cf_result){ .cause = call->caller_gone ? CF_HANGUP
									      : CF_FAILED });
		return;
	}
	start(call, file, done, done_arg);
}

void call_play_event(struct call_ctl *ctl, const Bugle__Dp__Event *ev)
{
	if (ev->kind != BUGLE__DP__EVENT_KIND__EVENT_PLAYBACK_FINISHED || !ev->call_id ||
	    !ev->op_id)
		return;
	struct call_bleg *leg;
	struct call *call = call_find(ctl, ev->call_id, &leg);
	struct call_play *p = call && !leg ? call->play : NULL;
	if (!p || p->op_id != ev->op_id)
		return;
	ctl->c.prompts_played++;
	call_ref(call);
	complete(p, call->caller_gone ? CF_HANGUP : CF_OK);
	call_maybe_retire(call);
	call_unref(call);
}

void call_play_abort(struct call *call)
{
	if (call->play)
		complete(call->play, CF_HANGUP);
}
