/* One push of the accounts' CPS limits to one data plane (see dp-account-push.h): the realms
 * first, so that no limit is ever looked up through a realm of the previous set. */
#include "dp-account-push.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outstanding replies of one push; freed by the last reply once sending has ended. */
struct push_op {
	unsigned pending;
	bool sending;
	int status;
	char error[256];
	dp_account_push_done_fn done;
	void *arg;
};

static void op_finish_if_done(struct push_op *op)
{
	if (op->sending || op->pending)
		return;
	op->done(op->arg, op->status, op->status ? op->error : NULL);
	free(op);
}

static void on_reply(void *arg, Bugle__Dp__Status status, const char *error,
		     const ProtobufCMessage *reply)
{
	struct push_op *op = arg;
	(void)reply;
	op->pending--;
	if (status != BUGLE__DP__STATUS__STATUS_OK && !op->status) {
		op->status = (int)status;
		snprintf(op->error, sizeof(op->error), "%s", error ? error : "failed");
	}
	op_finish_if_done(op);
}

static int send_realms(struct dpclient *c, const struct dp_account_limit *set, size_t n,
		       bool replace, struct push_op *op)
{
	Bugle__Dp__AccountRealm items[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountRealm *ptrs[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountRealms msg = BUGLE__DP__ACCOUNT_REALMS__INIT;

	for (size_t i = 0; i < n; i++) {
		bugle__dp__account_realm__init(&items[i]);
		/* The generated struct holds non-const pointers; packing only reads them. */
		items[i].realm = (char *)set[i].realm;
		items[i].account_id = (char *)set[i].account_id;
		ptrs[i] = &items[i];
	}
	msg.n_realms = n;
	msg.realms = ptrs;
	msg.replace = replace;
	return dpclient_call(c, BUGLE__DP__METHOD__METHOD_SET_ACCOUNT_REALMS, &msg.base, on_reply,
			     op, 0);
}

static int send_limits(struct dpclient *c, const struct dp_account_limit *set, size_t n,
		       bool replace, struct push_op *op)
{
	Bugle__Dp__AccountLimit items[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountLimit *ptrs[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountLimits msg = BUGLE__DP__ACCOUNT_LIMITS__INIT;

	for (size_t i = 0; i < n; i++) {
		bugle__dp__account_limit__init(&items[i]);
		items[i].account_id = (char *)set[i].account_id;
		items[i].calls_per_second = set[i].cps;
		ptrs[i] = &items[i];
	}
	msg.n_limits = n;
	msg.limits = ptrs;
	msg.replace = replace;
	return dpclient_call(c, BUGLE__DP__METHOD__METHOD_SET_ACCOUNT_LIMITS, &msg.base, on_reply,
			     op, 0);
}

static bool entry_ok(const struct dp_account_limit *e)
{
	size_t an = strnlen(e->account_id, sizeof(e->account_id));
	size_t rn = strnlen(e->realm, sizeof(e->realm));
	return an > 0 && an <= DP_ACCOUNT_ID_MAX && rn > 0 && rn <= DP_REALM_MAX && e->cps > 0;
}

int dp_account_push_send(struct dpclient *c, const struct dp_account_limit *set, size_t n,
			 dp_account_push_done_fn done, void *arg)
{
	if (!c || !done || (n && !set) || n > DP_ACCOUNT_PUSH_MAX)
		return -EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!entry_ok(&set[i]))
			return -EINVAL;
	struct push_op *op = calloc(1, sizeof(*op));
	if (!op)
		return -ENOMEM;
	op->done = done;
	op->arg = arg;
	op->sending = true;
	/* An empty set still sends one replacing message of each kind: that is the clearing. */
	size_t chunks = n ? (n + DP_ACCOUNT_PUSH_CHUNK - 1) / DP_ACCOUNT_PUSH_CHUNK : 1;
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < 2 * chunks; k++) {
		size_t at = (k % chunks) * DP_ACCOUNT_PUSH_CHUNK;
		size_t len = n - at < DP_ACCOUNT_PUSH_CHUNK ? n - at : DP_ACCOUNT_PUSH_CHUNK;
		rc = k < chunks ? send_realms(c, set + at, len, at == 0, op)
				: send_limits(c, set + at, len, at == 0, op);
		if (rc == 0)
			op->pending++;
	}
	op->sending = false;
	if (rc < 0 && op->pending == 0) {
		free(op);
		return rc;
	}
	if (rc < 0) {
		/* Part went out: the replies still come, and done reports the failure. */
		op->status = BUGLE__DP__STATUS__STATUS_UNAVAILABLE;
		snprintf(op->error, sizeof(op->error), "push cut short: %s", strerror(-rc));
	}
	/* Replies arrive from the loop, never inside dpclient_call: op is still pending here. */
	return 0;
}
