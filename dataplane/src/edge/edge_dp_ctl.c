/* Control-channel methods of the edge: filter policy, bans, account limits, dispatcher. Each
 * runs on the main lcore and reaches the workers' filter instances through their command rings
 * (edge_dp_run_*). Replies are built in static storage: the main lcore is the only caller. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "edge_dispatch.h"
#include "edge_dp-int.h"
#include "edge_dp.h"
#include "edge_ipv4.h"
#include "flt-policy.h"

#define ST_OK bugle_dp_Status_STATUS_OK
#define ST_INVALID bugle_dp_Status_STATUS_INVALID_ARGUMENT
#define ST_EXHAUSTED bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED
#define ST_INTERNAL bugle_dp_Status_STATUS_INTERNAL

static int decode(const uint8_t *req, size_t len, const pb_msgdesc_t *desc, void *msg, char *err,
		  size_t err_cap)
{
	pb_istream_t in = pb_istream_from_buffer(req, len);
	if (!pb_decode(&in, desc, msg)) {
		snprintf(err, err_cap, "bad request: %s", PB_GET_ERROR(&in));
		return ST_INVALID;
	}
	return ST_OK;
}

static int encode(const pb_msgdesc_t *desc, const void *msg, uint8_t *resp, size_t cap,
		  size_t *len, char *err, size_t err_cap)
{
	pb_ostream_t out = pb_ostream_from_buffer(resp, cap);
	if (!pb_encode(&out, desc, msg)) {
		snprintf(err, err_cap, "reply does not fit: %s", PB_GET_ERROR(&out));
		return ST_EXHAUSTED;
	}
	*len = out.bytes_written;
	return ST_OK;
}

static int worker_error(int rc, char *err, size_t err_cap)
{
	snprintf(err, err_cap, "workers: %s", strerror(-rc));
	return ST_INTERNAL;
}

static void policy_to_pb(const struct flt_policy *p, bugle_dp_FilterPolicy *out)
{
	memset(out, 0, sizeof(*out));
	out->density_requests = p->density_requests;
	out->density_window_ms = p->density_window_ms;
	out->ban_seconds = p->ban_seconds;
	out->register_per_second = p->method_rate[FLT_METHOD_REGISTER].per_sec;
	out->invite_per_second = p->method_rate[FLT_METHOD_INVITE].per_sec;
	for (uint32_t i = 0; i < p->ua_count && i < 32; i++)
		snprintf(out->scanner_user_agents[out->scanner_user_agents_count++],
			 sizeof(out->scanner_user_agents[0]), "%s", p->ua[i]);
	for (uint32_t i = 0; i < p->allow_count && i < 64; i++) {
		char ip[EDGE_IPV4_TEXT];
		edge_ipv4_format(p->allow[i].addr, ip);
		snprintf(out->allow_sources[out->allow_sources_count++],
			 sizeof(out->allow_sources[0]), "%s/%u", ip, p->allow[i].prefix);
	}
}

int edge_dp_set_filter_policy(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			      size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_FilterPolicy in;
	static struct edge_cmd cmd;
	static char text[64 * 21];
	struct edge_dp *e = ctx;
	int st = decode(req, len, bugle_dp_FilterPolicy_fields, &in, err, err_cap);
	if (st)
		return st;
	memset(&cmd, 0, sizeof(cmd));
	cmd.kind = EDGE_CMD_POLICY;
	struct flt_policy *p = &cmd.policy;
	*p = e->policy;
	p->density_requests = in.density_requests;
	p->density_window_ms = in.density_window_ms;
	p->ban_seconds = in.ban_seconds;
	p->method_rate[FLT_METHOD_REGISTER] =
		(struct flt_rate){ in.register_per_second, in.register_per_second * 2 };
	p->method_rate[FLT_METHOD_INVITE] =
		(struct flt_rate){ in.invite_per_second, in.invite_per_second * 2 };
	size_t n = 0;
	text[0] = 0;
	for (pb_size_t i = 0; i < in.scanner_user_agents_count; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i ? "," : "",
				      in.scanner_user_agents[i]);
	if (flt_policy_parse_ua_list(p, text, err, err_cap) < 0)
		return ST_INVALID;
	n = 0;
	text[0] = 0;
	for (pb_size_t i = 0; i < in.allow_sources_count; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "%s%s", i ? "," : "",
				      in.allow_sources[i]);
	if (flt_policy_parse_allow_list(p, text, err, err_cap) < 0 ||
	    flt_policy_validate(p, err, err_cap) < 0)
		return ST_INVALID;
	int rc = edge_dp_run_all(e, &cmd);
	if (rc < 0)
		return worker_error(rc, err, err_cap);
	e->policy = *p;
	policy_to_pb(&e->policy, &in);
	return encode(bugle_dp_FilterPolicy_fields, &in, resp, cap, resp_len, err, err_cap);
}

int edge_dp_get_filter_policy(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			      size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_FilterPolicy out;
	struct edge_dp *e = ctx;
	(void)req;
	(void)len;
	policy_to_pb(&e->policy, &out);
	return encode(bugle_dp_FilterPolicy_fields, &out, resp, cap, resp_len, err, err_cap);
}

/* The union of every worker's bans (operator bans go to all of them; a density ban reaches the
 * others from the one that saw the flood a main-lcore tick later). */
