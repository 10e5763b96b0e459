/* Validation order follows RFC 1812 5.2.2: length, version, checksum, then addresses. */
#include "net_ipv4.h"

#include <errno.h>
#include <stdbool.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "net_csum.h"

#define IPV4_TTL_OUT 64

static int fail(enum net_counter_id *why, enum net_counter_id id)
{
	*why = id;
	return -EINVAL;
}

static bool bad_source(rte_be32_t a)
{
	uint32_t h = rte_be_to_cpu_32(a);
	uint8_t first = (uint8_t)(h >> 24);
	return h == 0 || h == 0xffffffffu || first == 127 || (first & 0xf0) == 0xe0;
}

/* A port with RTE_ETH_RX_OFFLOAD_IPV4_CKSUM says GOOD or BAD and is believed; otherwise
 * (UNKNOWN, or NONE) the header is summed here. */
static bool header_csum_ok(const struct rte_mbuf *m, const struct rte_ipv4_hdr *ip, uint16_t ihl)
{
	uint64_t nic = m->ol_flags & RTE_MBUF_F_RX_IP_CKSUM_MASK;
	if (nic == RTE_MBUF_F_RX_IP_CKSUM_GOOD)
		return true;
	if (nic == RTE_MBUF_F_RX_IP_CKSUM_BAD)
		return false;
	return net_csum_raw(ip, ihl) == 0xffff;
}

int net_ipv4_check(const struct net_iface *ifc, struct rte_mbuf *m, uint16_t l3_off,
		   enum net_counter_id *why)
{
	/* The header must sit in the first segment: PMDs give us one segment per frame. */
	if (rte_pktmbuf_data_len(m) < l3_off + sizeof(struct rte_ipv4_hdr))
		return fail(why, NET_CTR_rx_drop_bad_ipv4_len);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	if ((ip->version_ihl >> 4) != 4)
		return fail(why, NET_CTR_rx_drop_bad_ipv4_version);
	uint16_t ihl = rte_ipv4_hdr_len(ip);
	if (ihl < sizeof(struct rte_ipv4_hdr))
		return fail(why, NET_CTR_rx_drop_bad_ipv4_len);
	if (ihl > sizeof(struct rte_ipv4_hdr))
		return fail(why, NET_CTR_rx_drop_ipv4_options);
	uint16_t total = rte_be_to_cpu_16(ip->total_length);
	uint32_t have = rte_pktmbuf_pkt_len(m) - l3_off;
	if (total < ihl || total > have)
		return fail(why, NET_CTR_rx_drop_bad_ipv4_len);
	if (!header_csum_ok(m, ip, ihl))
		return fail(why, NET_CTR_rx_drop_bad_ipv4_csum);
	if (ip->time_to_live == 0)
		return fail(why, NET_CTR_rx_drop_ttl);
	if (bad_source(ip->src_addr))
		return fail(why, NET_CTR_rx_drop_bad_ipv4_src);
	rte_be32_t bcast = ifc->addr | ~ifc->netmask;
	if (ip->dst_addr != ifc->addr && ip->dst_addr != bcast && ip->dst_addr != 0xffffffffu)
		return fail(why, NET_CTR_rx_drop_not_for_us);
	/* Short frames are padded to 60 bytes on the wire; the padding is not payload. */
	if (total < have && rte_pktmbuf_trim(m, (uint16_t)(have - total)) < 0)
		return fail(why, NET_CTR_rx_drop_bad_ipv4_len);
	return 0;
}

void net_ipv4_fill(void *hdr, rte_be32_t src, rte_be32_t dst, uint8_t proto, uint16_t total_len,
		   uint16_t packet_id)
{
	struct rte_ipv4_hdr *ip = hdr;
	ip->version_ihl = RTE_IPV4_VHL_DEF;
	ip->type_of_service = 0;
	ip->total_length = rte_cpu_to_be_16(total_len);
	ip->packet_id = rte_cpu_to_be_16(packet_id);
	ip->fragment_offset = 0;
	ip->time_to_live = IPV4_TTL_OUT;
	ip->next_proto_id = proto;
	ip->src_addr = src;
	ip->dst_addr = dst;
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
}
