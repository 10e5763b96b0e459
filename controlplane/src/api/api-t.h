/* Types only: the REST API server, one request in flight, and the route table's entries.
 * Return convention: none (types only).
 *
 * Threading: everything runs on the control plane's loop thread; libmicrohttpd runs in
 * external-select mode driven from that loop, so no request state is ever shared with
 * another thread and no locks are needed.
 */
#ifndef API_T_H
#define API_T_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "store-t.h"

struct MHD_Daemon;
struct MHD_Connection;
struct MHD_Response;
struct cp_pg_pool;
struct cp_bus;
struct cache;
struct jschema_registry;
struct store_batcher;
struct cp_ctx;

enum api_method {
	API_GET = 1u << 0,
	API_PUT = 1u << 1,
	API_POST = 1u << 2,
	API_PATCH = 1u << 3,
	API_DELETE = 1u << 4,
};

/* A document type served under /v2/accounts/{ACCOUNT_ID}/{path}. */
struct api_resource {
	const char *path;	/* "devices" */
	const char *type;	/* stored type: "device" */
	const char *schema;	/* schema id: "devices" */
};

struct api_req;
typedef void (*api_handler)(struct api_req *r);

struct api_route {
	unsigned methods;	/* enum api_method bits */
	const char *pattern;	/* "/v2/accounts/{ACCOUNT_ID}/{RESOURCE}/{ID}" */
	api_handler handler;
	bool auth;		/* a token is required */
	const char *schema;	/* body schema id; NULL: none, or the resource's for {RESOURCE} */
	const char *summary;	/* for the OpenAPI document */
};

struct api_options {
	const char *listen;	/* host:port */
	size_t max_body_bytes;
	unsigned token_ttl_s;	/* token expiry, pushed on every use */
	struct cp_pg_pool *pg;
	struct cp_bus *bus;	/* may be NULL: changes are not announced */
	struct jschema_registry *schemas;
	struct calls_service *calls;	/* live channels and hangups; NULL: no call control */
	struct cp_ctx *ctx;		/* the node (/v2/system, node metrics); NULL: not served */
	/* Create statements in flight before further creates wait and commit together (group
	 * commit, see store-batch.h); 0: 2. Keep it under the pool size so reads find a
	 * connection. */
	unsigned write_streams;
};

struct api_counters {
	uint64_t requests, responses_2xx, responses_4xx, responses_5xx;
	uint64_t body_too_large, bad_json, unauthorized, forbidden;
	uint64_t events_published, events_received, events_bad;
};

/* Request latency (dispatch to answer), for /metrics: counts per bucket, not cumulative;
 * the last bucket is +Inf. Bounds in api-metrics.c. */
#define API_LATENCY_BUCKETS 14
struct api_latency {
	uint64_t buckets[API_LATENCY_BUCKETS];
	uint64_t count;
	uint64_t sum_ns;
};

/* Calls started, sampled once a second, for the calls-per-second gauge. */
#define API_CPS_SAMPLES 6
struct api_cps {
	uint64_t samples[API_CPS_SAMPLES];
	unsigned next, filled;
};

/* Owner: the loop thread. */
struct api_server {
	uv_loop_t *loop;
	struct api_options opt;
	struct MHD_Daemon *mhd;
	uv_poll_t poll;
	uv_timer_t timer;
	unsigned open_handles;
	unsigned inflight;	/* store calls not answered yet: the server outlives them */
	bool closing;
	struct cache *docs;	/* "doc:<account>:<id>" -> row; "acct:<id>" -> account row */
	struct cache *tokens;	/* token -> session row; short-lived, dropped on logout events */
	struct store_batcher *creates;	/* document creates, grouped into shared commits */
	struct api_counters counters;
	struct api_latency latency;
	uv_timer_t cps_timer;	/* samples cps every second */
	struct api_cps cps;
	struct api_req *live;	/* requests libmicrohttpd still holds (answered on close) */
	void (*on_closed)(void *arg);
	void *closed_arg;
};

#define API_MAX_SEGMENTS 10

/* One request. Reference counted: libmicrohttpd holds one until the request completes and
 * every store call in flight holds one, so a late answer never touches freed memory. */
struct api_req {
	struct api_server *api;
	struct MHD_Connection *conn;
	struct api_req *live_prev, *live_next;	/* on api->live until libmicrohttpd is done */
	unsigned refs;
	bool gone;		/* libmicrohttpd is done with it */
	bool suspended;
	bool dispatched;
	enum api_method method;
	uint64_t started_ns;	/* uv_hrtime() when the request arrived */
	char request_id[33];
	char *path;
	char *segments[API_MAX_SEGMENTS];
	size_t n_segments;

	/* body */
	char *body;
	size_t body_len, body_cap;
	bool body_too_large;
	json_t *req_data;	/* the envelope's "data" (owned) */
	json_t *req_envelope;	/* the whole request envelope (owned) */

	/* routing */
	const struct api_route *route;
	const struct api_resource *resource;
	const char *account_id;	/* from the path, validated */
	const char *doc_id;	/* from the path, validated */
	const char *sub;	/* trailing literal (children, raw, messages, ...) */

	/* authentication */
	char token[80];
	json_t *session;	/* {account_id, owner_id, method, path} */
	json_t *account;	/* the target account's row (path, name, ...) */

	/* handler state across asynchronous steps */
	int step;
	struct store_result_copy {
		enum store_status status;
		char error[256];
		json_t *rows;
		char next_start_key[300];	/* CDR keys carry a Call-ID */
		bool has_next;
		char constraint[64];	/* failed writes: the constraint named, "" when none */
		char detail[128];	/* and its DETAIL */
	} res;
	json_t *work;		/* a handler's document being built */
	unsigned page_size;	/* listings: rows asked for (0: unpaged) */
	int expect_rev;		/* updates: the revision the write must find */

	/* the answer */
	unsigned status;
	struct MHD_Response *response;
};

#endif
