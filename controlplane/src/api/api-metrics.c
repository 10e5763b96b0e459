/* GET /metrics on the API port: the API's own families (requests by status class, refusals,
 * latency, caches, the create batcher, bus events) followed by the node's (api-metrics-node.c).
 * No token: Prometheus scrapes it, and the API listens on loopback by default. Names follow
 * the data plane's exporter with the prefix bugle_controlplane_. */
#include "api-int.h"
#include "api-metrics-expo.h"
#include "cache.h"
#include "store-batch.h"

#include <stdio.h>
#include <stdlib.h>

#define P "bugle_controlplane_api_"

/* Upper bounds in seconds; the last bucket (+Inf) has none. */
static const double latency_bounds[API_LATENCY_BUCKETS - 1] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
};

void api_metrics_observe(struct api_server *api, uint64_t started_ns)
{
	uint64_t ns = uv_hrtime() - started_ns;
	double s = (double)ns / 1e9;
	unsigned b = 0;
	while (b < API_LATENCY_BUCKETS - 1 && s > latency_bounds[b])
		b++;
	api->latency.buckets[b]++;
	api->latency.count++;
	api->latency.sum_ns += ns;
}

static void requests(struct api_server *api, struct api_expo *w)
{
	const struct api_counters *c = &api->counters;
	api_expo_counter(w, P "requests_received_total", "HTTP requests received", c->requests);
	const struct api_expo_row st[] = {
		{ "2xx", c->responses_2xx }, { "4xx", c->responses_4xx }, { "5xx", c->responses_5xx },
	};
	api_expo_rows(w, P "requests_total", "counter", "HTTP requests answered, by status class",
		      "status", st, sizeof(st) / sizeof(st[0]));
	const struct api_expo_row rf[] = {
		{ "body_too_large", c->body_too_large }, { "bad_json", c->bad_json },
		{ "unauthorized", c->unauthorized }, { "forbidden", c->forbidden },
	};
	api_expo_rows(w, P "refusals_total", "counter",
		      "requests refused before their handler, by reason", "reason", rf,
		      sizeof(rf) / sizeof(rf[0]));
	api_expo_gauge(w, P "store_calls_in_flight", "store calls waiting for PostgreSQL",
		       api->inflight);
}

static void latency(struct api_server *api, struct api_expo *w)
{
	const char *fam = P "request_duration_seconds";
	api_expo_family(w, fam, "histogram", "time from a request's arrival to its answer");
	uint64_t cum = 0;
	char le[32];
	for (unsigned b = 0; b < API_LATENCY_BUCKETS; b++) {
		cum += api->latency.buckets[b];
		if (b < API_LATENCY_BUCKETS - 1)
			snprintf(le, sizeof(le), "%g", latency_bounds[b]);
		else
			snprintf(le, sizeof(le), "+Inf");
		api_expo_sample(w, P "request_duration_seconds_bucket", &(struct api_label){ "le", le },
				1, cum);
	}
	api_expo_sample_double(w, P "request_duration_seconds_sum", NULL, 0,
			       (double)api->latency.sum_ns / 1e9);
	api_expo_sample(w, P "request_duration_seconds_count", NULL, 0, api->latency.count);
}

static void caches(struct api_server *api, struct api_expo *w)
{
	struct cache_stats s[2];
	cache_get_stats(api->docs, &s[0]);
	cache_get_stats(api->tokens, &s[1]);
	static const char *const names[] = { "documents", "sessions" };
	static const struct { const char *fam, *type, *help; } fams[] = {
		{ P "cache_hits_total", "counter", "cache lookups answered from memory" },
		{ P "cache_misses_total", "counter", "cache lookups that went to PostgreSQL" },
		{ P "cache_invalidations_total", "counter", "entries dropped on change events" },
		{ P "cache_entries", "gauge", "entries held" },
	};
	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		api_expo_family(w, fams[f].fam, fams[f].type, fams[f].help);
		for (size_t i = 0; i < 2; i++) {
			uint64_t v = f == 0 ? s[i].hits : f == 1 ? s[i].misses
					 : f == 2 ? s[i].invalidations : (uint64_t)s[i].entries;
			api_expo_sample(w, fams[f].fam, &(struct api_label){ "cache", names[i] }, 1, v);
		}
	}
}

static void batcher(struct api_server *api, struct api_expo *w)
{
	struct store_batch_stats b;
	store_batcher_stats(api->creates, &b);
	api_expo_counter(w, P "create_statements_total",
			 "document create statements sent (group commit: one may carry many)",
			 b.statements);
	api_expo_counter(w, P "create_rows_total", "documents created through grouped statements",
			 b.rows);
	api_expo_counter(w, P "create_retried_alone_total",
			 "creates re-sent one by one after their group failed", b.retried_alone);
	api_expo_gauge(w, P "create_group_largest", "most creates one statement has carried",
		       b.largest);
}

static void events(struct api_server *api, struct api_expo *w)
{
	const struct api_counters *c = &api->counters;
	const struct api_expo_row ev[] = {
		{ "published", c->events_published }, { "received", c->events_received },
		{ "malformed", c->events_bad },
	};
	api_expo_rows(w, P "doc_events_total", "counter",
		      "document change events on the bus, by direction", "direction", ev,
		      sizeof(ev) / sizeof(ev[0]));
}

void api_h_metrics(struct api_req *r)
{
	struct api_server *api = r->api;
	struct api_expo w;
	api_expo_init(&w);
	requests(api, &w);
	latency(api, &w);
	caches(api, &w);
	batcher(api, &w);
	events(api, &w);
	api_metrics_node(api, &w);
	size_t len;
	char *text = api_expo_take(&w, &len);
	if (!text) {
		api_reply_error(r, 500, "out of memory", NULL);
		return;
	}
	api_reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", text, len);
	free(text);
}
