/* The control plane's client against the real data-plane server (bugle_dp_ctl) in the same
 * process, polled from a uv timer on the client's loop; plus a fake data plane that sends
 * hostile bytes, and the blocking client against a server on another thread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "ctl_server.h"
#include "dp_test_loop.h"
#include "dpclient.h"
#include "test_fake_dataplane.h"

#define WAIT_MS 5000

/* --- the data plane side: handlers for the real server -------------------------------------- */

static int heartbeat_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			     size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	bugle_dp_HeartbeatRequest in = bugle_dp_HeartbeatRequest_init_zero;
	bugle_dp_HeartbeatReply out = bugle_dp_HeartbeatReply_init_zero;
	pb_istream_t is = pb_istream_from_buffer(req, req_len);
	pb_ostream_t os = pb_ostream_from_buffer(resp, resp_cap);

	(void)ctx;
	if (!pb_decode(&is, bugle_dp_HeartbeatRequest_fields, &in)) {
		snprintf(err, err_cap, "bad heartbeat");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	out.sent_ns = in.sent_ns;
	snprintf(out.node, sizeof(out.node), "dp-%.48s", in.node);
	if (!pb_encode(&os, bugle_dp_HeartbeatReply_fields, &out))
		return bugle_dp_Status_STATUS_INTERNAL;
	*resp_len = os.bytes_written;
	return 0;
}

static int ban_add_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			   size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	(void)ctx, (void)req, (void)req_len, (void)resp, (void)resp_cap, (void)resp_len;
	snprintf(err, err_cap, "no such source");
	return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
}

static const struct dpctl_method methods[] = {
	{ bugle_dp_Method_METHOD_HEARTBEAT, heartbeat_handler },
	{ bugle_dp_Method_METHOD_BAN_ADD, ban_add_handler },
};

/* --- the fixture ----------------------------------------------------------------------------- */

struct tenv {
	struct dp_test_loop io;
	struct dpctl_server *srv;
	bool serve;			/* poll the server on every tick */
	struct dpclient *c;
	int ups, downs, events;
	char last_call_id[64];
	uint64_t attempts_seen;
	uint64_t attempt_at[64];
	int n_attempts;
};

struct outcome {
	bool done;
	Bugle__Dp__Status status;
	char error[256];
	uint64_t sent_ns;
	char node[64];
};

static void on_tick(uv_timer_t *t)
{
	struct tenv *e = t->data;
	uint64_t attempts = 0;

	if (e->srv && e->serve)
		dpctl_server_poll(e->srv, 0);
	if (e->c && dpclient_counter(e->c, "connect_attempts", &attempts) == 0 &&
	    attempts != e->attempts_seen) {
		e->attempts_seen = attempts;
		if (e->n_attempts < 64)
			e->attempt_at[e->n_attempts++] = uv_now(&e->io.loop);
	}
}

static void on_state(void *arg, bool up)
{
	struct tenv *e = arg;

	if (up)
		e->ups++;
	else
		e->downs++;
}

static void on_event(void *arg, const Bugle__Dp__Event *ev)
{
	struct tenv *e = arg;

	e->events++;
	snprintf(e->last_call_id, sizeof(e->last_call_id), "%s", ev->call_id);
}

static void on_reply(void *arg, Bugle__Dp__Status status, const char *error,
		     const ProtobufCMessage *reply)
{
	struct outcome *o = arg;

	assert_false(o->done);	/* exactly once */
	o->done = true;
	o->status = status;
	snprintf(o->error, sizeof(o->error), "%s", error ? error : "");
	if (status == BUGLE__DP__STATUS__STATUS_OK) {
		assert_non_null(reply);
		assert_ptr_equal(reply->descriptor, &bugle__dp__heartbeat_reply__descriptor);
		const Bugle__Dp__HeartbeatReply *hb = (const Bugle__Dp__HeartbeatReply *)reply;
		o->sent_ns = hb->sent_ns;
		snprintf(o->node, sizeof(o->node), "%s", hb->node);
	} else {
		assert_null(reply);
	}
}

static void start_server(struct tenv *e)
{
	struct dpctl_server_config cfg = { .listen = e->io.addr };

	e->srv = dpctl_server_new(&cfg, methods, sizeof(methods) / sizeof(methods[0]), NULL);
	assert_non_null(e->srv);
	e->serve = true;
}

