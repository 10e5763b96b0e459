/* Order matters: pools before ports (RX queues need them), ports before lcores (TX buffers
 * name their queues), everything before the workers launch. Teardown runs backwards. */
#include "dp_app.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "bugle/log.h"
#include "ctl_server.h"
#include "dp_ctl_methods.h"
#include "dp_lcores.h"
#include "dp_port.h"
#include "dp_udp_echo.h"
#include "net_addr.h"
#include "net_neigh.h"
#include "net_udp.h"
#include "edge_dp.h"
#include "relay.h"
#include "relay_udp.h"
#include "dp_settings.h"
#include "dp_stats.h"
#include "ops.h"

#ifndef BUGLE_VERSION
#define BUGLE_VERSION "0.0.0"
#endif

#define MBUF_CACHE 256
#define ARP_PROBE_INTERVAL_MS 1000
#define ARP_MAX_PROBES 3

static int pools_create(struct dp_app *app)
{
	unsigned lcore;
	RTE_LCORE_FOREACH(lcore) {
		unsigned s = rte_lcore_to_socket_id(lcore);
		if (s >= RTE_MAX_NUMA_NODES || app->pool[s])
			continue;
		char name[RTE_MEMPOOL_NAMESIZE];
		snprintf(name, sizeof(name), "dp_mbuf_s%u", s);
		app->pool[s] = rte_pktmbuf_pool_create(name, (unsigned)app->cfg->mbufs, MBUF_CACHE,
						       0, RTE_MBUF_DEFAULT_BUF_SIZE, (int)s);
		if (!app->pool[s]) {
			BGL_ERR("mbuf pool on socket %u (%lld mbufs): %s", s,
				(long long)app->cfg->mbufs, rte_strerror(rte_errno));
			return -ENOMEM;
		}
	}
	return 0;
}

static int port_start(struct dp_app *app, const char *role, enum net_role net_role,
		      const struct dp_port_config *pc)
{
	uint16_t i = app->n_ports;
	struct dp_port *port = &app->ports[i];
	struct net_iface *ifc = &app->ifaces[i];
	snprintf(port->name, sizeof(port->name), "%s", role);
	int socket = (int)rte_socket_id();
	int rc = dp_port_open(port, pc->device, app->n_workers, app->pool[socket], &ifc->mac);
	app->n_ports++;	/* counted even when half open, so that stop closes it */
	if (rc)
		return rc;
	ifc->port_id = port->port_id;
	ifc->role = net_role;
	/* dp_config_check validated the text already. */
	net_ipv4_parse_cidr(pc->address, &ifc->addr, &ifc->netmask);
	if (pc->gateway[0])
		net_ipv4_parse(pc->gateway, &ifc->gateway);
	if (rte_eth_dev_get_mtu(port->port_id, &ifc->mtu) != 0)
		ifc->mtu = RTE_ETHER_MTU;

	app->neigh[i] = rte_zmalloc("dp_neigh", sizeof(*app->neigh[i]), RTE_CACHE_LINE_SIZE);
	if (!app->neigh[i])
		return -ENOMEM;
	struct net_neigh_params np = { .reachable_ms = (uint32_t)app->cfg->arp_timeout_s * 1000,
				       .probe_interval_ms = ARP_PROBE_INTERVAL_MS,
				       .max_probes = ARP_MAX_PROBES,
				       .pending_max = (uint16_t)app->cfg->arp_queue_len };
	net_neigh_init(app->neigh[i], &np);
	BGL_INFO("port %s: %s gateway %s", role, pc->address, pc->gateway[0] ? pc->gateway : "-");
	return 0;
}

static int relay_start(struct dp_app *app)
{
	const struct dp_config *cfg = app->cfg;
	rte_be32_t ip, mask;
	net_ipv4_parse_cidr(cfg->pub.address, &ip, &mask);	/* checked by dp_config_check */
	struct relay_config rc = {
		.port_min = (uint16_t)cfg->rtp_port_min,
		.port_max = (uint16_t)cfg->rtp_port_max,
		.max_sessions = (uint32_t)cfg->max_sessions,
		.timeout_s = (uint32_t)cfg->media_timeout_s,
		.hold_timeout_s = (uint32_t)cfg->media_hold_timeout_s,
		.latch_packets = 10,
		.latch_quiet_ms = 2000,
		.public_ip = ip,
		.draining = &app->draining,
		.media_dir = cfg->media_directory,
	};
	char err[256];
	app->relay = relay_new(&rc, err, sizeof(err));
	if (!app->relay) {
		BGL_ERR("media relay: %s", err);
		return -EINVAL;
	}
	if (relay_udp_register(app->relay, &app->demux)) {
		BGL_ERR("media relay: ports %lld-%lld overlap another UDP service",
			(long long)cfg->rtp_port_min, (long long)cfg->rtp_port_max);
		return -EEXIST;
	}
	return 0;
}

/* After the ports and lcores exist: the edge needs both roles' addresses and each worker's
 * lcore; the handler is registered before the workers launch (the demux is RO afterwards). */
