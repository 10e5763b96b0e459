/* Per-lcore L2/L3 context: counters, the fragment table of that lcore and the ways out of it.
 * Types only. One per lcore, in a cache-aligned array; written only by its lcore (the stats
 * reader on the main lcore reads the counters with relaxed loads).
 */
#ifndef BUGLE_NET_LCORE_T_H
#define BUGLE_NET_LCORE_T_H

#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_common.h>

#include "net_counters-t.h"
#include "net_iface-t.h"
#include "net_neigh-t.h"
#include "net_udp-t.h"

struct rte_mbuf;
struct rte_mempool;
struct net_frag;

/* Messages from an lcore to the main lcore (see net_io.to_main). */
enum net_main_msg {
	NET_MAIN_LEARN = 1,		/* an ARP packet for us taught (ip, mac); no mbuf */
	NET_MAIN_RESOLVE = 2,		/* send mbuf to ip once ARP resolves it */
};

/* How packets leave the lcore. Both consume the mbuf: on failure they free and count it. */
struct net_io {
	void *arg;
	/* Queue m on iface's TX queue of this lcore. */
	void (*tx)(void *arg, uint16_t iface, struct rte_mbuf *m);
	/* Hand work to the main lcore: NET_MAIN_LEARN (ip, mac, m NULL) or NET_MAIN_RESOLVE
	 * (ip is the next hop, m the packet with its Ethernet header to fill). */
	void (*to_main)(void *arg, enum net_main_msg kind, uint16_t iface, rte_be32_t ip,
			const struct rte_ether_addr *mac, struct rte_mbuf *m);
};

struct net_lcore {
	struct net_counters ctr;			/* this lcore only */
	const struct net_iface *ifaces;			/* RO */
	uint16_t n_ifaces;
	const struct net_udp_demux *demux;		/* RO */
	const struct net_neigh_table *neigh[NET_MAX_IFACES];	/* read lock-free */
	struct net_frag *frag;				/* this lcore only; NULL: no reassembly */
	struct rte_mempool *pool;			/* for packets this lcore creates */
	struct net_io io;
} __rte_cache_aligned;

#endif
