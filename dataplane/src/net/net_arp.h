/* ARP on the fast path: answer requests for our address in place, report what we learn to the
 * main lcore, and build requests for the main lcore's resolver.
 * Return convention: creators return an mbuf or NULL; the rest 0 or a negative errno. Input
 * functions consume the mbuf.
 */
#ifndef BUGLE_NET_ARP_H
#define BUGLE_NET_ARP_H

#include "net_lcore-t.h"

struct rte_mbuf;
struct rte_mempool;

/* m starts with its Ethernet header and carries ARP. Requests for iface's address are answered
 * on this lcore's TX queue; requests and replies addressed to us are reported to the main lcore
 * (NET_MAIN_LEARN); anything else is dropped and counted. */
void net_arp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m);

/* Turn a valid ARP request in m into our reply, in place (Ethernet header included). */
void net_arp_make_reply(struct rte_mbuf *m, const struct net_iface *ifc);

/* A broadcast "who-has target tell us" frame, from mp. */
struct rte_mbuf *net_arp_build_request(struct rte_mempool *mp, const struct net_iface *ifc,
				       rte_be32_t target);

#endif
