/* The bus against a real throwaway RabbitMQ: round trip, routing, and reconnect after the
 * broker restarts (with messages kept, bounded, while it was away). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bugle/log.h"
#include "cp/bus.h"
#include "loop-wait.h"
#include "throwaway.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_SEEN 16

struct inbox {
	int count;
	char exchange[MAX_SEEN][64];
	char key[MAX_SEEN][128];
	char body[MAX_SEEN][128];
};

static void on_msg(void *arg, const char *exchange, const char *key, const char *body,
		   size_t len)
{
	struct inbox *in = arg;
	if (in->count < MAX_SEEN) {
		snprintf(in->exchange[in->count], 64, "%s", exchange);
		snprintf(in->key[in->count], 128, "%s", key);
		snprintf(in->body[in->count], 128, "%.*s", (int)len, body);
	}
	in->count++;
}

struct updown {
	int up, down;
};

static void on_state(void *arg, bool up, const char *error)
{
	(void)error;
	struct updown *s = arg;
	if (up)
		s->up++;
	else
		s->down++;
}

static void run_for(uv_loop_t *loop, int ms)
{
	int never = 0;
	loop_wait(loop, &never, 1, ms);
}

static struct cp_bus *new_bus(uv_loop_t *loop, const char *node, unsigned pending,
			      struct updown *st)
{
	struct cp_bus_options opt = {
		.url = throwaway_group()->rabbit_url,
		.exchange_prefix = "test.",
		.node = node,
		.heartbeat_s = 2,
		.pending_max = pending,
		.reconnect_max_ms = 500,
		.on_state = on_state,
		.state_arg = st,
	};
	struct cp_bus *b = cp_bus_new(loop, &opt);
	assert_non_null(b);
	assert_int_equal(cp_bus_start(b), 0);
	return b;
}

static void test_roundtrip_and_reconnect(void **state)
{
	(void)state;
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct updown sa = { 0 }, sb = { 0 };
	struct cp_bus *a = new_bus(&loop, "a", 3, &sa);
	struct cp_bus *b = new_bus(&loop, "b", 3, &sb);
	loop_wait(&loop, &sb.up, 1, 5000);
	assert_true(cp_bus_connected(a));
	assert_true(cp_bus_connected(b));

	struct inbox at_b = { 0 }, own = { 0 };
	assert_int_equal(cp_bus_subscribe(b, "configuration", "doc_edited.*.device.*", on_msg,
					  &at_b), 0);
	assert_int_equal(cp_bus_subscribe(a, "callevt", "#", on_msg, &own), 0);
	assert_int_equal(cp_bus_subscribe(b, "nosuch", "#", on_msg, &at_b), -EINVAL);
	assert_int_equal(cp_bus_publish(a, "nosuch", "k", "{}"), -EINVAL);

	/* Only the matching routing key reaches b; a non-matching one sent first must not. */
	assert_int_equal(cp_bus_publish(a, "configuration", "doc_edited.acct1.user.u1", "{\"n\":0}"),
			 0);
	assert_int_equal(cp_bus_publish(a, "configuration", "doc_edited.acct1.device.d1",
					"{\"n\":1}"), 0);
	loop_wait(&loop, &at_b.count, 1, 5000);
	run_for(&loop, 200);
	assert_int_equal(at_b.count, 1);
	assert_string_equal(at_b.exchange[0], "configuration");
	assert_string_equal(at_b.key[0], "doc_edited.acct1.device.d1");
	assert_string_equal(at_b.body[0], "{\"n\":1}");
	assert_int_equal(own.count, 0);

	/* The broker goes away: both notice, and publishing keeps the newest 3 messages. */
	assert_int_equal(throwaway_rabbit_stop(throwaway_group()), 0);
	loop_wait(&loop, &sa.down, 1, 10000);
	loop_wait(&loop, &sb.down, 1, 10000);
	assert_false(cp_bus_connected(a));
	for (int i = 0; i < 5; i++) {
		char body[32];
		snprintf(body, sizeof(body), "{\"n\":%d}", 10 + i);
		assert_int_equal(cp_bus_publish(a, "callevt", "CHANNEL_CREATE", body), 0);
	}
	struct cp_bus_stats stats;
	cp_bus_stats(a, &stats);
	assert_int_equal(stats.queued, 5);
	assert_int_equal(stats.dropped, 2);

	/* It comes back: both reconnect by themselves, bindings are restored, and what was kept
	 * is sent (a hears its own events: its queue is bound before the backlog is flushed). */
	assert_int_equal(throwaway_rabbit_start(throwaway_group()), 0);
	loop_wait(&loop, &sa.up, 2, 30000);
	loop_wait(&loop, &sb.up, 2, 30000);
	assert_true(cp_bus_connected(a));
	assert_true(cp_bus_connected(b));
	loop_wait(&loop, &own.count, 3, 5000);
	assert_int_equal(own.count, 3);
	assert_string_equal(own.body[0], "{\"n\":12}");
	assert_string_equal(own.body[1], "{\"n\":13}");
	assert_string_equal(own.body[2], "{\"n\":14}");
	assert_string_equal(own.exchange[0], "callevt");
	assert_string_equal(own.key[0], "CHANNEL_CREATE");

	assert_int_equal(cp_bus_publish(a, "configuration", "doc_edited.acct2.device.d9",
					"{\"n\":2}"), 0);
	loop_wait(&loop, &at_b.count, 2, 5000);
	assert_int_equal(at_b.count, 2);
	assert_string_equal(at_b.body[1], "{\"n\":2}");

	/* Heartbeats keep an idle connection alive past several heartbeat periods. */
	run_for(&loop, 5000);
	assert_true(cp_bus_connected(a));
	assert_int_equal(sa.down, 1);

	cp_bus_stats(b, &stats);
	assert_int_equal(stats.received, 2);
	assert_int_equal(stats.connects, 2);

	cp_bus_close(a);
	cp_bus_close(b);
	assert_int_equal(cp_bus_publish(a, "callevt", "k", "{}"), -ESHUTDOWN);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

/* No broker at all: start does not fail, the bus reports down and keeps retrying. */
static void test_no_broker(void **state)
{
	(void)state;
	uv_loop_t loop;
	uv_loop_init(&loop);
	struct updown st = { 0 };
	struct cp_bus_options opt = {
		.url = "amqp://guest:guest@127.0.0.1:1/",
		.exchange_prefix = "test.",
		.node = "lonely",
		.pending_max = 2,
		.reconnect_max_ms = 200,
		.on_state = on_state,
		.state_arg = &st,
	};
	struct cp_bus *b = cp_bus_new(&loop, &opt);
	assert_non_null(b);
	assert_int_equal(cp_bus_start(b), 0);
	loop_wait(&loop, &st.down, 3, 5000);
	assert_true(st.down >= 3);
	assert_int_equal(st.up, 0);
	struct cp_bus_stats stats;
	cp_bus_stats(b, &stats);
	assert_true(stats.connect_failures >= 3);
	cp_bus_close(b);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);

	opt.url = "http://not-amqp/";
	uv_loop_init(&loop);
	assert_null(cp_bus_new(&loop, &opt));
	assert_int_equal(uv_loop_close(&loop), 0);
}

int main(void)
{
	bgl_log_setup("test", BGL_LOG_TEXT, BGL_LOG_ERR, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_and_reconnect),
		cmocka_unit_test(test_no_broker),
	};
	return cmocka_run_group_tests(tests, throwaway_group_rabbit, throwaway_group_teardown);
}
