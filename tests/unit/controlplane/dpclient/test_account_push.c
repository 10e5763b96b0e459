/* Pushing the accounts' CPS limits (dp-account-push.h) to the real data-plane server
 * (bugle_dp_ctl) in the same process, whose handlers keep what they were sent the way the
 * data plane does: a replacing message first forgets everything. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "ctl_server.h"
#include "dp_test_loop.h"
#include "dp-account-push.h"
#include "dpclient.h"

#define WAIT_MS 5000
#define MODEL_MAX 1024

/* --- the data plane side: what it holds ------------------------------------------------------ */

struct model {
	size_t n_realms, n_limits;
	char realm[MODEL_MAX][DP_REALM_MAX + 1];
	char realm_account[MODEL_MAX][DP_ACCOUNT_ID_MAX + 1];
	char limit_account[MODEL_MAX][DP_ACCOUNT_ID_MAX + 1];
	uint32_t cps[MODEL_MAX];
	unsigned realm_msgs, limit_msgs, replacing_realm_msgs, replacing_limit_msgs;
	bool realms_seen_before_limits;	/* every realm message came before the first limits one */
	bool refuse_limits;
};

static struct model dp;

static int empty_reply(uint8_t *resp, size_t cap, size_t *len)
{
	bugle_dp_Empty out = bugle_dp_Empty_init_zero;
	pb_ostream_t os = pb_ostream_from_buffer(resp, cap);
	if (!pb_encode(&os, bugle_dp_Empty_fields, &out))
		return bugle_dp_Status_STATUS_INTERNAL;
	*len = os.bytes_written;
	return 0;
}

static int realms_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			  size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_AccountRealms in;
	pb_istream_t is = pb_istream_from_buffer(req, req_len);
	(void)ctx;
	if (!pb_decode(&is, bugle_dp_AccountRealms_fields, &in)) {
		snprintf(err, err_cap, "bad AccountRealms");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	dp.realm_msgs++;
	if (dp.limit_msgs)
		dp.realms_seen_before_limits = false;
	if (in.replace) {
		dp.replacing_realm_msgs++;
		dp.n_realms = 0;
	}
	for (pb_size_t i = 0; i < in.realms_count && dp.n_realms < MODEL_MAX; i++) {
		snprintf(dp.realm[dp.n_realms], sizeof(dp.realm[0]), "%s", in.realms[i].realm);
		snprintf(dp.realm_account[dp.n_realms], sizeof(dp.realm_account[0]), "%s",
			 in.realms[i].account_id);
		dp.n_realms++;
	}
	return empty_reply(resp, resp_cap, resp_len);
}