static int ban_list_reply(struct edge_dp *e, uint8_t *resp, size_t cap, size_t *resp_len,
			  char *err, size_t err_cap)
{
	static bugle_dp_BanListReply out;
	static struct edge_cmd cmd;
	memset(&out, 0, sizeof(out));
	memset(&cmd, 0, sizeof(cmd));
	cmd.kind = EDGE_CMD_BAN_LIST;
	cmd.list = e->list_buf;
	for (unsigned w = 0; w < e->n_workers; w++) {
		struct edge_cmd *done;
		int rc = edge_dp_run_one(e, w, &cmd, &done);
		if (rc < 0)
			return worker_error(rc, err, err_cap);
		for (size_t i = 0; i < done->list_n; i++) {
			const struct flt_ban_info *b = &e->list_buf[i];
			char ip[EDGE_IPV4_TEXT];
			bool seen = false;
			edge_ipv4_format(b->ip, ip);
			for (pb_size_t k = 0; k < out.bans_count && !seen; k++)
				seen = strcmp(out.bans[k].source, ip) == 0;
			if (seen || out.bans_count >= sizeof(out.bans) / sizeof(out.bans[0]))
				continue;
			bugle_dp_Ban *o = &out.bans[out.bans_count++];
			snprintf(o->source, sizeof(o->source), "%s", ip);
			o->seconds = b->seconds_left == UINT32_MAX ? 0 : b->seconds_left;
			snprintf(o->reason, sizeof(o->reason), "%s",
				 b->reason == FLT_BAN_DENSITY ? "density" : "operator");
		}
	}
	return encode(bugle_dp_BanListReply_fields, &out, resp, cap, resp_len, err, err_cap);
}

static int ban_change(void *ctx, int kind, const uint8_t *req, size_t len, uint8_t *resp,
		      size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	struct edge_dp *e = ctx;
	bugle_dp_Ban in = bugle_dp_Ban_init_zero;
	struct edge_cmd cmd = { .kind = kind };
	int st = decode(req, len, bugle_dp_Ban_fields, &in, err, err_cap);
	if (st)
		return st;
	if (edge_ipv4_parse(in.source, strlen(in.source), &cmd.ip) < 0) {
		snprintf(err, err_cap, "'%s' is not an IPv4 address", in.source);
		return ST_INVALID;
	}
	cmd.seconds = in.seconds;
	int rc = edge_dp_run_all(e, &cmd);
	if (rc < 0 && rc != -ENOENT)
		return worker_error(rc, err, err_cap);
	return ban_list_reply(e, resp, cap, resp_len, err, err_cap);
}

int edge_dp_ban_add(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		    size_t *resp_len, char *err, size_t err_cap)
{
	return ban_change(ctx, EDGE_CMD_BAN_ADD, req, len, resp, cap, resp_len, err, err_cap);
}

int edge_dp_ban_remove(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		       size_t *resp_len, char *err, size_t err_cap)
{
	return ban_change(ctx, EDGE_CMD_BAN_REMOVE, req, len, resp, cap, resp_len, err, err_cap);
}