static int setup(void **state)
{
	struct tenv *e = calloc(1, sizeof(*e));

	dp_test_loop_init(&e->io, "dpclient-test", on_tick, e);
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

static struct dpclient *make_client(struct tenv *e, unsigned heartbeat_ms)
{
	struct dpclient_config cfg = {
		.addr = e->io.addr, .node = "cp1", .heartbeat_ms = heartbeat_ms,
		.backoff_min_ms = 10, .backoff_max_ms = 160, .seed = 1234,
	};
	struct dpclient_callbacks cbs = { .on_event = on_event, .on_state = on_state, .arg = e };

	e->c = dpclient_new(&e->io.loop, &cfg, &cbs);
	assert_non_null(e->c);
	return e->c;
}

static uint64_t ccount(struct tenv *e, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(dpclient_counter(e->c, name, &v), 0);
	return v;
}

static uint64_t scount(struct tenv *e, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(dpctl_server_counter(e->srv, name, &v), 0);
	return v;
}

static void wait_subscribed(struct tenv *e)
{
	unsigned subscribed = 0;

	DP_RUN_UNTIL(&e->io, dpclient_is_up(e->c), WAIT_MS);
	DP_RUN_UNTIL(&e->io, (dpctl_server_clients(e->srv, &subscribed), subscribed == 1), WAIT_MS);
}

static int heartbeat_call(struct tenv *e, uint64_t sent_ns, struct outcome *o, unsigned timeout)
{
	Bugle__Dp__HeartbeatRequest hb = BUGLE__DP__HEARTBEAT_REQUEST__INIT;

	memset(o, 0, sizeof(*o));
	hb.sent_ns = sent_ns;
	hb.node = "cp1";
	return dpclient_call(e->c, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &hb.base, on_reply, o,
			     timeout);
}

static void assert_round_trip(struct tenv *e, uint64_t sent_ns)
{
	struct outcome o;

	assert_int_equal(heartbeat_call(e, sent_ns, &o, 2000), 0);
	DP_RUN_UNTIL(&e->io, o.done, WAIT_MS);
	assert_int_equal(o.status, BUGLE__DP__STATUS__STATUS_OK);
	assert_int_equal(o.sent_ns, sent_ns);
	assert_string_equal(o.node, "dp-cp1");
}

/* --- tests ----------------------------------------------------------------------------------- */

static void test_call_round_trip(void **state)
{
	struct tenv *e = *state;
	struct outcome o;

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	/* Connecting happens from the loop, never inside dpclient_new(). */
	assert_false(dpclient_is_up(e->c));
	assert_int_equal(heartbeat_call(e, 1, &o, 100), -ENOTCONN);
	wait_subscribed(e);
	assert_int_equal(e->ups, 1);
	assert_round_trip(e, 123456789);
	assert_round_trip(e, 42);
	assert_int_equal(ccount(e, "calls_ok"), 3);	/* subscribe + 2 heartbeats */
	assert_int_equal(scount(e, "subscribes"), 1);
}

static void test_error_statuses(void **state)
{
	struct tenv *e = *state;
	Bugle__Dp__Ban ban = BUGLE__DP__BAN__INIT;
	Bugle__Dp__DrainRequest drain = BUGLE__DP__DRAIN_REQUEST__INIT;
	struct outcome o1 = { 0 }, o2 = { 0 };

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	wait_subscribed(e);
	ban.source = "192.0.2.7";
	assert_int_equal(dpclient_call(e->c, BUGLE__DP__METHOD__METHOD_BAN_ADD, &ban.base, on_reply,
				       &o1, 1000), 0);
	assert_int_equal(dpclient_call(e->c, BUGLE__DP__METHOD__METHOD_DRAIN, &drain.base, on_reply,
				       &o2, 1000), 0);
	DP_RUN_UNTIL(&e->io, o1.done && o2.done, WAIT_MS);
	assert_int_equal(o1.status, BUGLE__DP__STATUS__STATUS_INVALID_ARGUMENT);
	assert_string_equal(o1.error, "no such source");
	assert_int_equal(o2.status, BUGLE__DP__STATUS__STATUS_UNIMPLEMENTED);
	assert_int_equal(ccount(e, "calls_failed"), 2);

	/* A request of the wrong type, or a method that does not exist, never leaves. */
	assert_int_equal(dpclient_call(e->c, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &ban.base,
				       on_reply, &o1, 1000), -EINVAL);
	assert_int_equal(dpclient_call(e->c, (Bugle__Dp__Method)99, &ban.base, on_reply, &o1, 1000),
			 -EINVAL);
	assert_round_trip(e, 5);
}

static void test_events_delivered(void **state)
{
	struct tenv *e = *state;
	bugle_dp_Event ev = bugle_dp_Event_init_zero;

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	wait_subscribed(e);
	ev.kind = bugle_dp_EventKind_EVENT_MEDIA_TIMEOUT;
	snprintf(ev.call_id, sizeof(ev.call_id), "call-1@192.0.2.20");
	assert_int_equal(dpctl_server_publish(e->srv, &ev), 1);
	snprintf(ev.call_id, sizeof(ev.call_id), "call-2@192.0.2.20");
	assert_int_equal(dpctl_server_publish(e->srv, &ev), 1);
	DP_RUN_UNTIL(&e->io, e->events == 2, WAIT_MS);
	assert_string_equal(e->last_call_id, "call-2@192.0.2.20");
	assert_int_equal(ccount(e, "events_rx"), 2);
}

static void test_pending_fails_unavailable_and_reconnects(void **state)
{
	struct tenv *e = *state;
	struct outcome o;

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	wait_subscribed(e);
	/* The server stops answering, then goes away with the call outstanding. */
	e->serve = false;
	assert_int_equal(heartbeat_call(e, 9, &o, 4000), 0);
	uv_run(&e->io.loop, UV_RUN_NOWAIT);
	dpctl_server_free(e->srv);
	e->srv = NULL;
	DP_RUN_UNTIL(&e->io, o.done, WAIT_MS);
	assert_int_equal(o.status, BUGLE__DP__STATUS__STATUS_UNAVAILABLE);
	assert_int_equal(e->downs, 1);
	assert_false(dpclient_is_up(e->c));
	assert_int_equal(ccount(e, "calls_unavailable"), 1);
	assert_int_equal(heartbeat_call(e, 10, &o, 100), -ENOTCONN);

	/* Let it fail to connect a few times, then bring the data plane back. */
	uint64_t failures = ccount(e, "connect_failures");
	DP_RUN_UNTIL(&e->io, ccount(e, "connect_failures") >= failures + 2, WAIT_MS);
	start_server(e);
	DP_RUN_UNTIL(&e->io, e->ups == 2, WAIT_MS);
	wait_subscribed(e);
	assert_round_trip(e, 11);
	assert_int_equal(ccount(e, "connects"), 2);
}

static void test_backoff_grows(void **state)
{
	struct tenv *e = *state;

	/* Nothing listens on the path: every attempt fails at once. The exact delays are checked
	 * by the back-off's own test; here only bounds that a loaded machine cannot break, since
	 * load only ever makes delays longer: attempts are observed from a 1 ms tick. */
	make_client(e, 60000);	/* no heartbeat during the test */
	DP_RUN_UNTIL(&e->io, e->n_attempts >= 7, WAIT_MS);
	assert_int_equal(e->ups, 0);
	assert_true(ccount(e, "connect_failures") >= 6);
	/* Bases 10, 20, 40, 80, 160, 160 ms, each delay at least half its base: >= 235 ms in
	 * all (a fixed 10 ms retry would take at most 60), less slack for observing attempt 0
	 * late. */
	uint64_t span = e->attempt_at[6] - e->attempt_at[0];
	if (span < 235 - 50)
		fail_msg("6 reconnect delays took %lu ms, want >= 235", (unsigned long)span);
	/* In the first second at most 1 + 5 (growing) + 845 / 80 (capped) attempts. */
	DP_RUN_UNTIL(&e->io, uv_now(&e->io.loop) >= e->attempt_at[0] + 1000, WAIT_MS);
	if (e->n_attempts > 17)
		fail_msg("%d connect attempts in 1 s, want <= 17", e->n_attempts);
}

static void test_call_timeout(void **state)
{
	struct tenv *e = *state;
	struct outcome o;

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	wait_subscribed(e);
	e->serve = false;
	uint64_t t0 = uv_now(&e->io.loop);
	assert_int_equal(heartbeat_call(e, 77, &o, 50), 0);
	DP_RUN_UNTIL(&e->io, o.done, WAIT_MS);
	assert_int_equal(o.status, BUGLE__DP__STATUS__STATUS_DEADLINE_EXCEEDED);
	assert_true(uv_now(&e->io.loop) - t0 >= 50);
	assert_int_equal(ccount(e, "calls_timed_out"), 1);
	/* The late reply is dropped and counted; the connection stays. */
	e->serve = true;
	DP_RUN_UNTIL(&e->io, ccount(e, "responses_unmatched") == 1, WAIT_MS);
	assert_true(dpclient_is_up(e->c));
	assert_round_trip(e, 78);
}

static void test_missed_heartbeats_reset(void **state)
{
	struct tenv *e = *state;

	start_server(e);
	make_client(e, 20);
	wait_subscribed(e);
	e->serve = false;	/* the data plane hangs */
	DP_RUN_UNTIL(&e->io, ccount(e, "heartbeat_resets") == 1, WAIT_MS);
	assert_true(ccount(e, "heartbeats_missed") >= 3);
	assert_true(e->downs >= 1);
	e->serve = true;
	DP_RUN_UNTIL(&e->io, dpclient_is_up(e->c) && e->ups >= 2, WAIT_MS);
	assert_round_trip(e, 99);
}

static void test_free_cancels_pending(void **state)
{
	struct tenv *e = *state;
	struct outcome o;

	start_server(e);
	make_client(e, 60000);	/* no heartbeat during the test */
	wait_subscribed(e);
	e->serve = false;
	assert_int_equal(heartbeat_call(e, 1, &o, 4000), 0);
	dpclient_free(e->c);
	e->c = NULL;
	assert_true(o.done);
	assert_int_equal(o.status, BUGLE__DP__STATUS__STATUS_CANCELLED);
}

/* A fake data plane answering with hostile bytes: the client closes, counts, reconnects. */
static void run_hostile(struct tenv *e, const uint8_t *bytes, size_t len, const char *counter)
{
	static struct fake_dp fake;	/* its poll handle closes on the loop after this returns */

	assert_int_equal(fake_dp_start(&fake, &e->io.loop, e->io.path, bytes, len), 0);
	make_client(e, 60000);	/* no heartbeat during the test */
	DP_RUN_UNTIL(&e->io, ccount(e, counter) >= 2 && ccount(e, "connects") >= 2, WAIT_MS);
	assert_true(fake.accepted >= 2);
	assert_int_equal(e->downs, e->ups - (dpclient_is_up(e->c) ? 1 : 0));
	dpclient_free(e->c);
	e->c = NULL;
	fake_dp_stop(&fake);
}

static void test_garbage_from_dataplane(void **state)
{
	const char http[] = "HTTP/1.1 400 Bad Request\r\n\r\n";

	run_hostile(*state, (const uint8_t *)http, sizeof(http) - 1, "closed_bad_flag");
}

static void test_oversized_from_dataplane(void **state)
{
	const uint8_t hdr[] = { 0, 0x7f, 0xff, 0xff, 0xff };

	run_hostile(*state, hdr, sizeof(hdr), "closed_oversized");
}

static void test_undecodable_from_dataplane(void **state)
{
	const uint8_t frame[] = { 0, 0, 0, 0, 3, 0x08, 0xff, 0xff };

	run_hostile(*state, frame, sizeof(frame), "closed_undecodable");
}

static void test_request_from_dataplane(void **state)
{
	Bugle__Dp__Envelope env = BUGLE__DP__ENVELOPE__INIT;
	uint8_t frame[64];
	size_t len;

	env.request_id = 1;
	env.kind = BUGLE__DP__KIND__KIND_REQUEST;
	env.method = BUGLE__DP__METHOD__METHOD_DRAIN;
	len = bugle__dp__envelope__pack(&env, frame + 5);
	frame[0] = 0;
	frame[1] = frame[2] = frame[3] = 0;
	frame[4] = (uint8_t)len;
	run_hostile(*state, frame, 5 + len, "closed_bad_kind");
}

static void test_bad_config_and_counter_names(void **state)
{
	struct tenv *e = *state;
	struct dpclient_config cfg = { .addr = "localhost:7010" };
	const char *names[64];
	uint64_t values[64], v;

	assert_null(dpclient_new(&e->io.loop, &cfg, NULL));
	assert_int_equal(errno, EINVAL);
	cfg.addr = NULL;
	assert_null(dpclient_new(&e->io.loop, &cfg, NULL));
	assert_int_equal(errno, EINVAL);

	make_client(e, 60000);	/* no heartbeat during the test */
	assert_int_equal(dpclient_counters(e->c, names, values, 64), DPCLIENT_N_COUNTERS);
	assert_string_equal(names[DPCLIENT_C_heartbeat_resets], "heartbeat_resets");
	assert_int_equal(dpclient_counter(e->c, "no_such_counter", &v), -ENOENT);
}

/* --- the blocking client ------------------------------------------------------------------- */

struct server_thread {
	struct dpctl_server *srv;
	atomic_bool stop;
	atomic_bool serve;
};

static void *serve_thread(void *arg)
{
	struct server_thread *st = arg;

	while (!atomic_load(&st->stop))
		if (atomic_load(&st->serve))
			dpctl_server_poll(st->srv, 5);
		else
			usleep(1000);
	return NULL;
}

static void test_sync_call(void **state)
{
	struct dpctl_server_config cfg = { .listen = "127.0.0.1:0" };
	struct server_thread st = { 0 };
	pthread_t th;
	char addr[64], err[128];
	Bugle__Dp__HeartbeatRequest hb = BUGLE__DP__HEARTBEAT_REQUEST__INIT;
	Bugle__Dp__Ban ban = BUGLE__DP__BAN__INIT;
	ProtobufCMessage *reply = NULL;

	(void)state;
	st.srv = dpctl_server_new(&cfg, methods, sizeof(methods) / sizeof(methods[0]), NULL);
	assert_non_null(st.srv);
	atomic_store(&st.serve, true);
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", dpctl_server_port(st.srv));
	assert_int_equal(pthread_create(&th, NULL, serve_thread, &st), 0);

	hb.sent_ns = 31337;
	hb.node = "tool";
	assert_int_equal(dpclient_sync_call(addr, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &hb.base,
					    NULL, &reply, err, sizeof(err), 2000), 0);
	assert_non_null(reply);
	assert_int_equal(((Bugle__Dp__HeartbeatReply *)reply)->sent_ns, 31337);
	assert_string_equal(((Bugle__Dp__HeartbeatReply *)reply)->node, "dp-tool");
	protobuf_c_message_free_unpacked(reply, NULL);

	reply = NULL;
	assert_int_equal(dpclient_sync_call(addr, BUGLE__DP__METHOD__METHOD_BAN_ADD, &ban.base,
					    NULL, &reply, err, sizeof(err), 2000),
			 BUGLE__DP__STATUS__STATUS_INVALID_ARGUMENT);
	assert_null(reply);
	assert_string_equal(err, "no such source");

	assert_int_equal(dpclient_sync_call(addr, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &ban.base,
					    NULL, &reply, err, sizeof(err), 2000), -EINVAL);
	assert_int_equal(dpclient_sync_call("unix:/nonexistent/dp.sock",
					    BUGLE__DP__METHOD__METHOD_HEARTBEAT, &hb.base, NULL,
					    &reply, err, sizeof(err), 2000), -ENOENT);
	assert_true(strlen(err) > 0);

	/* A data plane that accepts (backlog) but never answers: the timeout holds. */
	atomic_store(&st.serve, false);
	usleep(20000);
	assert_int_equal(dpclient_sync_call(addr, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &hb.base,
					    NULL, &reply, err, sizeof(err), 100), -ETIMEDOUT);
	atomic_store(&st.stop, true);
	pthread_join(th, NULL);
	dpctl_server_free(st.srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_call_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_statuses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_delivered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_fails_unavailable_and_reconnects, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_backoff_grows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missed_heartbeats_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_free_cancels_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_from_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_from_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undecodable_from_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_from_dataplane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_config_and_counter_names, setup, teardown),
		cmocka_unit_test(test_sync_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
