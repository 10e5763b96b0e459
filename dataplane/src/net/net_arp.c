/* RFC 826 for Ethernet/IPv4 only: other hardware or protocol types are malformed for us. */
#include "net_arp.h"

#include <rte_arp.h>
#include <rte_mbuf.h>

#include "net_counters.h"

static void drop(struct net_lcore *lc, struct rte_mbuf *m, enum net_counter_id why)
{
	net_ctr_inc(&lc->ctr, why);
	rte_pktmbuf_free(m);
}

void net_arp_make_reply(struct rte_mbuf *m, const struct net_iface *ifc)
{
	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	struct rte_arp_ipv4 *a = &arp->arp_data;

	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REPLY);
	rte_ether_addr_copy(&a->arp_sha, &a->arp_tha);
	a->arp_tip = a->arp_sip;
	rte_ether_addr_copy(&ifc->mac, &a->arp_sha);
	a->arp_sip = ifc->addr;
	/* Requests are often padded to 60 bytes; the reply is too, so the length stays. */
}

void net_arp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m)
{
	const struct net_iface *ifc = &lc->ifaces[iface];
	const size_t need = sizeof(struct rte_ether_hdr) + sizeof(struct rte_arp_hdr);
	if (rte_pktmbuf_data_len(m) < need)
		return drop(lc, m, NET_CTR_rx_drop_bad_arp);

	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	uint16_t op = rte_be_to_cpu_16(arp->arp_opcode);
	if (arp->arp_hardware != rte_cpu_to_be_16(RTE_ARP_HRD_ETHER) ||
	    arp->arp_protocol != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4) ||
	    arp->arp_hlen != RTE_ETHER_ADDR_LEN || arp->arp_plen != 4 ||
	    (op != RTE_ARP_OP_REQUEST && op != RTE_ARP_OP_REPLY) ||
	    !rte_is_unicast_ether_addr(&arp->arp_data.arp_sha))
		return drop(lc, m, NET_CTR_rx_drop_bad_arp);
	if (arp->arp_data.arp_tip != ifc->addr || arp->arp_data.arp_sip == ifc->addr)
		return drop(lc, m, NET_CTR_rx_drop_arp_not_for_us);

	/* The sender told us its address; only the main lcore writes the neighbour table. */
	if (arp->arp_data.arp_sip != 0)
		lc->io.to_main(lc->io.arg, NET_MAIN_LEARN, iface, arp->arp_data.arp_sip,
			       &arp->arp_data.arp_sha, NULL);

	if (op == RTE_ARP_OP_REPLY) {
		net_ctr_inc(&lc->ctr, NET_CTR_rx_arp_reply);
		rte_pktmbuf_free(m);
		return;
	}
	net_ctr_inc(&lc->ctr, NET_CTR_rx_arp_request);
	net_arp_make_reply(m, ifc);
	lc->io.tx(lc->io.arg, iface, m);
}

struct rte_mbuf *net_arp_build_request(struct rte_mempool *mp, const struct net_iface *ifc,
				       rte_be32_t target)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	if (!m)
		return NULL;
	const uint16_t len = RTE_ETHER_MIN_LEN - RTE_ETHER_CRC_LEN;	/* 60: pad to the minimum */
	char *p = rte_pktmbuf_append(m, len);
	if (!p) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(p, 0, len);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_arp_hdr *arp = (struct rte_arp_hdr *)(eth + 1);
	memset(&eth->dst_addr, 0xff, sizeof(eth->dst_addr));
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_ARP);
	arp->arp_hardware = rte_cpu_to_be_16(RTE_ARP_HRD_ETHER);
	arp->arp_protocol = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	arp->arp_hlen = RTE_ETHER_ADDR_LEN;
	arp->arp_plen = 4;
	arp->arp_opcode = rte_cpu_to_be_16(RTE_ARP_OP_REQUEST);
	rte_ether_addr_copy(&ifc->mac, &arp->arp_data.arp_sha);
	arp->arp_data.arp_sip = ifc->addr;
	arp->arp_data.arp_tip = target;	/* target hardware address stays zero */
	return m;
}