int edge_dp_ban_list(void *ctx, const uint8_t *req, size_t len, uint8_t *resp, size_t cap,
		     size_t *resp_len, char *err, size_t err_cap)
{
	(void)req;
	(void)len;
	return ban_list_reply(ctx, resp, cap, resp_len, err, err_cap);
}

/* Each worker has its own bucket and RSS spreads an account's calls over the workers, so each
 * gets its share, rounded up (a single flow then sees only one share). */
static uint32_t per_worker_cps(uint32_t cps, unsigned n_workers)
{
	if (n_workers <= 1)
		return cps;
	return (uint32_t)(((uint64_t)cps + n_workers - 1) / n_workers);
}

int edge_dp_set_account_limits(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			       size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_AccountLimits in;
	struct edge_dp *e = ctx;
	int st = decode(req, len, bugle_dp_AccountLimits_fields, &in, err, err_cap);
	if (st)
		return st;
	/* Checked before anything changes: a bad entry leaves every worker as it was. */
	for (pb_size_t i = 0; i < in.limits_count; i++) {
		const bugle_dp_AccountLimit *l = &in.limits[i];
		size_t n = strlen(l->account_id);
		if (n == 0 || n > FLT_ACCOUNT_ID_MAX) {
			snprintf(err, err_cap, "account id of 1..%d bytes", FLT_ACCOUNT_ID_MAX);
			return ST_INVALID;
		}
		if (l->calls_per_second > FLT_RATE_MAX) {
			snprintf(err, err_cap, "account %s: calls_per_second above %u", l->account_id,
				 FLT_RATE_MAX);
			return ST_INVALID;
		}
	}
	if (in.replace) {
		struct edge_cmd clear = { .kind = EDGE_CMD_ACCOUNT_CLEAR };
		int rc = edge_dp_run_all(e, &clear);
		if (rc < 0)
			return worker_error(rc, err, err_cap);
	}
	for (pb_size_t i = 0; i < in.limits_count; i++) {
		const bugle_dp_AccountLimit *l = &in.limits[i];
		struct edge_cmd cmd = { .kind = l->calls_per_second ? EDGE_CMD_ACCOUNT_SET
								    : EDGE_CMD_ACCOUNT_REMOVE,
					.cps = per_worker_cps(l->calls_per_second, e->n_workers) };
		cmd.account_len = strlen(l->account_id);
		memcpy(cmd.account, l->account_id, cmd.account_len);
		int rc = edge_dp_run_all(e, &cmd);
		if (rc == -ENOSPC) {
			snprintf(err, err_cap, "account %s: limit table full (%u of %u applied)",
				 l->account_id, (unsigned)i, (unsigned)in.limits_count);
			return ST_EXHAUSTED;
		}
		if (rc < 0 && rc != -ENOENT)
			return worker_error(rc, err, err_cap);
	}
	bugle_dp_Empty out = bugle_dp_Empty_init_zero;
	return encode(bugle_dp_Empty_fields, &out, resp, cap, resp_len, err, err_cap);
}

int edge_dp_account_realm(struct edge_dp *e, const char *realm, const char *account)
{
	struct edge_cmd cmd = { .kind = account && account[0] ? EDGE_CMD_REALM_SET
							 : EDGE_CMD_REALM_REMOVE };
	cmd.realm_len = realm ? strlen(realm) : 0;
	cmd.account_len = account ? strlen(account) : 0;
	if (cmd.realm_len == 0 || cmd.realm_len > EDGE_REALM_MAX ||
	    cmd.account_len > FLT_ACCOUNT_ID_MAX)
		return -EINVAL;
	memcpy(cmd.realm, realm, cmd.realm_len);
	memcpy(cmd.account, account, cmd.account_len);
	return edge_dp_run_all(e, &cmd);
}

