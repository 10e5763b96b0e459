/* One handler per method, registered in one table. Replies are built in static storage of the
 * main lcore (the only caller), so a large StatsReply never sits on the stack. */
#include "dp_ctl_methods.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ctl_body.h"
#include "dp_app-t.h"
#include "dp_stats.h"
#include "edge_dp.h"
#include "relay_ctl.h"
#include "relay_mediaop.h"
#include "relay.h"
#include "bugle/log.h"
#include "ops.h"

#ifndef BUGLE_VERSION
#define BUGLE_VERSION "0.0.0"
#endif

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The reply of Heartbeat and of Drain. */
static int heartbeat_reply(const struct dp_app *app, uint64_t sent_ns, uint8_t *resp,
			   size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	bugle_dp_HeartbeatReply out = bugle_dp_HeartbeatReply_init_zero;
	out.sent_ns = sent_ns;
	snprintf(out.node, sizeof(out.node), "%s", app->cfg->node);
	snprintf(out.version, sizeof(out.version), "%s", BUGLE_VERSION);
	out.uptime_s = (monotonic_ns() - app->start_ns) / 1000000000u;
	out.workers = app->n_workers;
	out.draining = atomic_load_explicit(&app->draining, memory_order_relaxed);
	out.sessions_active = app->relay ? relay_sessions_active(app->relay) : 0;
	out.drained = out.draining && out.sessions_active == 0;
	return dpctl_encode_body(bugle_dp_HeartbeatReply_fields, &out, resp, resp_cap, resp_len,
				 err, err_cap);
}

static int heartbeat(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
		     size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	const struct dp_app *app = ctx;
	bugle_dp_HeartbeatRequest in = bugle_dp_HeartbeatRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_HeartbeatRequest_fields, &in, err,
				   err_cap);
	if (st)
		return st;
	return heartbeat_reply(app, in.sent_ns, resp, resp_cap, resp_len, err, err_cap);
}

/* Drain: the edge answers new INVITEs 503 and the relay refuses new offers; live dialogs and
 * sessions go on. The flag orders nothing else (see dp_app-t.h), hence relaxed. */
static int drain(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp, size_t resp_cap,
		 size_t *resp_len, char *err, size_t err_cap)
{
	struct dp_app *app = ctx;
	bugle_dp_DrainRequest in = bugle_dp_DrainRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_DrainRequest_fields, &in, err, err_cap);
	if (st)
		return st;
	if (atomic_exchange_explicit(&app->draining, in.drain, memory_order_relaxed) != in.drain)
		BGL_INFO("%s", in.drain ? "draining: no new calls or media sessions"
					: "drain ended: taking new calls");
	return heartbeat_reply(app, 0, resp, resp_cap, resp_len, err, err_cap);
}

/* The settings methods live in the ops library; these pass it the settings state. */
#define OPS_METHOD(name, fn)                                                                       \
	static int name(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,            \
			size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)            \
	{                                                                                          \
		struct dp_app *app = ctx;                                                          \
		return fn(ops_settings(app->ops), req, req_len, resp, resp_cap, resp_len, err,     \
			  err_cap);                                                                \
	}
OPS_METHOD(get_settings, ops_ctl_get_settings)
OPS_METHOD(set_setting, ops_ctl_set_setting)
OPS_METHOD(revert_settings, ops_ctl_revert_settings)

static int get_stats(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
		     size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_StatsReply out;	/* main lcore only; ~20 KB */
	const struct dp_app *app = ctx;
	bugle_dp_StatsRequest in = bugle_dp_StatsRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_StatsRequest_fields, &in, err, err_cap);
	if (st)
		return st;
	dp_stats_fill(app, in.include_ports, in.include_lcores, &out);
	return dpctl_encode_body(bugle_dp_StatsReply_fields, &out, resp, resp_cap, resp_len, err,
				 err_cap);
}

