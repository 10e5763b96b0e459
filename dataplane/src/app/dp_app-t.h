/* The running data plane: ports, lcores, rings and the shared read-only tables. Types only.
 *
 * Ownership: everything in struct dp_app is written by the main lcore during start-up and is
 * read-only once the workers run, except where a field says otherwise. Each struct dp_worker is
 * written only by its worker (its stats read by the main lcore with relaxed loads).
 */
#ifndef BUGLE_DP_APP_T_H
#define BUGLE_DP_APP_T_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_memory.h>

#include "dp_config-t.h"
#include "net_lcore-t.h"

struct rte_eth_dev_tx_buffer;
struct rte_mempool;
struct rte_ring;
struct dpctl_server;
struct dp_afp_drops;
struct dp_app;
struct relay;
struct edge_dp;
struct ops;

#define DP_MAX_RXQ 17			/* per port: one per worker, or every af_packet qpair */
#define DP_BURST 32
#define DP_RING_SIZE 1024		/* messages per direction per worker */

struct dp_port {
	char name[16];			/* role: "public" / "internal" */
	uint16_t port_id;
	uint16_t n_rxq, n_txq;
	bool started;
	/* af_packet only, else NULL: the kernel's RX ring drops (dp_afp_drops-t.h); set at start,
	 * read by the stats */
	struct dp_afp_drops *ring_drops;
};

/* One lcore's TX queue on one port; written only by that lcore. */
struct dp_txq {
	struct rte_eth_dev_tx_buffer *buf;
	uint16_t port_id;
	uint16_t queue;
};

/* Per-lcore poll statistics; writer: the lcore; readers: relaxed loads. */
struct dp_lcore_stats {
	uint64_t rx_packets;
	uint64_t tx_packets;
	uint64_t busy_polls;
	uint64_t idle_polls;
	uint64_t idle_sleeps;		/* workers: sleeps of dataplane.idle_sleep_us */
};

struct dp_worker {
	struct net_lcore net;			/* this worker only (counters read by stats) */
	struct dp_lcore_stats stats;		/* this worker only */
	struct dp_app *app;			/* RO */
	unsigned index;				/* 0..workers-1; RO */
	unsigned lcore_id;			/* RO */
	struct rte_ring *to_main;		/* SP: this worker, SC: main lcore */
	struct rte_ring *from_main;		/* SP: main lcore, SC: this worker */
	struct dp_txq txq[NET_MAX_IFACES];	/* this worker only */
	uint16_t rxq[NET_MAX_IFACES][DP_MAX_RXQ];	/* RX queues this worker polls; RO */
	uint16_t n_rxq[NET_MAX_IFACES];
} __rte_cache_aligned;

/* Argument of the main lcore's neighbour-table callbacks for one port. */
struct dp_main_port {
	struct dp_app *app;
	uint16_t iface;
};

struct dp_main {
	struct net_lcore net;			/* main lcore only */
	struct dp_lcore_stats stats;		/* main lcore only */
	struct dp_txq txq[NET_MAX_IFACES];	/* main lcore only */
	struct dp_main_port port_arg[NET_MAX_IFACES];
	struct net_neigh_ops neigh_ops[NET_MAX_IFACES];
} __rte_cache_aligned;

struct dp_app {
	const struct dp_config *cfg;
	uint16_t n_ports;
	struct dp_port ports[NET_MAX_IFACES];
	struct net_iface ifaces[NET_MAX_IFACES];
	struct net_neigh_table *neigh[NET_MAX_IFACES];	/* writer: main lcore; workers read */
	struct net_udp_demux demux;
	struct rte_mempool *pool[RTE_MAX_NUMA_NODES];	/* per socket */
	unsigned n_workers;
	struct dp_worker *workers;			/* cache-aligned array */
	struct dp_main *main;
	_Atomic bool running;		/* writer: main lcore (release); workers read (acquire) */
	/* Drain: no new dialogs or media sessions. Writer: the main lcore (Drain method);
	 * readers: the edge on the workers and the offer handler, relaxed loads: the flag
	 * publishes no other data, and a packet that sees it one burst late is harmless. */
	_Atomic bool draining;
	uint64_t start_ns;		/* CLOCK_MONOTONIC at start-up */
	struct dpctl_server *ctl;	/* main lcore only */
	struct relay *relay;		/* media sessions: ownership and ordering in relay-t.h */
	struct edge_dp *edge;		/* SIP edge proxy, NULL when sip.port is 0: see edge_dp-int.h */
	struct ops *ops;		/* /metrics and run-time settings; main lcore only (ops.h) */
};

/* Messages on the rings between the main lcore and a worker (fixed-size ring elements). */
enum dp_msg_kind {
	DP_MSG_LEARN = 1,		/* worker -> main: ARP taught (ip, mac) */
	DP_MSG_RESOLVE = 2,		/* worker -> main: send m to next hop ip once resolved */
	DP_MSG_FRAG_EXPIRE = 3,		/* main -> worker: sweep the fragment table */
};

struct dp_msg {
	uint8_t kind;			/* enum dp_msg_kind */
	uint8_t iface;
	uint8_t mac[6];
	uint32_t ip;			/* network order */
	uint32_t pad;
	struct rte_mbuf *m;
};

#endif
