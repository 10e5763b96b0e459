/* Sending IPv4 out of a port: next hop, neighbour lookup, Ethernet header.
 * Return convention: functions consume the mbuf (sent, handed to the main lcore for ARP
 * resolution, or dropped and counted); nothing is returned.
 */
#ifndef BUGLE_NET_OUTPUT_H
#define BUGLE_NET_OUTPUT_H

#include "net_lcore-t.h"

struct rte_mbuf;

/* The next hop for dst on ifc: dst itself on-link, else the gateway; 0 when there is none. */
rte_be32_t net_next_hop(const struct net_iface *ifc, rte_be32_t dst);

/* m: room for an Ethernet header at 0, then a complete IPv4 packet. */
void net_output_ipv4(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m);

/* Fill m's Ethernet header for an IPv4 frame from ifc to dst. */
void net_eth_fill_ipv4(struct rte_mbuf *m, const struct net_iface *ifc,
		       const struct rte_ether_addr *dst);

#endif
