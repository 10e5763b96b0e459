/* Echo reply in place: swap addresses, change the type and patch the checksums. */
#include "net_icmp.h"

#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "net_counters.h"

static void drop(struct net_lcore *lc, struct rte_mbuf *m, enum net_counter_id why)
{
	net_ctr_inc(&lc->ctr, why);
	rte_pktmbuf_free(m);
}

void net_icmp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m, uint16_t l3_off)
{
	const struct net_iface *ifc = &lc->ifaces[iface];
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	uint16_t ihl = rte_ipv4_hdr_len(ip);
	uint16_t icmp_len = rte_be_to_cpu_16(ip->total_length) - ihl;

	/* A reassembled echo could exceed the MTU on the way back; we do not fragment replies. */
	if (!rte_pktmbuf_is_contiguous(m))
		return drop(lc, m, NET_CTR_rx_drop_icmp_fragmented);
	if (icmp_len < sizeof(struct rte_icmp_hdr))
		return drop(lc, m, NET_CTR_rx_drop_bad_icmp);
	struct rte_icmp_hdr *icmp = (struct rte_icmp_hdr *)((char *)ip + ihl);
	if (rte_raw_cksum(icmp, icmp_len) != 0xffff)
		return drop(lc, m, NET_CTR_rx_drop_bad_icmp);
	if (icmp->icmp_type != RTE_IP_ICMP_ECHO_REQUEST || icmp->icmp_code != 0)
		return drop(lc, m, NET_CTR_rx_drop_icmp_type);
	/* Answer a broadcast ping from our own address, not the broadcast one. */
	rte_be32_t peer = ip->src_addr;
	ip->src_addr = ifc->addr;
	ip->dst_addr = peer;
	ip->time_to_live = 64;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);

	icmp->icmp_type = RTE_IP_ICMP_ECHO_REPLY;
	icmp->icmp_cksum = 0;
	icmp->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, icmp_len);

	struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	rte_ether_addr_copy(&eth->src_addr, &eth->dst_addr);
	rte_ether_addr_copy(&ifc->mac, &eth->src_addr);
	net_ctr_inc(&lc->ctr, NET_CTR_rx_icmp_echo);
	lc->io.tx(lc->io.arg, iface, m);
}
