/* Naming follows the Prometheus conventions: one family per meaning, counters end in _total,
 * what differs between samples of a family goes in labels (reason, port, direction, lcore).
 * Every family is written whole (HELP, TYPE, all its samples) before the next one starts. */
#include "ops_metrics.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "ops_http_server.h"

#define P "bugle_dataplane_"
#define FAULT_PREFIX "sip_fault_"
#define CTL_PREFIX "ctl_"

static int gauge(struct ops_expo *w, const char *name, const char *help, uint64_t v)
{
	int rc = ops_expo_family(w, name, OPS_GAUGE, help);
	return rc ? rc : ops_expo_sample(w, name, NULL, 0, v);
}

static bool is_drop(const char *name)
{
	return strncmp(name, CTL_PREFIX, strlen(CTL_PREFIX)) != 0 &&
	       strncmp(name, FAULT_PREFIX, strlen(FAULT_PREFIX)) != 0 &&
	       ops_counter_is_drop(name, ops_counter_help(name));
}

static int drops(const bugle_dp_StatsReply *st, struct ops_expo *w)
{
	int rc = ops_expo_family(w, P "drops_total", OPS_COUNTER,
				 "packets and messages dropped, by reason (the GetStats counter name)");
	for (pb_size_t i = 0; i < st->counters_count && !rc; i++) {
		const char *name = st->counters[i].name;
		if (!is_drop(name))
			continue;
		struct ops_label l = { "reason", name };
		rc = ops_expo_sample(w, P "drops_total", &l, 1, st->counters[i].value);
	}
	return rc;
}

static int sanity_faults(const bugle_dp_StatsReply *st, struct ops_expo *w)
{
	const char *fam = P "sip_sanity_faults_total";
	int rc = ops_expo_family(w, fam, OPS_COUNTER,
				 "SIP messages that failed the sanity checks, by fault");
	for (pb_size_t i = 0; i < st->counters_count && !rc; i++) {
		const char *name = st->counters[i].name;
		if (strncmp(name, FAULT_PREFIX, strlen(FAULT_PREFIX)) != 0)
			continue;
		struct ops_label l = { "fault", name + strlen(FAULT_PREFIX) };
		rc = ops_expo_sample(w, fam, &l, 1, st->counters[i].value);
	}
	return rc;
}

/* Every other counter is a family of its own, named after its table: net_*, relay_*, edge_*,
 * flt_* and control_channel_*. */
static int other_counters(const bugle_dp_StatsReply *st, struct ops_expo *w)
{
	int rc = 0;
	for (pb_size_t i = 0; i < st->counters_count && !rc; i++) {
		const char *name = st->counters[i].name;
		if (is_drop(name) || !strncmp(name, FAULT_PREFIX, strlen(FAULT_PREFIX)))
			continue;
		char fam[128], help[160];
		const char *h = ops_counter_help(name);
		if (!strncmp(name, CTL_PREFIX, strlen(CTL_PREFIX))) {
			snprintf(fam, sizeof(fam), P "control_channel_%s_total",
				 name + strlen(CTL_PREFIX));
			snprintf(help, sizeof(help), "control channel: %s",
				 name + strlen(CTL_PREFIX));
			h = help;
		} else {
			/* The L2/L3 table's names carry no prefix of their own. */
			bool own = !strncmp(name, "relay_", 6) || !strncmp(name, "edge_", 5) ||
				   !strncmp(name, "flt_", 4);
			snprintf(fam, sizeof(fam), P "%s%s_total", own || !h ? "" : "net_", name);
		}
		if (!ops_expo_metric_name_ok(fam))
			continue;	/* a name no table would give; never a broken exposition */
		if (!h) {
			snprintf(help, sizeof(help), "data plane counter %s", name);
			h = help;
		}
		rc = ops_expo_family(w, fam, OPS_COUNTER, h);
		if (!rc)
			rc = ops_expo_sample(w, fam, NULL, 0, st->counters[i].value);
	}
	return rc;
}

static int port_pair(struct ops_expo *w, const bugle_dp_StatsReply *st, const char *fam,
		     const char *help, size_t rx_off, size_t tx_off)
{
	int rc = ops_expo_family(w, fam, OPS_COUNTER, help);
	for (pb_size_t i = 0; i < st->ports_count && !rc; i++) {
		const bugle_dp_PortStats *p = &st->ports[i];
		const uint64_t *rx = (const uint64_t *)((const char *)p + rx_off);
		const uint64_t *tx = (const uint64_t *)((const char *)p + tx_off);
		struct ops_label l[2] = { { "port", p->name }, { "direction", "rx" } };
		rc = ops_expo_sample(w, fam, l, 2, *rx);
		l[1].value = "tx";
		if (!rc)
			rc = ops_expo_sample(w, fam, l, 2, *tx);
	}
	return rc;
}

/* One sample per port of the field at off. */
static int port_each(struct ops_expo *w, const bugle_dp_StatsReply *st, const char *fam,
		     const char *help, size_t off)
{
	int rc = ops_expo_family(w, fam, OPS_COUNTER, help);
	for (pb_size_t i = 0; i < st->ports_count && !rc; i++) {
		const uint64_t *v = (const uint64_t *)((const char *)&st->ports[i] + off);
		struct ops_label l = { "port", st->ports[i].name };
		rc = ops_expo_sample(w, fam, &l, 1, *v);
	}
	return rc;
}

