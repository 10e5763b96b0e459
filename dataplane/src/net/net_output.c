/* Workers look the next hop up lock-free; on a miss the packet goes to the main lcore, which
 * owns resolution and sends it from its own TX queue once the neighbour answers. */
#include "net_output.h"

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "net_counters.h"
#include "net_neigh.h"

rte_be32_t net_next_hop(const struct net_iface *ifc, rte_be32_t dst)
{
	if (((dst ^ ifc->addr) & ifc->netmask) == 0)
		return dst;
	return ifc->gateway;
}

void net_eth_fill_ipv4(struct rte_mbuf *m, const struct net_iface *ifc,
		       const struct rte_ether_addr *dst)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(dst, &eth->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
}

void net_output_ipv4(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m)
{
	const struct net_iface *ifc = &lc->ifaces[iface];
	const struct rte_ipv4_hdr *ip =
		rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, sizeof(struct rte_ether_hdr));
	rte_be32_t hop = net_next_hop(ifc, ip->dst_addr);
	if (hop == 0) {
		net_ctr_inc(&lc->ctr, NET_CTR_tx_drop_no_route);
		rte_pktmbuf_free(m);
		return;
	}
	struct rte_ether_addr mac;
	if (net_neigh_lookup(lc->neigh[iface], hop, &mac) == 0) {
		net_eth_fill_ipv4(m, ifc, &mac);
		lc->io.tx(lc->io.arg, iface, m);
		return;
	}
	lc->io.to_main(lc->io.arg, NET_MAIN_RESOLVE, iface, hop, NULL, m);
}