/* The session methods live in the relay library; these pass it the relay. */
#define RELAY_METHOD(name, fn)                                                                     \
	static int name(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,            \
			size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)            \
	{                                                                                          \
		struct dp_app *app = ctx;                                                          \
		return fn(app->relay, req, req_len, resp, resp_cap, resp_len, err, err_cap);      \
	}
RELAY_METHOD(session_offer, relay_ctl_offer)
RELAY_METHOD(session_answer, relay_ctl_answer)
RELAY_METHOD(session_update, relay_ctl_update)
RELAY_METHOD(session_delete, relay_ctl_delete)
RELAY_METHOD(session_query, relay_ctl_query)
RELAY_METHOD(media_op, relay_ctl_media_op)

/* The filter and dispatcher methods live in the edge library; these pass it the edge. */
#define EDGE_METHOD(name, fn)                                                                      \
	static int name(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,            \
			size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)            \
	{                                                                                          \
		struct dp_app *app = ctx;                                                          \
		if (!app->edge) {                                                                  \
			snprintf(err, err_cap, "the SIP edge is off (sip.port = 0)");              \
			return bugle_dp_Status_STATUS_FAILED_PRECONDITION;                         \
		}                                                                                  \
		return fn(app->edge, req, req_len, resp, resp_cap, resp_len, err, err_cap);       \
	}
EDGE_METHOD(set_filter_policy, edge_dp_set_filter_policy)
EDGE_METHOD(get_filter_policy, edge_dp_get_filter_policy)
EDGE_METHOD(ban_add, edge_dp_ban_add)
EDGE_METHOD(ban_remove, edge_dp_ban_remove)
EDGE_METHOD(ban_list, edge_dp_ban_list)
EDGE_METHOD(set_account_limits, edge_dp_set_account_limits)
EDGE_METHOD(set_dispatcher, edge_dp_set_dispatcher)
EDGE_METHOD(get_dispatcher, edge_dp_get_dispatcher)
EDGE_METHOD(set_account_realms, edge_dp_set_account_realms)

static const struct dpctl_method dp_methods[] = {
	{ bugle_dp_Method_METHOD_HEARTBEAT, heartbeat },
	{ bugle_dp_Method_METHOD_GET_STATS, get_stats },
	{ bugle_dp_Method_METHOD_SESSION_OFFER, session_offer },
	{ bugle_dp_Method_METHOD_SESSION_ANSWER, session_answer },
	{ bugle_dp_Method_METHOD_SESSION_UPDATE, session_update },
	{ bugle_dp_Method_METHOD_SESSION_DELETE, session_delete },
	{ bugle_dp_Method_METHOD_SESSION_QUERY, session_query },
	{ bugle_dp_Method_METHOD_MEDIA_OP, media_op },
	{ bugle_dp_Method_METHOD_SET_FILTER_POLICY, set_filter_policy },
	{ bugle_dp_Method_METHOD_GET_FILTER_POLICY, get_filter_policy },
	{ bugle_dp_Method_METHOD_BAN_ADD, ban_add },
	{ bugle_dp_Method_METHOD_BAN_REMOVE, ban_remove },
	{ bugle_dp_Method_METHOD_BAN_LIST, ban_list },
	{ bugle_dp_Method_METHOD_SET_ACCOUNT_LIMITS, set_account_limits },
	{ bugle_dp_Method_METHOD_SET_DISPATCHER, set_dispatcher },
	{ bugle_dp_Method_METHOD_GET_DISPATCHER, get_dispatcher },
	{ bugle_dp_Method_METHOD_DRAIN, drain },
	{ bugle_dp_Method_METHOD_GET_SETTINGS, get_settings },
	{ bugle_dp_Method_METHOD_SET_SETTING, set_setting },
	{ bugle_dp_Method_METHOD_REVERT_SETTINGS, revert_settings },
	{ bugle_dp_Method_METHOD_SET_ACCOUNT_REALMS, set_account_realms },
};

size_t dp_ctl_methods(const struct dpctl_method **methods)
{
	*methods = dp_methods;
	return sizeof(dp_methods) / sizeof(dp_methods[0]);
}
