/* Ethernet classify -> ARP | IPv4 (validate, reassemble) -> ICMP | UDP demux. */
#include "net_rx.h"

#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>

#include "net_arp.h"
#include "net_counters.h"
#include "net_frag.h"
#include "net_icmp.h"
#include "net_ipv4.h"
#include "net_udp.h"

static void drop(struct net_lcore *lc, struct rte_mbuf *m, enum net_counter_id why)
{
	net_ctr_inc(&lc->ctr, why);
	rte_pktmbuf_free(m);
}

static void ipv4_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m,
		       uint64_t now_tsc)
{
	const uint16_t l3_off = sizeof(struct rte_ether_hdr);
	enum net_counter_id why;
	if (net_ipv4_check(&lc->ifaces[iface], m, l3_off, &why) < 0)
		return drop(lc, m, why);

	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	if (rte_ipv4_frag_pkt_is_fragmented(ip)) {
		m = net_frag_input(lc, m, l3_off, now_tsc);
		if (!m)
			return;
		ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
		/* Reassembly rewrote total_length and fragment_offset; refresh the checksum so
		 * the datagram is consistent for whoever reads it next. */
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		if (ip->next_proto_id == IPPROTO_ICMP)
			return drop(lc, m, NET_CTR_rx_drop_icmp_fragmented);
	}
	switch (ip->next_proto_id) {
	case IPPROTO_UDP:
		return net_udp_input(lc, iface, m, l3_off);
	case IPPROTO_ICMP:
		return net_icmp_input(lc, iface, m, l3_off);
	default:
		return drop(lc, m, NET_CTR_rx_drop_unknown_l4);
	}
}

static void rx_one(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m, uint64_t now_tsc)
{
	net_ctr_inc(&lc->ctr, NET_CTR_rx_packets);
	if (rte_pktmbuf_data_len(m) < sizeof(struct rte_ether_hdr))
		return drop(lc, m, NET_CTR_rx_drop_runt);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (!rte_is_broadcast_ether_addr(&eth->dst_addr)) {
		if (rte_is_multicast_ether_addr(&eth->dst_addr))
			return drop(lc, m, NET_CTR_rx_drop_multicast);
		if (!rte_is_same_ether_addr(&eth->dst_addr, &lc->ifaces[iface].mac))
			return drop(lc, m, NET_CTR_rx_drop_not_for_us);
	}
	switch (rte_be_to_cpu_16(eth->ether_type)) {
	case RTE_ETHER_TYPE_ARP:
		return net_arp_input(lc, iface, m);
	case RTE_ETHER_TYPE_IPV4:
		return ipv4_input(lc, iface, m, now_tsc);
	case RTE_ETHER_TYPE_VLAN:
	case RTE_ETHER_TYPE_QINQ:
		return drop(lc, m, NET_CTR_rx_drop_vlan);
	default:
		return drop(lc, m, NET_CTR_rx_drop_not_ipv4);
	}
}

void net_rx_burst(struct net_lcore *lc, uint16_t iface, struct rte_mbuf **pkts, uint16_t n,
		  uint64_t now_tsc)
{
	for (uint16_t i = 0; i < n; i++)
		rx_one(lc, iface, pkts[i], now_tsc);
	if (lc->frag)
		net_frag_free_dropped(lc->frag);
}
