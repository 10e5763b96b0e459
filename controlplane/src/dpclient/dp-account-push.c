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

/* One chunk of the set as both messages: the realms go out in a first pass over the set, the
 * limits in a second, and both are filled from the same entries here. */
struct push_chunk {
	Bugle__Dp__AccountRealm realm[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountRealm *realm_ptr[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountLimit limit[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountLimit *limit_ptr[DP_ACCOUNT_PUSH_CHUNK];
	Bugle__Dp__AccountRealms realms;
	Bugle__Dp__AccountLimits limits;
};

static void fill_chunk(struct push_chunk *m, const struct dp_account_limit *set, size_t n,
		       bool replace)
{
	for (size_t i = 0; i < n; i++) {
		bugle__dp__account_realm__init(&m->realm[i]);
		/* The generated structs hold non-const pointers; packing only reads them. */
		m->realm[i].realm = (char *)set[i].realm;
		m->realm[i].account_id = (char *)set[i].account_id;
		m->realm_ptr[i] = &m->realm[i];
		bugle__dp__account_limit__init(&m->limit[i]);
		m->limit[i].account_id = (char *)set[i].account_id;
		m->limit[i].calls_per_second = set[i].cps;
		m->limit_ptr[i] = &m->limit[i];
	}
	bugle__dp__account_realms__init(&m->realms);
	m->realms.n_realms = n;
	m->realms.realms = m->realm_ptr;
	m->realms.replace = replace;
	bugle__dp__account_limits__init(&m->limits);
	m->limits.n_limits = n;
	m->limits.limits = m->limit_ptr;
	m->limits.replace = replace;
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
	struct push_chunk m;
	int rc = 0;
	for (size_t k = 0; rc == 0 && k < 2 * chunks; k++) {
		size_t at = (k % chunks) * DP_ACCOUNT_PUSH_CHUNK;
		size_t len = n - at < DP_ACCOUNT_PUSH_CHUNK ? n - at : DP_ACCOUNT_PUSH_CHUNK;
		bool realms = k < chunks;
		fill_chunk(&m, set + at, len, at == 0);
		rc = dpclient_call(c,
				   realms ? BUGLE__DP__METHOD__METHOD_SET_ACCOUNT_REALMS
					  : BUGLE__DP__METHOD__METHOD_SET_ACCOUNT_LIMITS,
				   realms ? &m.realms.base : &m.limits.base, on_reply, op, 0);
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
