/* buglectl dataplane ...: a data plane over its control channel. */
#include <stdio.h>
#include <string.h>

#include "buglectl.h"
#include "dataplane.pb-c.h"

static int cmd_status(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "dataplane status takes no arguments");
	Bugle__Dp__HeartbeatRequest req = BUGLE__DP__HEARTBEAT_REQUEST__INIT;
	req.node = (char *)"buglectl";
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, opt->control, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &req.base,
		      &bugle__dp__heartbeat_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__HeartbeatReply *r = (Bugle__Dp__HeartbeatReply *)msg;
	json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:i, s:b}", "control", opt->control, "node",
				r->node, "version", r->version, "uptime_s", (json_int_t)r->uptime_s,
				"workers", (int)r->workers, "draining", r->draining);
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, doc);
	return CTL_OK;
}

static int cmd_stats(const struct ctl_options *opt, int argc, char **argv)
{
	(void)argv;
	if (argc != 0)
		return ctl_error(opt, CTL_USAGE, "dataplane stats takes no arguments");
	Bugle__Dp__StatsRequest req = BUGLE__DP__STATS_REQUEST__INIT;
	req.include_ports = true;
	req.include_lcores = true;
	ProtobufCMessage *msg = NULL;
	int rc = ctl_call(opt, opt->control, BUGLE__DP__METHOD__METHOD_GET_STATS, &req.base,
		      &bugle__dp__stats_reply__descriptor, &msg);
	if (rc != CTL_OK)
		return rc;
	Bugle__Dp__StatsReply *r = (Bugle__Dp__StatsReply *)msg;

	json_t *doc = json_pack("{s:i, s:i, s:i, s:i}", "sessions_active", (int)r->sessions_active,
				"sessions_max", (int)r->sessions_max, "mbufs_in_use", (int)r->mbufs_in_use,
				"mbufs_total", (int)r->mbufs_total);
	json_t *ports = json_array();
	for (size_t i = 0; i < r->n_ports; i++) {
		const Bugle__Dp__PortStats *p = r->ports[i];
		json_array_append_new(ports, json_pack("{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}",
			"name", p->name, "rx_packets", (json_int_t)p->rx_packets,
			"tx_packets", (json_int_t)p->tx_packets, "rx_bytes", (json_int_t)p->rx_bytes,
			"tx_bytes", (json_int_t)p->tx_bytes, "rx_missed", (json_int_t)p->rx_missed,
			"rx_kernel_ring_drops", (json_int_t)p->rx_kernel_ring_drops,
			"rx_errors", (json_int_t)p->rx_errors, "tx_errors", (json_int_t)p->tx_errors));
	}
	json_t *lcores = json_array();
	for (size_t i = 0; i < r->n_lcores; i++) {
		const Bugle__Dp__LcoreStats *l = r->lcores[i];
		json_array_append_new(lcores, json_pack("{s:i, s:s, s:I, s:I, s:I, s:I}",
			"lcore", (int)l->lcore_id, "role", l->role, "rx_packets", (json_int_t)l->rx_packets,
			"tx_packets", (json_int_t)l->tx_packets, "busy_polls", (json_int_t)l->busy_polls,
			"idle_polls", (json_int_t)l->idle_polls));
	}
	json_t *counters = json_array();
	for (size_t i = 0; i < r->n_counters; i++)
		json_array_append_new(counters, json_pack("{s:s, s:I}", "name", r->counters[i]->name,
							  "value", (json_int_t)r->counters[i]->value));
	json_object_set_new(doc, "ports", ports);
	json_object_set_new(doc, "lcores", lcores);
	json_object_set_new(doc, "counters", counters);
	protobuf_c_message_free_unpacked(msg, NULL);
	ctl_print(opt, doc);
	return CTL_OK;
}

const struct ctl_command ctl_dataplane_commands[] = {
	{ "dataplane", "status", "", "node, version, uptime, workers, draining (heartbeat)", cmd_status },
	{ "dataplane", "stats", "", "per-port and per-lcore packets, every counter by name", cmd_stats },
	{ NULL, NULL, NULL, NULL, NULL },
};
