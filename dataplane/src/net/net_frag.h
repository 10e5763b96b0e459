/* IPv4 fragment reassembly with DPDK's rte_ip_frag: one table and death row per lcore.
 * Return convention: creators return a pointer or NULL; net_frag_input returns the reassembled
 * mbuf or NULL (fragment kept or dropped and counted); the rest nothing.
 */
#ifndef BUGLE_NET_FRAG_H
#define BUGLE_NET_FRAG_H

#include <stdint.h>

#include "net_lcore-t.h"

struct rte_mbuf;

/* A table for at most max_flows datagrams in reassembly, each given ttl_ms to complete. */
struct net_frag *net_frag_create(uint32_t max_flows, uint32_t ttl_ms, int socket_id);
void net_frag_free(struct net_frag *f);

/* m is a validated IPv4 fragment (Ethernet header at 0, IPv4 at l3_off); now_tsc is the TSC.
 * Consumes m; returns the whole datagram once its last fragment is in. */
struct rte_mbuf *net_frag_input(struct net_lcore *lc, struct rte_mbuf *m, uint16_t l3_off,
				uint64_t now_tsc);

/* Free what reassembly dropped; call after each burst (the death row is bounded). */
void net_frag_free_dropped(struct net_frag *f);

/* Drop datagrams older than their ttl (counted as rx_drop_frag_timeout). */
void net_frag_expire(struct net_lcore *lc, uint64_t now_tsc);

#endif
