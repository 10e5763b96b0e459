/* ARP neighbour table: lock-free lookups on workers, resolution and expiry on the main lcore.
 * Return convention: 0 or a negative errno. Functions that take an mbuf always consume it (sent,
 * queued, or freed and counted).
 */
#ifndef BUGLE_NET_NEIGH_H
#define BUGLE_NET_NEIGH_H

#include "net_counters-t.h"
#include "net_neigh-t.h"

/* The bucket ip falls in (diagnostics and tests). */
unsigned net_neigh_bucket(rte_be32_t ip);

void net_neigh_init(struct net_neigh_table *t, const struct net_neigh_params *p);

/* Any lcore: the MAC of a REACHABLE entry for ip; -ENOENT when there is none (or it is being
 * rewritten right now: the caller then asks the main lcore, which knows for sure). */
int net_neigh_lookup(const struct net_neigh_table *t, rte_be32_t ip, struct rte_ether_addr *mac);

/* Main lcore: send m to ip now if known, else queue it; the first miss sends the ARP request at
 * once. -ENOBUFS when ip already has params.pending_max packets queued or the table's pending
 * pool is empty (tx_drop_arp_queue_full), -ENOSPC when no entry can be had. */
int net_neigh_resolve(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		      struct net_counters *ctr, rte_be32_t ip, struct rte_mbuf *m, uint64_t now_ms);

/* Main lcore: ip is at mac (an ARP packet addressed to us said so); sends what was pending. */
int net_neigh_learn(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		    struct net_counters *ctr, rte_be32_t ip, const struct rte_ether_addr *mac,
		    uint64_t now_ms);

/* Main lcore, periodically: re-ask learnt entries near their expiry (still used meanwhile; an
 * answer renews them), expire those nobody renewed, re-probe or give up on unresolved ones. */
void net_neigh_tick(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		    struct net_counters *ctr, uint64_t now_ms);

/* Main lcore, at shutdown: free every pending packet and empty the table. */
void net_neigh_flush(struct net_neigh_table *t);

#endif
