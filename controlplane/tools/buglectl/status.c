/* buglectl status: every node of the set-up in one table. Data planes answer a heartbeat on
 * their control channel, control planes GET /v2/system/status, and PostgreSQL and RabbitMQ
 * are judged by what the control planes that answered see of them. */
#include <stdio.h>
#include <string.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"
#include "dpclient.h"

static json_t *dataplane_row(const struct ctl_options *opt, const char *addr)
{
	Bugle__Dp__HeartbeatRequest req = BUGLE__DP__HEARTBEAT_REQUEST__INIT;
	req.node = (char *)"buglectl";
	ProtobufCMessage *msg = NULL;
	char err[256] = "";
	int rc = dpclient_sync_call(addr, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &req.base,
				    &bugle__dp__heartbeat_reply__descriptor, &msg, err, sizeof(err),
				    opt->timeout_ms);
	if (rc != 0)
		return ctl_status_row("dataplane", NULL, addr, rc < 0 ? "unreachable" : "down", NULL,
				      -1, err[0] ? err : "heartbeat failed");
	const Bugle__Dp__HeartbeatReply *r = (const Bugle__Dp__HeartbeatReply *)msg;
	char detail[128];
	snprintf(detail, sizeof(detail), "workers %u, sessions %u", (unsigned)r->workers,
		 (unsigned)r->sessions_active);
	json_t *row = ctl_status_row("dataplane", r->node, addr, r->draining ? "draining" : "up",
				     r->version, (json_int_t)r->uptime_s, detail);
	protobuf_c_message_free_unpacked(msg, NULL);
	return row;
}

/* What the control planes say of a shared dependency: up when one sees it up. */
struct dep_view {
	unsigned up, down;
};

static void dep_seen(struct dep_view *v, const json_t *status, const char *name)
{
	const char *s = json_string_value(json_object_get(status, name));
	if (s && strcmp(s, "up") == 0)
		v->up++;
	else if (s && strcmp(s, "down") == 0)
		v->down++;
}

static json_t *controlplane_row(const struct ctl_options *opt, const char *base,
				struct dep_view *pg, struct dep_view *mq)
{
	char url[512], err[256] = "";
	snprintf(url, sizeof(url), "%s/v2/system/status", base);
	long status;
	json_t *reply;
	if (ctl_http(opt, "GET", url, NULL, NULL, &status, &reply, err, sizeof(err)) < 0)
		return ctl_status_row("controlplane", NULL, base, "unreachable", NULL, -1, err);
	const json_t *d = json_object_get(reply, "data");
	if (status != 200 || !json_is_object(d)) {
		snprintf(err, sizeof(err), "GET /v2/system/status: HTTP %ld", status);
		json_decref(reply);
		return ctl_status_row("controlplane", NULL, base, "down", NULL, -1, err);
	}
	dep_seen(pg, d, "postgres");
	dep_seen(mq, d, "rabbitmq");
	const char *state = json_string_value(json_object_get(d, "state"));
	bool draining = json_is_true(json_object_get(d, "draining"));
	const json_t *regs = json_object_get(d, "registrations");
	char detail[128];
	snprintf(detail, sizeof(detail), "channels %lld, registrations %s%lld",
		 (long long)json_integer_value(json_object_get(d, "channels")),
		 json_is_integer(regs) ? "" : "?", (long long)json_integer_value(regs));
	const char *shown = state && strcmp(state, "up") == 0 ? (draining ? "draining" : "up")
							      : "degraded";
	json_t *row = ctl_status_row("controlplane", json_string_value(json_object_get(d, "node")),
				     base, shown,
				     json_string_value(json_object_get(d, "version")),
				     json_integer_value(json_object_get(d, "uptime_s")), detail);
	json_decref(reply);
	return row;
}

static json_t *dependency_row(const char *kind, const struct dep_view *v, size_t answered)
{
	char detail[96];
	snprintf(detail, sizeof(detail), "up for %u of %zu control planes", v->up, answered);
	const char *state = v->up ? "up" : v->down ? "down" : answered ? "absent" : "unknown";
	return ctl_status_row(kind, NULL, "-", state, NULL, -1, detail);
}

static int cmd_status(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "status takes no arguments (nodes: --control, --api)");
	json_t *rows = json_array();
	for (size_t i = 0; i < opt->n_controls; i++)
		json_array_append_new(rows, dataplane_row(opt, opt->controls[i]));
	struct dep_view pg = { 0 }, mq = { 0 };
	size_t answered = 0;
	for (size_t i = 0; i < opt->n_apis; i++) {
		json_t *row = controlplane_row(opt, opt->apis[i], &pg, &mq);
		const char *s = json_string_value(json_object_get(row, "state"));
		answered += strcmp(s, "unreachable") != 0 && strcmp(s, "down") != 0;
		json_array_append_new(rows, row);
	}
	json_array_append_new(rows, dependency_row("postgres", &pg, answered));
	json_array_append_new(rows, dependency_row("rabbitmq", &mq, answered));
	int code = ctl_status_exit(rows);
	const char *overall = code == CTL_OK ? "up" : code == CTL_FAILED ? "down" : "unreachable";
	ctl_print(opt, json_pack("{s:s, s:o}", "state", overall, "nodes", rows));
	return code;
}

const struct ctl_command ctl_status_commands[] = {
	{ "status", "", "",
	  "every node: data planes, control planes, PostgreSQL, RabbitMQ (exit 0 up, 1 down, "
	  "3 unreachable)",
	  cmd_status },
	{ NULL, NULL, NULL, NULL, NULL },
};
