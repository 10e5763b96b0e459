/* require_keypress: the forwarded party's leg joins the media session, a prompt plays to it
 * (MediaOp PLAY on leg "b"), and the first digit the data plane reports on that leg decides. */
#include "call-keypress.h"

#include "bugle/log.h"
#include "call-int.h"
#include "call-media.h"
#include "dpclient.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct call_keypress {
	struct call *call;
	struct call_bleg *leg;
	char sdp[CALL_SDP_MAX];
	size_t len;
	uv_timer_t timer;
	bool asking;			/* the leg's media is in the session: digits count */
	bool over;			/* decided or aborted */
	unsigned refs;			/* the timer handle's, and the media answer's while pending */
};

static void kp_unref(struct call_keypress *kp)
{
	if (--kp->refs == 0)
		free(kp);
}

static void closed(uv_handle_t *h)
{
	struct call_keypress *kp = h->data;
	struct call *call = kp->call;
	kp_unref(kp);
	call_unref(call);
}

/* Detaches from the call; the leg's fate is the caller's. */
static void finish(struct call_keypress *kp)
{
	kp->over = true;
	if (kp->call->keypress == kp)
		kp->call->keypress = NULL;
	uv_timer_stop(&kp->timer);
	uv_close((uv_handle_t *)&kp->timer, closed);
}

static void refuse(struct call_keypress *kp, const char *why)
{
	struct call_bleg *b = kp->leg;
	bgl_log_call(BGL_LOG_INFO, kp->call->call_id, kp->call->account_id,
		     "call %s: forwarded leg %s not taken: %s", kp->call->call_id, b->call_id, why);
	kp->call->ctl->c.keypress_refused++;
	finish(kp);
	call_bridge_refuse(b, true);
}

static void take_leg(struct call_keypress *kp)
{
	struct call_bleg *b = kp->leg;
	kp->call->ctl->c.keypress_accepted++;
	finish(kp);
	if (!call_bridge_take(b, kp->sdp, kp->len))
		call_bridge_refuse(b, true);
}

static void timed_out(uv_timer_t *t)
{
	struct call_keypress *kp = t->data;
	if (!kp->over)
		refuse(kp, "no key pressed");
}

static void play_replied(void *arg, Bugle__Dp__Status status, const char *error,
			 const ProtobufCMessage *reply)
{
	char *call_id = arg;
	(void)reply;
	if (status != BUGLE__DP__STATUS__STATUS_OK)
		/* no prompt: the digit is still awaited */
		BGL_INFO("call %s: forward prompt not played: %s", call_id, error ? error : "");
	free(call_id);
}

static void play_prompt(struct call_keypress *kp)
{
	struct call *call = kp->call;
	char *id = strdup(call->call_id);
	/* any key ends the prompt */
	if (!id || call_media_play(call->ctl->dp, call->call_id, "b", CALL_KEYPRESS_PROMPT,
				   "0123456789*#", 0, play_replied, id) < 0)
		free(id);
}

/* The callee's leg is in the session: ask. */
static void media_answered(void *arg, bool ok, const char *ip, uint16_t port)
{
	struct call_keypress *kp = arg;
	struct call *call = kp->call;
	(void)ip, (void)port;
	call->media_pending = false;
	if (!kp->over) {
		if (!ok) {
			call->ctl->c.media_failed++;
			refuse(kp, "the data plane did not take its media");
		} else {
			call->media_session = true;
			kp->asking = true;
			play_prompt(kp);
		}
	}
	call_maybe_retire(call);
	kp_unref(kp);
	call_unref(call);
}

int call_keypress_start(struct call_bleg *b, const char *sdp, size_t len)
{
	struct call *call = b->call;
	struct call_ctl *ctl = call->ctl;
	struct call_sdp_audio audio;
	if (call->keypress || len >= sizeof(call->keypress->sdp) ||
	    call_sdp_parse(sdp, len, &audio) < 0)
		return -EBUSY; /* one answerer asked at a time */
	struct call_keypress *kp = calloc(1, sizeof(*kp));
	if (!kp || uv_timer_init(ctl->loop, &kp->timer) < 0) {
		free(kp);
		return -ENOMEM;
	}
	kp->call = call;
	kp->leg = b;
	memcpy(kp->sdp, sdp, len);
	kp->sdp[len] = '\0';
	kp->len = len;
	kp->timer.data = kp;
	kp->refs = 2; /* the timer handle's and the media answer's */
	call_ref(call); /* the timer handle's, dropped once closed */
	call->keypress = kp;
	call_leg_keys(call, b, &audio);
	call->media_pending = true;
	call_ref(call);
	if (call_media_answer(ctl->dp, call->call_id, &audio, media_answered, kp) < 0) {
		call->media_pending = false;
		call_unref(call);
		kp->refs--;
		ctl->c.media_failed++;
		finish(kp);
		return -ENOTCONN;
	}
	ctl->c.keypress_asked++;
	uv_timer_start(&kp->timer, timed_out, 1000ull * CALL_KEYPRESS_TIMEOUT_S, 0);
	return 0;
}

void call_keypress_event(struct call_ctl *ctl, const Bugle__Dp__Event *ev)
{
	if (ev->kind != BUGLE__DP__EVENT_KIND__EVENT_DTMF || !ev->call_id || !ev->leg_tag ||
	    !ev->digit || strcmp(ev->leg_tag, "b") != 0)
		return;
	struct call_bleg *leg;
	struct call *call = call_find(ctl, ev->call_id, &leg);
	struct call_keypress *kp = call && !leg ? call->keypress : NULL;
	if (!kp || kp->over || !kp->asking)
		return;
	if (strcmp(ev->digit, "1") == 0)
		take_leg(kp);
	else
		refuse(kp, "another key pressed");
}

void call_keypress_abort(struct call *call, const struct call_bleg *keep)
{
	struct call_keypress *kp = call->keypress;
	if (!kp || kp->leg == keep)
		return;
	struct call_bleg *b = kp->leg;
	finish(kp);
	call_bridge_refuse(b, true);
}

bool call_keypress_leg_left(struct call *call, struct call_bleg *leg)
{
	struct call_keypress *kp = call->keypress;
	if (!kp || kp->leg != leg)
		return false;
	finish(kp);
	call_bridge_refuse(leg, false);
	return true;
}