static int ports(const bugle_dp_StatsReply *st, struct ops_expo *w)
{
	int rc = port_pair(w, st, P "packets_total", "packets through a port (NIC counters)",
			   offsetof(bugle_dp_PortStats, rx_packets),
			   offsetof(bugle_dp_PortStats, tx_packets));
	if (!rc)
		rc = port_pair(w, st, P "bytes_total", "bytes through a port (NIC counters)",
			       offsetof(bugle_dp_PortStats, rx_bytes),
			       offsetof(bugle_dp_PortStats, tx_bytes));
	if (!rc)
		rc = port_pair(w, st, P "port_errors_total", "packets a port failed to receive or send",
			       offsetof(bugle_dp_PortStats, rx_errors),
			       offsetof(bugle_dp_PortStats, tx_errors));
	if (!rc)
		rc = port_each(w, st, P "port_rx_missed_total",
			       "packets a port lost before the data plane read them: no RX "
			       "descriptor free, or (af_packet) the kernel's RX ring full",
			       offsetof(bugle_dp_PortStats, rx_missed));
	if (!rc)
		rc = port_each(w, st, P "port_rx_kernel_ring_drops_total",
			       "af_packet: frames the kernel dropped because the port's RX ring was "
			       "full (part of port_rx_missed_total)",
			       offsetof(bugle_dp_PortStats, rx_kernel_ring_drops));
	return rc;
}

static int lcores(const bugle_dp_StatsReply *st, struct ops_expo *w)
{
	const char *polls = P "lcore_polls_total", *pkts = P "lcore_packets_total";
	int rc = ops_expo_family(w, polls, OPS_COUNTER,
				 "poll loop iterations of an lcore, busy (did work) or idle");
	for (pb_size_t i = 0; i < st->lcores_count && !rc; i++) {
		const bugle_dp_LcoreStats *c = &st->lcores[i];
		char id[12];
		snprintf(id, sizeof(id), "%u", (unsigned)c->lcore_id);
		struct ops_label l[3] = { { "lcore", id }, { "role", c->role }, { "state", "busy" } };
		rc = ops_expo_sample(w, polls, l, 3, c->busy_polls);
		l[2].value = "idle";
		if (!rc)
			rc = ops_expo_sample(w, polls, l, 3, c->idle_polls);
	}
	if (!rc)
		rc = ops_expo_family(w, pkts, OPS_COUNTER, "packets an lcore received or sent");
	for (pb_size_t i = 0; i < st->lcores_count && !rc; i++) {
		const bugle_dp_LcoreStats *c = &st->lcores[i];
		char id[12];
		snprintf(id, sizeof(id), "%u", (unsigned)c->lcore_id);
		struct ops_label l[3] = { { "lcore", id }, { "role", c->role }, { "direction", "rx" } };
		rc = ops_expo_sample(w, pkts, l, 3, c->rx_packets);
		l[2].value = "tx";
		if (!rc)
			rc = ops_expo_sample(w, pkts, l, 3, c->tx_packets);
	}
	return rc;
}

static int gauges(const bugle_dp_StatsReply *st, const struct ops_metrics_info *info,
		  struct ops_expo *w)
{
	int rc = gauge(w, P "sessions", "media sessions in the relay", st->sessions_active);
	if (!rc)
		rc = gauge(w, P "sessions_max", "media sessions the relay can hold",
			   st->sessions_max);
	if (!rc)
		rc = gauge(w, P "mbufs_in_use", "packet buffers in use, all pools",
			   st->mbufs_in_use);
	if (!rc)
		rc = gauge(w, P "mbufs_total", "packet buffers in all pools", st->mbufs_total);
	if (!rc)
		rc = gauge(w, P "draining", "1 while draining: no new dialogs or media sessions",
			   info->draining);
	if (!rc)
		rc = gauge(w, P "uptime_seconds", "seconds since start-up", info->uptime_s);
	if (!rc)
		rc = ops_expo_family(w, P "info", OPS_GAUGE, "node name and version (always 1)");
	struct ops_label l[2] = { { "node", info->node ? info->node : "" },
				  { "version", info->version ? info->version : "" } };
	return rc ? rc : ops_expo_sample(w, P "info", l, 2, 1);
}

static int http_counters(const struct ops_metrics_info *info, struct ops_expo *w)
{
	int rc = 0;
	for (size_t i = 0; i < info->n_http && i < OPS_HTTP_COUNTER_COUNT && !rc; i++) {
		char fam[96];
		snprintf(fam, sizeof(fam), P "metrics_http_%s_total",
			 ops_http_counter_name((unsigned)i));
		rc = ops_expo_family(w, fam, OPS_COUNTER, ops_http_counter_help((unsigned)i));
		if (!rc)
			rc = ops_expo_sample(w, fam, NULL, 0, info->http[i]);
	}
	return rc;
}

int ops_metrics_render(const bugle_dp_StatsReply *st, const struct ops_metrics_info *info,
		       struct ops_expo *w)
{
	int rc = gauges(st, info, w);
	if (!rc)
		rc = ports(st, w);
	if (!rc)
		rc = lcores(st, w);
	if (!rc)
		rc = drops(st, w);
	if (!rc)
		rc = sanity_faults(st, w);
	if (!rc)
		rc = other_counters(st, w);
	if (!rc)
		rc = http_counters(info, w);
	return rc;
}
