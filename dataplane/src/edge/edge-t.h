/* Types of the SIP edge proxy: its settings, counters, the dispatcher set and the per-worker
 * context. Types only; the functions live in edge.h (packet path, DPDK-free), edge_topo.h
 * (topology hiding), edge_dispatch.h (control-plane choice and health) and edge_dp.h (the DPDK
 * glue: handler registration, worker commands, main-lcore tick, control methods).
 *
 * Addresses in this module are IPv4 in host byte order, ports in host order.
 */
#ifndef BUGLE_EDGE_T_H
#define BUGLE_EDGE_T_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "flt-t.h"
#include "sip-t.h"

#define EDGE_MAX_NODES 16	/* control planes in one dispatcher set (Dispatcher.nodes) */
#define EDGE_MAX_DGRAM 9000	/* a forwarded SIP datagram, rewritten */
#define EDGE_DRAIN_RETRY_AFTER_S 30	/* Retry-After of the 503 a draining node gives new INVITEs */
#define EDGE_TOPO_KEY_LEN 64	/* MAC 16 (SipHash) + cipher 32 (AES/ChaCha20) + branch hash 16 */

/* The edge's settings, one field per row of the data plane's settings table. RO after start. */
struct edge_config {
	int64_t sip_port;		/* SIP over UDP on both roles; 0: edge off */
	char dispatcher_nodes[512];	/* "198.51.100.2:5060,198.51.100.3:5060" */
	int64_t probe_interval_ms;	/* OPTIONS to every node this often */
	int64_t dead_after_ms;		/* no answer this long: the node is skipped */
	int64_t density_requests;
	int64_t density_window_ms;
	int64_t ban_seconds;
	int64_t register_per_second;
	int64_t invite_per_second;
	char scanner_user_agents[1024];
	char allow_sources[1024];
};

/* Every counter of the edge, declared once: X(name, help). Stats and the CLI read this table;
 * the sanity faults and the filter's reasons come on top from their own tables. */
#define EDGE_COUNTERS(X)                                                                           \
	X(pub_requests, "requests received on the public side")                                   \
	X(pub_responses, "responses received on the public side")                                 \
	X(int_requests, "requests received from a control plane")                                \
	X(int_responses, "responses received from a control plane")                               \
	X(parse_dropped, "datagrams that did not frame as SIP, dropped")                          \
	X(sanity_replied, "bad requests answered with a stateless error response")                \
	X(sanity_dropped, "bad responses (or unanswerable requests) dropped")                     \
	X(filter_dropped, "requests dropped by the flood filter (reason in flt_*)")               \
	X(forwarded_to_control, "messages forwarded to a control plane")                          \
	X(forwarded_to_public, "messages forwarded to the public side")                           \
	X(too_many_hops, "requests answered 483 because Max-Forwards ran out")                    \
	X(no_node, "requests answered 503: no healthy control plane")                             \
	X(not_our_via, "responses whose top Via is not this edge's, dropped")                     \
	X(topo_bad_token, "topology tokens that failed the integrity check, dropped")             \
	X(topo_leak_dropped, "messages to the public side still naming an internal address")      \
	X(no_route, "requests from a control plane with no usable destination, dropped")          \
	X(rewrite_failed, "messages the rewrite could not fit or edit, dropped")                  \
	X(health_replies, "OPTIONS answers from control planes")                                  \
	X(tx_failed, "forwarded datagrams that could not be built (no mbuf, too big)")           \
	X(not_worker, "SIP datagrams seen on an lcore without an edge context, dropped")        \
	X(drain_refused, "new INVITEs answered 503 with Retry-After while the node drains")      \
	X(bans_shared, "density bans raised by another worker and applied here")                  \
	X(ban_share_lost, "density bans not passed on to a worker: its queue was full")

enum edge_counter {
#define EDGE_COUNTER_ENUM(name, help) EDGE_C_##name,
	EDGE_COUNTERS(EDGE_COUNTER_ENUM)
#undef EDGE_COUNTER_ENUM
	EDGE_COUNTER_COUNT
};

/* One control plane: where it listens for SIP. */
struct edge_node {
	uint32_t ip;
	uint16_t port;
	char name[64];
};

/* A dispatcher set. Immutable once published (see struct edge_core.set). */
struct edge_set {
	uint32_t n;
	struct edge_node node[EDGE_MAX_NODES];
	uint64_t generation;
};

/* Health of the nodes of the current set: writers are the workers (an answer) and the main
 * lcore (reset on a new set), both with relaxed stores of a monotonic millisecond clock. */
struct edge_health {
	_Atomic uint64_t last_answer_ms[EDGE_MAX_NODES];
};

/* What the packet path shares between all lcores. RO after start except where noted. */
struct edge_core {
	uint32_t pub_ip, int_ip, int_mask;	/* our addresses, the internal subnet mask */
	uint16_t port;				/* our SIP port on both sides */
	char pub_txt[16], int_txt[16];		/* our addresses as SIP writes them */
	struct sip_str pub_str, int_str;	/* the same, as slices */
	/* Header texts made of the addresses and port, written once by edge_core_init so that
	 * the per-packet rewrites copy them instead of formatting them (RO afterwards). */
	char rr_txt[2][40];			/* "sip:ADDR:PORT;lr": [0] public, [1] internal */
	uint8_t rr_len[2];
	char contact_pre[48];			/* "<sip:PUB:PORT;bgl=" (from [1] when bracketed) */
	uint8_t contact_pre_len;
	char path_pre[64];			/* "Path: <sip:INT:PORT;lr;bgl-flow=" */
	uint8_t path_pre_len;
	char via_pre[80];			/* "Via: SIP/2.0/UDP PUB:PORT;branch=z9hG4bKbgt" */
	uint8_t via_pre_len;
	uint8_t key[EDGE_TOPO_KEY_LEN];		/* topology-hiding key, random at start */
	uint64_t dead_after_ms;
	/* The current dispatcher set: the main lcore fills a spare set then stores its address
	 * with release; workers load it with acquire once per packet. A retired set is reused only
	 * after every worker has acknowledged a barrier command (edge_dp.c), so no worker still
	 * reads it. */
	_Atomic(const struct edge_set *) set;
	struct edge_health health;
	/* The data plane's drain flag (NULL: never drains). Written by the main lcore, loaded
	 * relaxed here: it orders nothing else, a packet seeing it a little late is harmless. */
	const _Atomic bool *draining;
};

struct edge_realms;

/* Per-worker state: written only by its worker (counters read by the stats with relaxed loads). */
struct edge_worker {
	struct edge_core *core;			/* shared */
	struct flt *flt;			/* this worker's filter instance */
	/* This worker's realm -> account table (edge_realm.h) for per-account CPS; set by the
	 * owner after edge_worker_init(); NULL: INVITEs are checked without an account. */
	struct edge_realms *realms;
	_Atomic uint64_t ctr[EDGE_COUNTER_COUNT];
	_Atomic uint64_t fault[SIP_FAULT__COUNT]; /* sanity verdicts by fault */
	struct sip_msg msg;			/* reused per packet */
};

/* What to do with a datagram after edge_process(). */
enum edge_act_kind { EDGE_ACT_DROP = 0, EDGE_ACT_SEND = 1 };

struct edge_action {
	uint8_t kind;		/* enum edge_act_kind */
	uint8_t side;		/* 0 public, 1 internal (enum net_role values) */
	uint32_t dst_ip;
	uint16_t dst_port;
	uint32_t len;		/* bytes of the datagram in the caller's output buffer */
};

#endif