static int edge_start(struct dp_app *app)
{
	char err[256];
	if (!app->cfg->edge.sip_port)
		return 0;
	app->edge = edge_dp_create(&app->cfg->edge, app->ifaces, app->n_ports, app->n_workers, err,
				   sizeof(err));
	if (!app->edge) {
		BGL_ERR("%s", err);
		return -EINVAL;
	}
	for (unsigned i = 0; i < app->n_workers; i++)
		if (edge_dp_worker_attach(app->edge, i, app->workers[i].lcore_id) < 0) {
			BGL_ERR("edge: worker %u: out of memory", i);
			return -ENOMEM;
		}
	if (edge_dp_register(app->edge, &app->demux)) {
		BGL_ERR("edge: SIP port %lld overlaps another UDP service",
			(long long)app->cfg->edge.sip_port);
		return -EEXIST;
	}
	return 0;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What one /metrics scrape shows: the GetStats figures and the node's identity. */
static int metrics_stats(void *arg, bugle_dp_StatsReply *out, struct ops_metrics_info *info)
{
	const struct dp_app *app = arg;
	dp_stats_fill(app, true, true, out);
	info->node = app->cfg->node;
	info->version = BUGLE_VERSION;
	info->uptime_s = (monotonic_ns() - app->start_ns) / 1000000000u;
	info->draining = atomic_load_explicit(&app->draining, memory_order_relaxed);
	return 0;
}

/* After the edge: the drain flag goes to it, and the filter settings' hooks need it. */
static int ops_start(struct dp_app *app)
{
	char err[256];
	if (app->edge)
		edge_dp_set_drain_flag(app->edge, &app->draining);
	struct ops_params p = { .table = dp_settings_table(), .startup = app->cfg,
				.edge = app->edge, .stats = metrics_stats, .stats_arg = app };
	app->ops = ops_new(&p, err, sizeof(err));
	if (!app->ops) {
		BGL_ERR("%s", err);
		return -EINVAL;
	}
	return 0;
}

int dp_app_start(struct dp_app *app, const struct dp_config *cfg)
{
	memset(app, 0, sizeof(*app));
	app->cfg = cfg;
	app->n_workers = (unsigned)cfg->workers;
	app->start_ns = monotonic_ns();
	atomic_store_explicit(&app->running, true, memory_order_relaxed);
	net_udp_demux_init(&app->demux);
	if (cfg->udp_echo_port && dp_udp_echo_register(&app->demux, (uint16_t)cfg->udp_echo_port)) {
		BGL_ERR("UDP echo on port %lld: cannot register", (long long)cfg->udp_echo_port);
		return -EINVAL;
	}
	if (relay_start(app))
		return -EINVAL;

	if (rte_lcore_count() < app->n_workers + 1) {
		BGL_ERR("EAL has %u lcores, need %u", rte_lcore_count(), app->n_workers + 1);
		return -EINVAL;
	}
	int rc = pools_create(app);
	if (!rc)
		rc = port_start(app, "public", NET_ROLE_PUBLIC, &cfg->pub);
	if (!rc && cfg->internal.device[0])
		rc = port_start(app, "internal", NET_ROLE_INTERNAL, &cfg->internal);
	if (!rc)
		rc = dp_lcores_init(app);
	if (!rc)
		rc = edge_start(app);
	if (!rc)
		rc = ops_start(app);
	if (rc)
		return rc;

	const struct dpctl_method *methods;
	size_t n = dp_ctl_methods(&methods);
	struct dpctl_server_config cc = { .listen = cfg->control_listen };
	app->ctl = dpctl_server_new(&cc, methods, n, app);
	if (!app->ctl) {
		BGL_ERR("control channel on %s: %s", cfg->control_listen, strerror(errno));
		return -errno;
	}
	return 0;
}

int dp_app_run(struct dp_app *app, bool (*stop)(void))
{
	unsigned lcore, i = 0;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (i == app->n_workers)
			break;
		int rc = rte_eal_remote_launch(dp_worker_run, &app->workers[i], lcore);
		if (rc) {
			BGL_ERR("launch worker %u on lcore %u: %s", i, lcore, rte_strerror(-rc));
			atomic_store_explicit(&app->running, false, memory_order_release);
			rte_eal_mp_wait_lcore();
			return rc;
		}
		i++;
	}
	BGL_INFO("node %s running: %u worker(s), %u port(s)", app->cfg->node, app->n_workers,
		 app->n_ports);
	dp_main_run(app, stop);
	rte_eal_mp_wait_lcore();
	for (uint16_t p = 0; p < app->n_ports; p++)
		dp_txq_flush(&app->main->txq[p]);
	BGL_INFO("workers stopped");
	return 0;
}

void dp_app_stop(struct dp_app *app)
{
	dpctl_server_free(app->ctl);
	app->ctl = NULL;
	ops_free(app->ops);
	app->ops = NULL;
	relay_free(app->relay);	/* the workers have stopped */
	app->relay = NULL;
	edge_dp_free(app->edge);
	app->edge = NULL;
	for (uint16_t i = 0; i < app->n_ports; i++) {
		if (app->neigh[i]) {
			net_neigh_flush(app->neigh[i]);
			rte_free(app->neigh[i]);
			app->neigh[i] = NULL;
		}
	}
	/* Contexts first: their TX buffers still point at the ports' queues. */
	dp_lcores_fini(app);
	for (uint16_t i = 0; i < app->n_ports; i++)
		dp_port_close(&app->ports[i]);
	app->n_ports = 0;
	for (unsigned s = 0; s < RTE_MAX_NUMA_NODES; s++) {
		rte_mempool_free(app->pool[s]);
		app->pool[s] = NULL;
	}
}
