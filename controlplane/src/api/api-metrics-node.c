/* The node's families on /metrics, read from the daemon context: PostgreSQL pool, RabbitMQ,
 * the call controller (live calls, outcomes, calls per second), the calls service (CDRs,
 * webhooks, channels) and the SIP node (stack and registrar counters). Each source that is
 * not running (no context, module off) is simply left out. */
#include "api-int.h"
#include "api-metrics-expo.h"
#include "calls.h"
#include "cp/bus.h"
#include "cp/context-t.h"
#include "cp/pg-pool.h"
#include "csip.h"
#include "mod-call.h"

#include <stdio.h>
#include <string.h>

#define P "bugle_controlplane_"

static void postgres(struct cp_pg_pool *pg, struct api_expo *w)
{
	struct cp_pg_stats s;
	struct cp_pg_usage u;
	cp_pg_pool_stats(pg, &s);
	cp_pg_pool_usage(pg, &u);
	api_expo_gauge(w, P "postgres_up", "1 while the pool has a usable connection",
		       cp_pg_pool_up(pg));
	api_expo_gauge(w, P "postgres_connections", "connections open and usable", u.connected);
	api_expo_gauge(w, P "postgres_connections_busy", "connections running a query", u.busy);
	api_expo_gauge(w, P "postgres_connections_max", "connections the pool is configured for",
		       u.size);
	api_expo_gauge(w, P "postgres_queries_waiting", "queries waiting for a connection",
		       u.queued);
	api_expo_counter(w, P "postgres_queries_total", "queries completed", s.queries);
	api_expo_counter(w, P "postgres_errors_total", "queries completed with an error",
			 s.failed);
	api_expo_counter(w, P "postgres_rejected_total",
			 "queries refused at submit (pool down or queue full)", s.rejected);
	api_expo_counter(w, P "postgres_reconnects_total", "connection attempts after the first",
			 s.reconnects);
}

static void rabbitmq(struct cp_bus *bus, struct api_expo *w)
{
	struct cp_bus_stats s;
	cp_bus_stats(bus, &s);
	api_expo_gauge(w, P "rabbitmq_up", "1 while connected to the broker",
		       cp_bus_connected(bus));
	api_expo_counter(w, P "rabbitmq_published_total", "messages handed to the broker",
			 s.published);
	api_expo_counter(w, P "rabbitmq_received_total", "messages delivered to subscribers",
			 s.received);
	api_expo_counter(w, P "rabbitmq_queued_total", "messages kept while disconnected",
			 s.queued);
	api_expo_counter(w, P "rabbitmq_dropped_total",
			 "pending messages thrown away because the queue was full", s.dropped);
	api_expo_counter(w, P "rabbitmq_unrouted_total",
			 "messages received that matched no subscription", s.unrouted);
	api_expo_counter(w, P "rabbitmq_connects_total", "successful connections", s.connects);
	api_expo_counter(w, P "rabbitmq_connect_failures_total", "failed connection attempts",
			 s.connect_failures);
}

/* The controller's counters that end a call (or refuse it) go into calls_total by outcome;
 * the others are families of their own. */
static bool is_outcome(const char *name)
{
	static const char *const outcomes[] = {
		"challenged", "auth_failed", "no_sdp", "reinvites", "store_errors", "answered",
		"cancelled", "media_failed", "no_registration", "killed",
	};
	for (size_t i = 0; i < sizeof(outcomes) / sizeof(outcomes[0]); i++)
		if (strcmp(outcomes[i], name) == 0)
			return true;
	return false;
}

static double cps(const struct api_cps *c)
{
	if (c->filled < 2)
		return 0;
	unsigned newest = (c->next + API_CPS_SAMPLES - 1) % API_CPS_SAMPLES;
	unsigned oldest = c->filled < API_CPS_SAMPLES ? 0 : c->next;
	return (double)(c->samples[newest] - c->samples[oldest]) / (double)(c->filled - 1);
}

