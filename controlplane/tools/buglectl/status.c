/* buglectl status: every node of the set-up in one table. Data planes answer a heartbeat on
 * their control channel, control planes GET /v2/system/status, and PostgreSQL and RabbitMQ get
 * two rows each: buglectl's own connection to them (status_probe.c) and what the control
 * planes that answered see of them. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"
#include "dpclient.h"
#include "status_probe.h"

/* The stack's own addresses (deploy/config/controlplane.ini) when neither flag nor
 * environment names one. */
#define STATUS_DB_DEFAULT "host=127.0.0.1 port=5432 dbname=bugle user=bugle password=bugle"
#define STATUS_AMQP_DEFAULT "amqp://guest:guest@127.0.0.1:5672/"

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
	snprintf(detail, sizeof(detail), "calls %lld (channels known %lld), registrations %s%lld",
		 (long long)json_integer_value(json_object_get(d, "local_channels")),
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
	return ctl_status_row(kind, CTL_VIEW_CONTROLPLANES, "-", state, NULL, -1, detail);
}

static json_t *probe_row(const char *kind, const struct ctl_probe *p, const char *what)
{
	return ctl_status_probe_row(kind, p->address, p->up, p->version, p->up ? what : p->error);
}

struct status_args {
	const char *db, *amqp;	/* "": not probed */
};

static int parse(const struct ctl_options *opt, int argc, char **argv, struct status_args *a)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "amqp", required_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 },
	};
	a->db = getenv("BUGLE_DB") ? getenv("BUGLE_DB") : STATUS_DB_DEFAULT;
	a->amqp = getenv("BUGLE_AMQP") ? getenv("BUGLE_AMQP") : STATUS_AMQP_DEFAULT;
	optind = 0;
	int ch;
	while ((ch = getopt_long(argc + 1, argv - 1, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'q': a->amqp = optarg; break;
		default: return ctl_error(opt, CTL_USAGE, "unknown option (see status --help)");
		}
	}
	if (optind != argc + 1)
		return ctl_error(opt, CTL_USAGE,
				 "status takes no arguments (nodes: --control, --api; --db, --amqp)");
	return CTL_OK;
}

static int cmd_status(const struct ctl_options *opt, int argc, char **argv)
{
	struct status_args a;
	int rc = parse(opt, argc, argv, &a);
	if (rc != CTL_OK)
		return rc;
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
	struct ctl_probe probe;
	if (*a.db) {
		ctl_probe_postgres(a.db, opt->timeout_ms, &probe);
		json_array_append_new(rows, probe_row("postgres", &probe, "SELECT 1 answered"));
	}
	json_array_append_new(rows, dependency_row("postgres", &pg, answered));
	if (*a.amqp) {
		ctl_probe_amqp(a.amqp, opt->timeout_ms, &probe);
		json_array_append_new(rows, probe_row("rabbitmq", &probe, "AMQP login answered"));
	}
	json_array_append_new(rows, dependency_row("rabbitmq", &mq, answered));
	int code = ctl_status_exit(rows);
	const char *overall = code == CTL_OK ? "up" : code == CTL_FAILED ? "down" : "unreachable";
	ctl_print(opt, json_pack("{s:s, s:o}", "state", overall, "nodes", rows));
	return code;
}

const struct ctl_command ctl_status_commands[] = {
	{ "status", "", "[--db CONNINFO] [--amqp URL]",
	  "every node: data planes, control planes, PostgreSQL and RabbitMQ (buglectl's own "
	  "connection, default $BUGLE_DB/$BUGLE_AMQP or the stack's, '' skips it; and as the "
	  "control planes see them) (exit 0 up, 1 down, 3 unreachable)",
	  cmd_status },
	{ NULL, NULL, NULL, NULL, NULL },
};
