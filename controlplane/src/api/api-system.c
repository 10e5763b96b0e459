/* This node as an operator sees it: GET /v2/system/status (version, uptime, dependency
 * health, draining, live channels, registrations) and PUT /v2/system/drain, which makes the
 * call controller refuse new INVITEs (503) while the live calls go on. */
#include "api-int.h"
#include "bugle/log.h"
#include "calls.h"
#include "cp/context-t.h"
#include "store-exec.h"

#include <string.h>
#include <time.h>

#ifndef BUGLE_VERSION
#define BUGLE_VERSION "0.0.0"
#endif

static const struct cp_health_dep *dep_named(const struct cp_health *h, const char *name)
{
	for (unsigned i = 0; i < h->n_deps; i++)
		if (strcmp(h->deps[i].name, name) == 0)
			return &h->deps[i];
	return NULL;
}

/* "up", "down", or "absent" when the module that reports it does not run on this node. */
static const char *dep_state(const struct cp_health *h, const char *name)
{
	const struct cp_health_dep *d = dep_named(h, name);
	return !d ? "absent" : d->up ? "up" : "down";
}

static json_t *status_doc(const struct cp_ctx *ctx, json_t *registrations)
{
	const struct cp_health *h = &ctx->health;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	json_t *deps = json_object();
	bool all_up = true;
	for (unsigned i = 0; i < h->n_deps; i++) {
		json_object_set_new(deps, h->deps[i].name,
				    json_string(h->deps[i].up ? "up" : "down"));
		all_up &= h->deps[i].up;
	}
	struct calls_stats cs = { 0 };
	if (ctx->calls)
		calls_service_stats(ctx->calls, &cs);
	/* channels: every live call this node knows of (its peers' too); local_channels: its
	 * own, what a drain of this node waits for. */
	json_int_t local = ctx->calls ? (json_int_t)calls_local_channels(ctx->calls) : 0;
	return json_pack("{s:s, s:s, s:I, s:s, s:b, s:s, s:s, s:o, s:I, s:I, s:o}", "node", h->node,
			 "version", BUGLE_VERSION, "uptime_s",
			 (json_int_t)(now.tv_sec - h->started.tv_sec), "state",
			 all_up ? "up" : "degraded", "draining", ctx->draining, "postgres",
			 dep_state(h, "postgres"), "rabbitmq", dep_state(h, "rabbitmq"),
			 "dependencies", deps, "channels", (json_int_t)cs.channels,
			 "local_channels", local, "registrations", registrations);
}

/* Two steps: count this node's live registrations (when PostgreSQL is up), then answer. A
 * failed count is reported as null: status must answer while the database is down. */
void api_h_system_status(struct api_req *r)
{
	const struct cp_ctx *ctx = r->api->opt.ctx;
	if (!ctx) {
		api_reply_error(r, 404, "not found", NULL);
		return;
	}
	if (r->step++ == 0) {
		const struct cp_health_dep *pg = dep_named(&ctx->health, "postgres");
		if (pg && pg->up && r->api->opt.pg) {
			const char *p[] = { ctx->health.node };
			int rc = store_exec(r->api->opt.pg,
					    "SELECT count(*)::bigint AS n FROM registrations "
					    "WHERE node = $1 AND expires > now()",
					    1, p, STORE_SHAPE_ONE, 0, api_store_cb, r);
			if (rc == 0) {
				api_issued(r, rc);
				return;
			}
		}
		api_reply(r, 200, status_doc(ctx, json_null()), NULL);
		return;
	}
	json_t *n = r->res.status == STORE_OK
			    ? json_object_get(json_array_get(r->res.rows, 0), "n")
			    : NULL;
	api_reply(r, 200, status_doc(ctx, json_is_integer(n) ? json_incref(n) : json_null()),
		  NULL);
}

/* Only a root account's token may take a node out of service: its path has one label. */
static bool root_session(const json_t *session)
{
	const char *path = json_string_value(json_object_get(session, "path"));
	return path && *path && !strchr(path, '.');
}

void api_h_system_drain(struct api_req *r)
{
	struct cp_ctx *ctx = r->api->opt.ctx;
	if (!ctx) {
		api_reply_error(r, 404, "not found", NULL);
		return;
	}
	if (!root_session(r->session)) {
		r->api->counters.forbidden++;
		api_reply_error(r, 403, "forbidden",
				json_pack("{s:s}", "message", "only a root account may drain a node"));
		return;
	}
	const json_t *on = json_object_get(r->req_data, "draining");
	if (!json_is_boolean(on)) {
		api_reply_error(r, 400, "invalid data",
				json_pack("{s:{s:{s:s}}}", "draining", "type", "message",
					  "a boolean is required"));
		return;
	}
	if (ctx->draining != json_is_true(on))
		BGL_INFO("api: node %s", json_is_true(on) ? "draining: new calls refused"
							    : "undrained: taking new calls");
	ctx->draining = json_is_true(on);
	api_reply(r, 200, status_doc(ctx, json_null()), NULL);
}