static void calls(struct api_server *api, struct api_expo *w)
{
	struct call_counters c;
	if (!call_module_counters(&c))
		return;
	struct { const char *name, *doc; uint64_t v; } all[] = {
#define CALL_METRIC_ROW(n, d) { #n, d, c.n },
		CALL_COUNTERS(CALL_METRIC_ROW)
#undef CALL_METRIC_ROW
	};
	api_expo_gauge(w, P "calls_live", "calls in progress on this node", c.live);
	api_expo_family(w, P "calls_total", "counter",
			"calls ended or refused by the call controller, by outcome");
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (is_outcome(all[i].name))
			api_expo_sample(w, P "calls_total",
					&(struct api_label){ "outcome", all[i].name }, 1, all[i].v);
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (is_outcome(all[i].name))
			continue;
		char fam[96];
		snprintf(fam, sizeof(fam), P "call_%s_total", all[i].name);
		api_expo_counter(w, fam, all[i].doc, all[i].v);
	}
	api_expo_family(w, P "calls_per_second", "gauge",
			"calls handed to the callflow engine per second, over the last 5 s");
	api_expo_sample_double(w, P "calls_per_second", NULL, 0, cps(&api->cps));
}

void api_metrics_tick(struct api_server *api)
{
	struct call_counters c;
	if (!call_module_counters(&c))
		return;
	api->cps.samples[api->cps.next] = c.calls_started;
	api->cps.next = (api->cps.next + 1) % API_CPS_SAMPLES;
	if (api->cps.filled < API_CPS_SAMPLES)
		api->cps.filled++;
}

static void calls_service(const struct calls_service *s, struct api_expo *w)
{
	struct calls_stats st;
	calls_service_stats(s, &st);
	api_expo_gauge(w, P "channels", "live channels known on every node", st.channels);
	api_expo_counter(w, P "channel_events_total", "channel events of this node's legs",
			 st.events);
	api_expo_counter(w, P "channel_events_refused_total",
			 "channel events refused (no call id or account)", st.events_refused);
	api_expo_counter(w, P "channel_events_remote_total", "channel events heard from other nodes",
			 st.remote_events);
	const struct api_expo_row cdr[] = {
		{ "stored", st.cdr_stored }, { "queued", st.cdr_queued }, { "dropped", st.cdr_dropped },
	};
	api_expo_rows(w, P "cdrs_total", "counter", "call detail records, by what became of them",
		      "result", cdr, sizeof(cdr) / sizeof(cdr[0]));
	const struct api_expo_row wh[] = {
		{ "fired", st.webhooks_fired }, { "sent", st.webhooks_delivered },
		{ "failed", st.webhooks_failed }, { "dropped", st.webhooks_dropped },
	};
	api_expo_rows(w, P "webhooks_total", "counter", "webhook requests, by result", "result", wh,
		      sizeof(wh) / sizeof(wh[0]));
	api_expo_counter(w, P "webhooks_disabled_total",
			 "webhooks switched off after repeated failures", st.webhooks_disabled);
	api_expo_gauge(w, P "webhooks_pending", "webhook requests in flight", st.webhooks_pending);
}

static void sip(const struct csip_node *n, struct api_expo *w)
{
	struct csip_stack_counters st;
	struct csip_registrar_counters rg;
	csip_stack_counters(n->stack, &st);
	csip_registrar_counters(n->registrar, &rg);
	char fam[96];
#define SIP_STACK_ROW(name, doc)                                                               \
	snprintf(fam, sizeof(fam), P "sip_%s_total", #name);                                   \
	api_expo_counter(w, fam, doc, st.name);
	CSIP_STACK_COUNTERS(SIP_STACK_ROW)
#undef SIP_STACK_ROW
	api_expo_gauge(w, P "sip_transactions", "SIP transactions live", st.transactions_live);
	api_expo_counter(w, P "sip_options_answered_total", "OPTIONS answered",
			 n->options_answered);
	api_expo_counter(w, P "sip_not_implemented_total", "requests answered 501",
			 n->not_implemented);
#define SIP_REG_ROW(name, doc)                                                                 \
	snprintf(fam, sizeof(fam), P "registrar_%s_total", #name);                             \
	api_expo_counter(w, fam, doc, rg.name);
	CSIP_REGISTRAR_COUNTERS(SIP_REG_ROW)
#undef SIP_REG_ROW
}

void api_metrics_node(struct api_server *api, struct api_expo *w)
{
	const struct cp_ctx *ctx = api->opt.ctx;
	if (!ctx)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	api_expo_gauge(w, P "uptime_seconds", "seconds since start-up",
		       (uint64_t)(now.tv_sec - ctx->health.started.tv_sec));
	if (ctx->pg)
		postgres(ctx->pg, w);
	if (ctx->bus)
		rabbitmq(ctx->bus, w);
	calls(api, w);
	if (ctx->calls)
		calls_service(ctx->calls, w);
	if (ctx->sip)
		sip(ctx->sip, w);
}
