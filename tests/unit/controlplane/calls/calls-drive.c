/* Test-only driver for the calls end-to-end test: the calls service with the real PostgreSQL
 * pool and RabbitMQ bus, fed one fake call's channel events (no SIP yet), printing what it
 * hears on the callevt exchange and the service's counters as JSON when everything settled.
 * Exit status: 0 settled, 1 timed out, 2 bad usage or start-up failure.
 *
 * calls-drive --pg CONNINFO --amqp URL --account ID --call-id ID --events create,answer,destroy
 *             [--wait-hooks N] [--set calls.k=v ...] [--timeout S]
 *             [--hold-ms N] [--peek-ms N] [--hangup CALL_ID] [--list-cdrs PAGE_SIZE]
 * After settling it waits --hold-ms (its channels stay up), prints "CHANNELS <json>" (the
 * account's channels on every node; also as "CHANNELS-PEEK <json>" --peek-ms into the hold), asks for --hangup of a call, pages through the account's
 * CDRs of the last hour ("CDR <id>" lines, "PAGE" between pages), then exits. Hang-up
 * requests for its own calls print "HANGUP-HOOK <account> <call-id>".
 */
#include "calls.h"
#include "cp/bus.h"
#include "cp/pg-pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 16
#define MAX_SETS 16

struct drive {
	uv_loop_t *loop;
	struct cp_pg_pool *pg;
	struct cp_bus *bus;
	struct calls_service *calls;
	const char *account, *call_id;
	enum calls_event_kind events[MAX_EVENTS];
	unsigned n_events;
	unsigned wait_hooks;
	int phase;			/* 0 waiting, 1 fired, 3 holding, 4 listing, 2 done */
	unsigned bus_heard;		/* messages about our call */
	uint64_t deadline_ms;
	uint64_t hold_ms, hold_until_ms, peek_ms, peek_at_ms;
	const char *hangup;
	unsigned cdr_page;
	char start_key[640];
	bool listing;
	int exit_code;
	uv_timer_t tick;
};

static int64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void on_bus(void *arg, const char *exchange, const char *key, const char *body,
		   size_t len)
{
	struct drive *d = arg;
	json_t *msg = json_loadb(body, len, 0, NULL);
	const char *cid = json_string_value(json_object_get(msg, "Call-ID"));
	if (!cid)
		cid = json_string_value(json_object_get(msg, "call_id"));
	if (cid && strcmp(cid, d->call_id) == 0) {
		d->bus_heard++;
		printf("BUS %s %s %.*s\n", exchange, key, (int)len, body);
		fflush(stdout);
	}
	json_decref(msg);
}

static void fire(struct drive *d)
{
	int64_t t0 = now_us() - 5000000; /* the call began 5 s ago, answered after 1 s */
	struct calls_leg leg = {
		.call_id = d->call_id,
		.account_id = d->account,
		.other_leg_call_id = "e2e-b-leg",
		.direction = CALLS_INBOUND,
		.caller_id_name = "Alice",
		.caller_id_number = "1001",
		.callee_id_name = "Bob",
		.callee_id_number = "1002",
		.from = "1001@e2e.example.net",
		.to = "1002@e2e.example.net",
		.request = "1002@e2e.example.net",
		.authorizing_id = "e2e-device",
		.authorizing_type = "device",
		.user_agent = "calls-drive",
		.hangup_cause = "NORMAL_CLEARING",
		.hangup_code = 200,
		.created_us = t0,
	};
	for (unsigned i = 0; i < d->n_events; i++) {
		if (d->events[i] != CALLS_CHANNEL_CREATE)
			leg.answered_us = t0 + 1000000;
		if (d->events[i] == CALLS_CHANNEL_DESTROY)
			leg.ended_us = now_us();
		leg.event_us = now_us();
		calls_event(d->calls, d->events[i], &leg);
	}
}

static bool wants_destroy(const struct drive *d)
{
	for (unsigned i = 0; i < d->n_events; i++)
		if (d->events[i] == CALLS_CHANNEL_DESTROY)
			return true;
	return false;
}