int edge_dp_set_account_realms(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			       size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_AccountRealms in;
	struct edge_dp *e = ctx;
	int st = decode(req, len, bugle_dp_AccountRealms_fields, &in, err, err_cap);
	if (st)
		return st;
	/* Checked before anything changes: a bad entry leaves every worker as it was. */
	for (pb_size_t i = 0; i < in.realms_count; i++) {
		const bugle_dp_AccountRealm *r = &in.realms[i];
		size_t rn = strlen(r->realm), an = strlen(r->account_id);
		if (rn == 0 || rn > EDGE_REALM_MAX || an > FLT_ACCOUNT_ID_MAX) {
			snprintf(err, err_cap, "entry %u: realm of 1..%d bytes, account id of 0..%d",
				 (unsigned)i, EDGE_REALM_MAX, FLT_ACCOUNT_ID_MAX);
			return ST_INVALID;
		}
	}
	if (in.replace) {
		struct edge_cmd clear = { .kind = EDGE_CMD_REALM_CLEAR };
		int rc = edge_dp_run_all(e, &clear);
		if (rc < 0)
			return worker_error(rc, err, err_cap);
	}
	for (pb_size_t i = 0; i < in.realms_count; i++) {
		const bugle_dp_AccountRealm *r = &in.realms[i];
		int rc = edge_dp_account_realm(e, r->realm, r->account_id);
		if (rc == -ENOSPC) {
			snprintf(err, err_cap, "realm %s: realm table full (%u of %u applied)",
				 r->realm, (unsigned)i, (unsigned)in.realms_count);
			return ST_EXHAUSTED;
		}
		if (rc < 0 && rc != -ENOENT)
			return worker_error(rc, err, err_cap);
	}
	bugle_dp_Empty out = bugle_dp_Empty_init_zero;
	return encode(bugle_dp_Empty_fields, &out, resp, cap, resp_len, err, err_cap);
}

static int dispatcher_reply(struct edge_dp *e, uint8_t *resp, size_t cap, size_t *resp_len,
			    char *err, size_t err_cap)
{
	static bugle_dp_Dispatcher out;
	const struct edge_set *set = atomic_load_explicit(&e->core.set, memory_order_acquire);
	uint64_t now = edge_dp_now_ms();
	memset(&out, 0, sizeof(out));
	for (uint32_t i = 0; set && i < set->n; i++) {
		bugle_dp_ControlPlaneNode *o = &out.nodes[out.nodes_count++];
		snprintf(o->name, sizeof(o->name), "%s", set->node[i].name);
		edge_ipv4_format(set->node[i].ip, o->sip_ip);
		o->sip_port = set->node[i].port;
		o->healthy = edge_node_healthy(&e->core, i, now);
	}
	return encode(bugle_dp_Dispatcher_fields, &out, resp, cap, resp_len, err, err_cap);
}

int edge_dp_set_dispatcher(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			   size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	static bugle_dp_Dispatcher in;
	static struct edge_set set;
	struct edge_dp *e = ctx;
	int st = decode(req, len, bugle_dp_Dispatcher_fields, &in, err, err_cap);
	if (st)
		return st;
	memset(&set, 0, sizeof(set));
	for (pb_size_t i = 0; i < in.nodes_count && i < EDGE_MAX_NODES; i++) {
		struct edge_node *n = &set.node[set.n];
		if (edge_ipv4_parse(in.nodes[i].sip_ip, strlen(in.nodes[i].sip_ip), &n->ip) < 0 ||
		    in.nodes[i].sip_port > 65535) {
			snprintf(err, err_cap, "node %u: '%s:%u' is not ip:port", (unsigned)i,
				 in.nodes[i].sip_ip, (unsigned)in.nodes[i].sip_port);
			return ST_INVALID;
		}
		n->port = (uint16_t)(in.nodes[i].sip_port ? in.nodes[i].sip_port : 5060);
		snprintf(n->name, sizeof(n->name), "%s",
			 in.nodes[i].name[0] ? in.nodes[i].name : in.nodes[i].sip_ip);
		set.n++;
	}
	int rc = edge_dp_set_nodes(e, &set);
	if (rc < 0)
		return worker_error(rc, err, err_cap);
	return dispatcher_reply(e, resp, cap, resp_len, err, err_cap);
}

int edge_dp_get_dispatcher(void *ctx, const uint8_t *req, size_t len, uint8_t *resp,
			   size_t cap, size_t *resp_len, char *err, size_t err_cap)
{
	(void)req;
	(void)len;
	return dispatcher_reply(ctx, resp, cap, resp_len, err, err_cap);
}