static int limits_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			  size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_AccountLimits in;
	pb_istream_t is = pb_istream_from_buffer(req, req_len);
	(void)ctx;
	if (dp.refuse_limits) {
		snprintf(err, err_cap, "limit table full");
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	if (!pb_decode(&is, bugle_dp_AccountLimits_fields, &in)) {
		snprintf(err, err_cap, "bad AccountLimits");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	dp.limit_msgs++;
	if (in.replace) {
		dp.replacing_limit_msgs++;
		dp.n_limits = 0;
	}
	for (pb_size_t i = 0; i < in.limits_count && dp.n_limits < MODEL_MAX; i++) {
		snprintf(dp.limit_account[dp.n_limits], sizeof(dp.limit_account[0]), "%s",
			 in.limits[i].account_id);
		dp.cps[dp.n_limits] = in.limits[i].calls_per_second;
		dp.n_limits++;
	}
	return empty_reply(resp, resp_cap, resp_len);
}

static const struct dpctl_method methods[] = {
	{ bugle_dp_Method_METHOD_SET_ACCOUNT_REALMS, realms_handler },
	{ bugle_dp_Method_METHOD_SET_ACCOUNT_LIMITS, limits_handler },
};

/* --- the fixture ----------------------------------------------------------------------------- */

struct tenv {
	struct dp_test_loop io;
	struct dpctl_server *srv;
	struct dpclient *c;
	struct dp_account_limit set[DP_ACCOUNT_PUSH_MAX + 1];
};

struct pushed {
	int calls;
	int status;
	char error[256];
};

static void on_tick(uv_timer_t *t)
{
	struct tenv *e = t->data;
	if (e->srv)
		dpctl_server_poll(e->srv, 0);
}

static void on_pushed(void *arg, int status, const char *error)
{
	struct pushed *p = arg;
	p->calls++;
	p->status = status;
	snprintf(p->error, sizeof(p->error), "%s", error ? error : "");
}

static int setup(void **state)
{
	struct tenv *e = calloc(1, sizeof(*e));
	struct dpctl_server_config cfg = { 0 };

	memset(&dp, 0, sizeof(dp));
	dp.realms_seen_before_limits = true;
	dp_test_loop_init(&e->io, "account-push", on_tick, e);
	cfg.listen = e->io.addr;
	e->srv = dpctl_server_new(&cfg, methods, sizeof(methods) / sizeof(methods[0]), NULL);
	assert_non_null(e->srv);
	struct dpclient_config cc = { .addr = e->io.addr, .node = "cp1", .heartbeat_ms = 60000 };
	e->c = dpclient_new(&e->io.loop, &cc, NULL);
	assert_non_null(e->c);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct tenv *e = *state;

	dp_test_loop_close(&e->io, e->c, e->srv);
	free(e);
	return 0;
}

static void fill(struct tenv *e, size_t n, uint32_t cps)
{
	for (size_t i = 0; i < n; i++) {
		snprintf(e->set[i].account_id, sizeof(e->set[i].account_id), "%032zx", i + 1);
		snprintf(e->set[i].realm, sizeof(e->set[i].realm), "r%zu.Example.NET", i);
		e->set[i].cps = cps + (uint32_t)i;
	}
}

static void push(struct tenv *e, size_t n, struct pushed *p)
{
	memset(p, 0, sizeof(*p));
	assert_int_equal(dp_account_push_send(e->c, e->set, n, on_pushed, p), 0);
	/* done never runs inside the call. */
	assert_int_equal(p->calls, 0);
	DP_RUN_UNTIL(&e->io, p->calls > 0, WAIT_MS);
	assert_int_equal(p->calls, 1);
}

/* --- tests ----------------------------------------------------------------------------------- */

static void test_whole_set_in_chunks_replaces(void **state)
{
	struct tenv *e = *state;
	struct pushed p;
	size_t n = 2 * DP_ACCOUNT_PUSH_CHUNK + 44;

	fill(e, DP_ACCOUNT_PUSH_MAX, 5);
	assert_int_equal(dp_account_push_send(e->c, e->set, 1, on_pushed, &p), -ENOTCONN);
	DP_RUN_UNTIL(&e->io, dpclient_is_up(e->c), WAIT_MS);

	push(e, n, &p);
	assert_int_equal(p.status, 0);
	assert_int_equal(dp.realm_msgs, 3);
	assert_int_equal(dp.limit_msgs, 3);
	assert_int_equal(dp.replacing_realm_msgs, 1);
	assert_int_equal(dp.replacing_limit_msgs, 1);
	assert_true(dp.realms_seen_before_limits);
	assert_int_equal(dp.n_realms, n);
	assert_int_equal(dp.n_limits, n);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(dp.realm[i], e->set[i].realm);
		assert_string_equal(dp.realm_account[i], e->set[i].account_id);
		assert_string_equal(dp.limit_account[i], e->set[i].account_id);
		assert_int_equal(dp.cps[i], 5 + i);
	}

	/* A smaller set replaces the larger one; an empty one clears. */
	push(e, 2, &p);
	assert_int_equal(p.status, 0);
	assert_int_equal(dp.n_realms, 2);
	assert_int_equal(dp.n_limits, 2);
	push(e, 0, &p);
	assert_int_equal(p.status, 0);
	assert_int_equal(dp.n_realms, 0);
	assert_int_equal(dp.n_limits, 0);
	assert_int_equal(dp.replacing_realm_msgs, 3);
	assert_int_equal(dp.replacing_limit_msgs, 3);

	/* The largest set a data plane holds goes in one push. */
	push(e, DP_ACCOUNT_PUSH_MAX, &p);
	assert_int_equal(p.status, 0);
	assert_int_equal(dp.n_limits, DP_ACCOUNT_PUSH_MAX);
}

static void test_bad_sets_never_leave(void **state)
{
	struct tenv *e = *state;
	struct pushed p = { 0 };

	DP_RUN_UNTIL(&e->io, dpclient_is_up(e->c), WAIT_MS);
	fill(e, 4, 5);
	assert_int_equal(dp_account_push_send(e->c, e->set, DP_ACCOUNT_PUSH_MAX + 1, on_pushed, &p),
			 -EINVAL);
	assert_int_equal(dp_account_push_send(e->c, NULL, 1, on_pushed, &p), -EINVAL);
	assert_int_equal(dp_account_push_send(e->c, e->set, 1, NULL, NULL), -EINVAL);
	e->set[2].cps = 0;
	assert_int_equal(dp_account_push_send(e->c, e->set, 4, on_pushed, &p), -EINVAL);
	fill(e, 4, 5);
	e->set[3].realm[0] = '\0';
	assert_int_equal(dp_account_push_send(e->c, e->set, 4, on_pushed, &p), -EINVAL);
	fill(e, 4, 5);
	memset(e->set[1].account_id, 'a', sizeof(e->set[1].account_id));	/* no NUL */
	assert_int_equal(dp_account_push_send(e->c, e->set, 4, on_pushed, &p), -EINVAL);
	/* Give the server time to show nothing arrived. */
	uint64_t until = uv_now(&e->io.loop) + 50;
	while (uv_now(&e->io.loop) < until)
		uv_run(&e->io.loop, UV_RUN_ONCE);
	assert_int_equal(p.calls, 0);
	assert_int_equal(dp.realm_msgs + dp.limit_msgs, 0);
}

static void test_refusal_reported_once(void **state)
{
	struct tenv *e = *state;
	struct pushed p;

	DP_RUN_UNTIL(&e->io, dpclient_is_up(e->c), WAIT_MS);
	fill(e, 300, 1);
	dp.refuse_limits = true;
	push(e, 300, &p);
	assert_int_equal(p.status, BUGLE__DP__STATUS__STATUS_RESOURCE_EXHAUSTED);
	assert_string_equal(p.error, "limit table full");
	assert_int_equal(dp.n_realms, 300);
	assert_int_equal(dp.n_limits, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_whole_set_in_chunks_replaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_sets_never_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusal_reported_once, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