static void finish(struct drive *d, int code)
{
	struct calls_stats st;
	calls_service_stats(d->calls, &st);
	printf("STATS {\"events\":%llu,\"published\":%llu,\"cdr_stored\":%llu,"
	       "\"webhooks_loaded\":%llu,\"webhooks_fired\":%llu,\"webhooks_delivered\":%llu,"
	       "\"webhooks_failed\":%llu,\"webhooks_disabled\":%llu,\"bus_heard\":%u}\n",
	       (unsigned long long)st.events, (unsigned long long)st.published,
	       (unsigned long long)st.cdr_stored, (unsigned long long)st.webhooks_loaded,
	       (unsigned long long)st.webhooks_fired, (unsigned long long)st.webhooks_delivered,
	       (unsigned long long)st.webhooks_failed, (unsigned long long)st.webhooks_disabled,
	       d->bus_heard);
	fflush(stdout);
	d->exit_code = code;
	d->phase = 2;
	uv_timer_stop(&d->tick);
	uv_close((uv_handle_t *)&d->tick, NULL);
	calls_service_close(d->calls);
	cp_bus_close(d->bus);
	cp_pg_pool_close(d->pg);
}

static int hangup_hook(void *arg, const char *account_id, const char *call_id)
{
	(void)arg;
	printf("HANGUP-HOOK %s %s\n", account_id, call_id);
	fflush(stdout);
	return 0;
}

static void list_page(struct drive *d);

static void on_cdr_page(void *arg, const PGresult *res, const char *error)
{
	struct drive *d = arg;
	d->listing = false;
	if (error) {
		fprintf(stderr, "calls-drive: CDR list: %s\n", error);
		d->cdr_page = 0;
		return;
	}
	int n = PQntuples(res);
	for (int i = 0; i < n && (unsigned)i < d->cdr_page; i++)
		printf("CDR %s\n", PQgetvalue(res, i, 0));
	if ((unsigned)n > d->cdr_page) {
		snprintf(d->start_key, sizeof(d->start_key), "%s", PQgetvalue(res, n - 1, 0));
		printf("PAGE\n");
		list_page(d);
	} else {
		d->cdr_page = 0; /* done */
	}
	fflush(stdout);
}

static void list_page(struct drive *d)
{
	int64_t now = now_us() / 1000000;
	if (calls_cdr_list(d->pg, d->account, now - 3600, now + 1,
			   d->start_key[0] ? d->start_key : NULL, d->cdr_page, on_cdr_page, d) == 0)
		d->listing = true;
	else
		d->cdr_page = 0;
}

static void print_channels(struct drive *d, const char *label)
{
	json_t *ch = calls_channels_json(d->calls, d->account);
	char *text = ch ? json_dumps(ch, JSON_COMPACT) : NULL;
	printf("%s %s\n", label, text ? text : "null");
	free(text);
	json_decref(ch);
	fflush(stdout);
}

static void after_hold(struct drive *d)
{
	print_channels(d, "CHANNELS");
	if (d->hangup)
		printf("HANGUP %d\n", calls_hangup(d->calls, d->account, d->hangup));
	fflush(stdout);
	if (d->cdr_page)
		list_page(d);
}

static void on_tick(uv_timer_t *t)
{
	struct drive *d = t->data;
	struct calls_stats st;
	calls_service_stats(d->calls, &st);
	if (uv_now(d->loop) > d->deadline_ms) {
		fprintf(stderr, "calls-drive: timed out in phase %d\n", d->phase);
		finish(d, 1);
		return;
	}
	if (d->phase == 0) {
		if (cp_pg_pool_up(d->pg) && cp_bus_connected(d->bus) &&
		    st.webhooks_loaded >= d->wait_hooks) {
			/* Give the broker a moment to bind our queue before we publish. */
			d->phase = 1;
			fire(d);
		}
		return;
	}
	if (d->phase == 1) {
		unsigned want_bus = d->n_events + (wants_destroy(d) ? 1 : 0);
		if (st.webhooks_pending == 0 && (!wants_destroy(d) || st.cdr_stored >= 1) &&
		    d->bus_heard >= want_bus) {
			d->phase = 3;
			d->hold_until_ms = uv_now(d->loop) + d->hold_ms;
			d->peek_at_ms = d->peek_ms ? uv_now(d->loop) + d->peek_ms : 0;
		}
		return;
	}
	if (d->phase == 3 && d->peek_at_ms && uv_now(d->loop) >= d->peek_at_ms) {
		d->peek_at_ms = 0;
		print_channels(d, "CHANNELS-PEEK");
	}
	if (d->phase == 3 && uv_now(d->loop) >= d->hold_until_ms) {
		d->phase = 4;
		after_hold(d);
		return;
	}
	/* Settled, held, listed: give a published hang-up request a moment to leave. */
	if (d->phase == 4 && !d->listing && d->cdr_page == 0 && cp_bus_connected(d->bus))
		finish(d, 0);
}

