/* The counters come from the one table in net_counters-t.h; nothing is listed twice here. */
#include "dp_stats.h"

#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mempool.h>

#include "ctl_server.h"
#include "dp_afp_drops.h"
#include "net_counters.h"
#include "edge_dp.h"
#include "relay.h"
#include "relay_counters.h"

static void add_counter(bugle_dp_StatsReply *out, const char *prefix, const char *name,
			uint64_t value)
{
	if (out->counters_count >= sizeof(out->counters) / sizeof(out->counters[0]))
		return;
	bugle_dp_Counter *c = &out->counters[out->counters_count++];
	snprintf(c->name, sizeof(c->name), "%s%s", prefix, name);
	c->value = value;
}

static void fill_counters(const struct dp_app *app, bugle_dp_StatsReply *out)
{
	for (unsigned id = 0; id < NET_CTR_COUNT; id++) {
		uint64_t sum = app->main ? net_ctr_read(&app->main->net.ctr, id) : 0;
		for (unsigned w = 0; w < app->n_workers; w++)
			sum += net_ctr_read(&app->workers[w].net.ctr, id);
		add_counter(out, "", net_counter_name(id), sum);
	}
	uint64_t sleeps = 0;
	for (unsigned w = 0; w < app->n_workers; w++)
		sleeps += __atomic_load_n(&app->workers[w].stats.idle_sleeps, __ATOMIC_RELAXED);
	add_counter(out, "", "worker_idle_sleeps", sleeps);	/* dataplane.idle_sleep_us */
	for (unsigned id = 0; app->relay && id < RELAY_CTR_COUNT; id++)
		add_counter(out, "relay_", relay_counter_name(id), relay_counter_sum(app->relay, id));
	if (app->edge) {
		static const char *names[128];	/* main lcore only */
		static uint64_t values[128];
		size_t n = edge_dp_counters(app->edge, names, values, 128);
		for (size_t i = 0; i < n; i++)
			add_counter(out, "", names[i], values[i]);
	}
	if (app->ctl) {
		const char *names[DPCTL_N_COUNTERS];
		uint64_t values[DPCTL_N_COUNTERS];
		size_t n = dpctl_server_counters(app->ctl, names, values, DPCTL_N_COUNTERS);
		for (size_t i = 0; i < n; i++)
			add_counter(out, "ctl_", names[i], values[i]);
	}
}

static void fill_ports(const struct dp_app *app, bugle_dp_StatsReply *out)
{
	for (uint16_t i = 0; i < app->n_ports; i++) {
		if (out->ports_count >= sizeof(out->ports) / sizeof(out->ports[0]))
			return;
		struct rte_eth_stats st;
		if (rte_eth_stats_get(app->ports[i].port_id, &st) != 0)
			memset(&st, 0, sizeof(st));
		bugle_dp_PortStats *p = &out->ports[out->ports_count++];
		snprintf(p->name, sizeof(p->name), "%s", app->ports[i].name);
		p->rx_packets = st.ipackets;
		p->tx_packets = st.opackets;
		p->rx_bytes = st.ibytes;
		p->tx_bytes = st.obytes;
		/* af_packet leaves imissed at 0: its losses are the kernel's ring drops. */
		struct dp_afp_drops *ring = app->ports[i].ring_drops;
		p->rx_kernel_ring_drops = ring ? dp_afp_drops_read(ring) : 0;
		p->rx_missed = st.imissed + p->rx_kernel_ring_drops;
		p->rx_errors = st.ierrors;
		p->tx_errors = st.oerrors;
	}
}

static void add_lcore(bugle_dp_StatsReply *out, unsigned lcore_id, const char *role,
		      const struct dp_lcore_stats *st)
{
	if (out->lcores_count >= sizeof(out->lcores) / sizeof(out->lcores[0]))
		return;
	bugle_dp_LcoreStats *l = &out->lcores[out->lcores_count++];
	l->lcore_id = lcore_id;
	snprintf(l->role, sizeof(l->role), "%s", role);
	l->rx_packets = __atomic_load_n(&st->rx_packets, __ATOMIC_RELAXED);
	l->tx_packets = __atomic_load_n(&st->tx_packets, __ATOMIC_RELAXED);
	l->busy_polls = __atomic_load_n(&st->busy_polls, __ATOMIC_RELAXED);
	l->idle_polls = __atomic_load_n(&st->idle_polls, __ATOMIC_RELAXED);
}

int dp_stats_fill(const struct dp_app *app, bool ports, bool lcores, bugle_dp_StatsReply *out)
{
	memset(out, 0, sizeof(*out));
	fill_counters(app, out);
	if (app->relay) {
		out->sessions_active = relay_sessions_active(app->relay);
		out->sessions_max = relay_sessions_max(app->relay);
	}
	if (ports)
		fill_ports(app, out);
	if (lcores) {
		if (app->main)
			add_lcore(out, rte_get_main_lcore(), "main", &app->main->stats);
		for (unsigned w = 0; w < app->n_workers; w++)
			add_lcore(out, app->workers[w].lcore_id, "worker", &app->workers[w].stats);
	}
	for (unsigned s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		if (!app->pool[s])
			continue;
		out->mbufs_in_use += rte_mempool_in_use_count(app->pool[s]);
		out->mbufs_total += app->pool[s]->size;
	}
	return 0;
}
