/* Handlers are few (SIP ports, the RTP range), so a linear scan of a small array in
 * registration order beats any hash here. */
#include "net_udp.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_counters.h"
#include "net_csum.h"
#include "net_ipv4.h"

void net_udp_demux_init(struct net_udp_demux *d)
{
	memset(d, 0, sizeof(*d));
}

int net_udp_register(struct net_udp_demux *d, const struct net_udp_handler *h)
{
	if (!h->fn || h->port_lo > h->port_hi || h->port_lo == 0 ||
	    (h->role_mask & ~NET_ROLE_MASK_ANY) || h->role_mask == 0)
		return -EINVAL;
	for (unsigned i = 0; i < d->n; i++) {
		const struct net_udp_handler *o = &d->h[i];
		if ((o->role_mask & h->role_mask) && h->port_lo <= o->port_hi &&
		    o->port_lo <= h->port_hi)
			return -EEXIST;
	}
	if (d->n >= NET_UDP_MAX_HANDLERS)
		return -ENOSPC;
	d->h[d->n++] = *h;
	return 0;
}

const struct net_udp_handler *net_udp_lookup(const struct net_udp_demux *d, enum net_role role,
					     uint16_t dst_port)
{
	for (unsigned i = 0; i < d->n; i++) {
		const struct net_udp_handler *h = &d->h[i];
		if ((h->role_mask & NET_ROLE_MASK(role)) && dst_port >= h->port_lo &&
		    dst_port <= h->port_hi)
			return h;
	}
	return NULL;
}

static void drop(struct net_lcore *lc, struct rte_mbuf *m, enum net_counter_id why)
{
	net_ctr_inc(&lc->ctr, why);
	rte_pktmbuf_free(m);
}

/* A port that verifies L4 checksums (RTE_ETH_RX_OFFLOAD_UDP_CKSUM) says GOOD or BAD in the mbuf
 * and the NIC's word is taken. UNKNOWN (no offload: af_packet, tap) and NONE (data intact but the
 * field itself not valid; the relay updates that field incrementally, so it must be right) are
 * verified here: over the one segment directly, walking the chain only for reassembled ones. */
static bool udp_csum_ok(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip,
			const struct rte_udp_hdr *udp, uint16_t l4_off)
{
	if (udp->dgram_cksum == 0)
		return true;	/* the sender did not compute one (RFC 768) */
	uint64_t nic = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
	if (nic == RTE_MBUF_F_RX_L4_CKSUM_GOOD)
		return true;
	if (nic == RTE_MBUF_F_RX_L4_CKSUM_BAD)
		return false;
	if (m->nb_segs == 1)
		return net_csum_ipv4_l4_ok(ip, udp, rte_be_to_cpu_16(udp->dgram_len));
	return rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, l4_off) == 0;
}

void net_udp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m, uint16_t l3_off)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	uint16_t ihl = rte_ipv4_hdr_len(ip);
	uint16_t l4_off = l3_off + ihl;
	uint16_t ip_payload = rte_be_to_cpu_16(ip->total_length) - ihl;
	if (ip_payload < sizeof(struct rte_udp_hdr) ||
	    rte_pktmbuf_data_len(m) < l4_off + sizeof(struct rte_udp_hdr))
		return drop(lc, m, NET_CTR_rx_drop_bad_udp_len);
	struct rte_udp_hdr *udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, l4_off);
	uint16_t udp_len = rte_be_to_cpu_16(udp->dgram_len);
	if (udp_len < sizeof(*udp) || udp_len != ip_payload)
		return drop(lc, m, NET_CTR_rx_drop_bad_udp_len);
	if (!udp_csum_ok(m, ip, udp, l4_off))
		return drop(lc, m, NET_CTR_rx_drop_bad_udp_csum);

	const struct net_iface *ifc = &lc->ifaces[iface];
	uint16_t dport = rte_be_to_cpu_16(udp->dst_port);
	const struct net_udp_handler *h = net_udp_lookup(lc->demux, ifc->role, dport);
	if (!h)
		return drop(lc, m, NET_CTR_rx_drop_no_udp_handler);
	struct net_udp_pkt pkt = {
		.iface = iface,
		.src_ip = ip->src_addr,
		.dst_ip = ip->dst_addr,
		.src_port = rte_be_to_cpu_16(udp->src_port),
		.dst_port = dport,
		.l3_off = l3_off,
		.l4_off = l4_off,
		.payload_len = (uint16_t)(udp_len - sizeof(*udp)),
	};
	net_ctr_inc(&lc->ctr, NET_CTR_rx_udp_delivered);
	h->fn(lc, m, &pkt, h->arg);
}

int net_udp_prepend(struct rte_mbuf *m, rte_be32_t src, rte_be32_t dst, uint16_t src_port,
		    uint16_t dst_port, uint16_t packet_id)
{
	const uint16_t hdrs = sizeof(struct rte_ether_hdr) + sizeof(struct rte_ipv4_hdr) +
			      sizeof(struct rte_udp_hdr);
	uint32_t payload = rte_pktmbuf_pkt_len(m);
	if (payload + sizeof(struct rte_ipv4_hdr) + sizeof(struct rte_udp_hdr) > UINT16_MAX)
		return -EMSGSIZE;
	char *p = rte_pktmbuf_prepend(m, hdrs);
	if (!p)
		return -ENOSPC;
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)p;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	memset(eth, 0, sizeof(*eth));
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	uint16_t udp_len = (uint16_t)(payload + sizeof(*udp));
	net_ipv4_fill(ip, src, dst, IPPROTO_UDP, (uint16_t)(udp_len + sizeof(*ip)), packet_id);
	udp->src_port = rte_cpu_to_be_16(src_port);
	udp->dst_port = rte_cpu_to_be_16(dst_port);
	udp->dgram_len = rte_cpu_to_be_16(udp_len);
	udp->dgram_cksum = 0;
	udp->dgram_cksum = rte_ipv4_udptcp_cksum_mbuf(m, ip, sizeof(*eth) + sizeof(*ip));
	return 0;
}