static int parse_events(struct drive *d, char *list)
{
	static const char *const names[] = { "create", "answer", "bridge", "destroy", "dtmf" };
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		unsigned k;
		for (k = 0; k < 5 && strcmp(tok, names[k]) != 0; k++)
			;
		if (k == 5 || d->n_events == MAX_EVENTS)
			return -1;
		d->events[d->n_events++] = (enum calls_event_kind)k;
	}
	return d->n_events ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct drive d = { .wait_hooks = 0 };
	const char *pg = NULL, *amqp = NULL, *sets[MAX_SETS];
	size_t n_sets = 0;
	long timeout_s = 60;
	for (int i = 1; i + 1 < argc; i += 2) {
		const char *k = argv[i], *v = argv[i + 1];
		if (!strcmp(k, "--pg"))
			pg = v;
		else if (!strcmp(k, "--amqp"))
			amqp = v;
		else if (!strcmp(k, "--account"))
			d.account = v;
		else if (!strcmp(k, "--call-id"))
			d.call_id = v;
		else if (!strcmp(k, "--events") && parse_events(&d, argv[i + 1]) == 0)
			;
		else if (!strcmp(k, "--wait-hooks"))
			d.wait_hooks = (unsigned)atoi(v);
		else if (!strcmp(k, "--timeout"))
			timeout_s = atol(v);
		else if (!strcmp(k, "--hold-ms"))
			d.hold_ms = (uint64_t)atol(v);
		else if (!strcmp(k, "--peek-ms"))
			d.peek_ms = (uint64_t)atol(v);
		else if (!strcmp(k, "--hangup"))
			d.hangup = v;
		else if (!strcmp(k, "--list-cdrs"))
			d.cdr_page = (unsigned)atoi(v);
		else if (!strcmp(k, "--set") && n_sets < MAX_SETS)
			sets[n_sets++] = v;
		else {
			fprintf(stderr, "calls-drive: bad argument %s\n", k);
			return 2;
		}
	}
	if (!pg || !amqp || !d.account || !d.call_id || !d.n_events) {
		fprintf(stderr, "calls-drive: --pg, --amqp, --account, --call-id and --events are "
				"required\n");
		return 2;
	}
	struct calls_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	if (calls_config_build(&cfg, sets, n_sets, &err) < 0) {
		fprintf(stderr, "calls-drive: %s\n", err.msg);
		return 2;
	}
	char node[64];
	snprintf(node, sizeof(node), "calls-drive-%d", (int)getpid());
	uv_loop_t loop;
	uv_loop_init(&loop);
	d.loop = &loop;
	struct cp_pg_pool_options po = { .conninfo = pg, .size = 2, .queue_max = 1024,
					 .reconnect_max_ms = 1000 };
	struct cp_bus_options bo = { .url = amqp, .exchange_prefix = "bugle.", .node = node,
				     .pending_max = 1024, .reconnect_max_ms = 1000 };
	d.pg = cp_pg_pool_new(&loop, &po);
	d.bus = cp_bus_new(&loop, &bo);
	struct calls_options co = { .pg = d.pg, .bus = d.bus, .node = node, .cfg = &cfg };
	d.calls = d.pg && d.bus ? calls_service_new(&loop, &co) : NULL;
	if (!d.calls || cp_pg_pool_start(d.pg) < 0 ||
	    cp_bus_subscribe(d.bus, "callevt", "call.#", on_bus, &d) < 0 ||
	    cp_bus_subscribe(d.bus, "callevt", "cdr.#", on_bus, &d) < 0 ||
	    calls_service_start(d.calls) < 0) {
		fprintf(stderr, "calls-drive: start-up failed\n");
		return 2;
	}
	calls_set_hangup(d.calls, hangup_hook, &d);
	cp_bus_start(d.bus);
	uv_update_time(&loop);
	d.deadline_ms = uv_now(&loop) + (uint64_t)timeout_s * 1000;
	uv_timer_init(&loop, &d.tick);
	d.tick.data = &d;
	uv_timer_start(&d.tick, on_tick, 50, 50);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return d.exit_code;
}
