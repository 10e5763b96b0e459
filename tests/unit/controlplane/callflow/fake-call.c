/* A call that answers operations from a script and remembers what it was asked. */
#include "fake-call.h"

#include <stdio.h>
#include <string.h>

void fake_call_script(struct fake_call *c, enum cf_cause cause, int sip_code)
{
	if (c->n_script < FAKE_MAX_OPS)
		c->script[c->n_script++] = (struct cf_result){cause, sip_code};
}

static void answer(void *call, cf_op_done done, void *arg)
{
	(void)call;
	done(arg, (struct cf_result){CF_OK, 200});
}

static void bridge(void *call, const struct cf_bridge *b, cf_op_done done, void *arg)
{
	struct fake_call *c = call;
	struct cf_result r = {CF_NO_ANSWER, 480};

	if (c->n_bridges < FAKE_MAX_OPS) {
		struct fake_bridge *fb = &c->bridges[c->n_bridges++];

		fb->n = b->n < FAKE_MAX_EPS ? b->n : FAKE_MAX_EPS;
		memcpy(fb->eps, b->endpoints, fb->n * sizeof(fb->eps[0]));
		fb->strategy = b->strategy;
		fb->timeout_s = b->timeout_s;
	}
	if (c->next < c->n_script)
		r = c->script[c->next++];
	done(arg, r);
}

static void play(void *call, const char *media, cf_op_done done, void *arg)
{
	struct fake_call *c = call;

	if (c->n_played < FAKE_MAX_OPS)
		snprintf(c->played[c->n_played++], sizeof(c->played[0]), "%s", media);
	done(arg, (struct cf_result){CF_OK, 0});
}

static void respond(void *call, int code, const char *msg, const char *media, cf_op_done done,
		    void *arg)
{
	struct fake_call *c = call;

	c->respond_code = code;
	snprintf(c->respond_message, sizeof(c->respond_message), "%s", msg ? msg : "");
	if (media && c->n_played < FAKE_MAX_OPS)
		snprintf(c->played[c->n_played++], sizeof(c->played[0]), "%s", media);
	done(arg, (struct cf_result){CF_OK, code});
}

static void set_caller_id(void *call, const struct cf_caller_id *cid)
{
	struct fake_call *c = call;

	c->cid = *cid;
	c->cid_sets++;
}

static void hangup(void *call, const char *cause, int code)
{
	(void)call;
	(void)cause;
	(void)code;
}

const struct cf_call_ops fake_call_ops = {
	.answer = answer,
	.bridge = bridge,
	.play = play,
	.respond = respond,
	.set_caller_id = set_caller_id,
	.hangup = hangup,
};
