/* rte_ip_frag does the bookkeeping. Its table is opaque and it reports "not complete yet" and
 * "dropped" the same way (NULL), so drops are counted from the growth of the death row: one mbuf
 * alone means the first fragment of a datagram found no room; more means a whole datagram was
 * thrown away (overlap, duplicate, more than RTE_LIBRTE_IP_FRAG_MAX_FRAG fragments). A stale
 * datagram evicted to make room for a new one looks the same as a single drop; both mean the
 * table is too small for the traffic, which is what rx_drop_frag_table_full tells the operator. */
#include "net_frag.h"

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "net_counters.h"

#define FRAG_BUCKET_ENTRIES 8	/* associativity; rte_ip_frag wants a power of two */
#define FRAG_PREFETCH 3

struct net_frag {
	struct rte_ip_frag_tbl *tbl;
	struct rte_ip_frag_death_row dr;
};

struct net_frag *net_frag_create(uint32_t max_flows, uint32_t ttl_ms, int socket_id)
{
	if (max_flows == 0)
		return NULL;
	struct net_frag *f = rte_zmalloc_socket("net_frag", sizeof(*f), RTE_CACHE_LINE_SIZE,
						socket_id);
	if (!f)
		return NULL;
	uint32_t buckets = rte_align32pow2((max_flows + FRAG_BUCKET_ENTRIES - 1) /
					   FRAG_BUCKET_ENTRIES);
	uint64_t cycles = (rte_get_tsc_hz() + 999) / 1000 * ttl_ms;
	f->tbl = rte_ip_frag_table_create(buckets, FRAG_BUCKET_ENTRIES, max_flows, cycles,
					  socket_id);
	if (!f->tbl) {
		rte_free(f);
		return NULL;
	}
	return f;
}

void net_frag_free(struct net_frag *f)
{
	if (!f)
		return;
	rte_ip_frag_table_destroy(f->tbl);
	rte_ip_frag_free_death_row(&f->dr, 0);
	rte_free(f);
}

void net_frag_free_dropped(struct net_frag *f)
{
	if (f->dr.cnt)
		rte_ip_frag_free_death_row(&f->dr, FRAG_PREFETCH);
}

struct rte_mbuf *net_frag_input(struct net_lcore *lc, struct rte_mbuf *m, uint16_t l3_off,
				uint64_t now_tsc)
{
	struct net_frag *f = lc->frag;
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, l3_off);
	uint16_t ihl = rte_ipv4_hdr_len(ip);
	uint16_t len = rte_be_to_cpu_16(ip->total_length) - ihl;
	uint16_t flags = rte_be_to_cpu_16(ip->fragment_offset);
	uint32_t off = (uint32_t)(flags & RTE_IPV4_HDR_OFFSET_MASK) * RTE_IPV4_HDR_OFFSET_UNITS;
	bool more = flags & RTE_IPV4_HDR_MF_FLAG;

	/* RFC 791: every fragment but the last carries a multiple of 8 bytes; none may reach past
	 * the largest datagram. rte_ip_frag trusts both. */
	if (!f || len == 0 || (more && (len & 7)) || off + len > UINT16_MAX ||
	    !rte_pktmbuf_is_contiguous(m)) {
		net_ctr_inc(&lc->ctr, NET_CTR_rx_drop_frag_bad_len);
		rte_pktmbuf_free(m);
		return NULL;
	}

	/* Make room before a fragment can add its datagram's worth of mbufs. */
	if (f->dr.cnt > RTE_IP_FRAG_DEATH_ROW_MBUF_LEN - RTE_LIBRTE_IP_FRAG_MAX_FRAG - 1)
		net_frag_free_dropped(f);
	m->l2_len = l3_off;
	m->l3_len = ihl;
	uint32_t before = f->dr.cnt;
	struct rte_mbuf *whole = rte_ipv4_frag_reassemble_packet(f->tbl, &f->dr, m, now_tsc, ip);
	uint32_t dropped = f->dr.cnt - before;
	if (whole) {
		net_ctr_inc(&lc->ctr, NET_CTR_rx_frag_reassembled);
		return whole;
	}
	if (dropped == 1)
		net_ctr_inc(&lc->ctr, NET_CTR_rx_drop_frag_table_full);
	else if (dropped > 1)
		net_ctr_inc(&lc->ctr, NET_CTR_rx_drop_frag_invalid);
	return NULL;
}

void net_frag_expire(struct net_lcore *lc, uint64_t now_tsc)
{
	struct net_frag *f = lc->frag;
	if (!f)
		return;
	net_frag_free_dropped(f);
	rte_ip_frag_table_del_expired_entries(f->tbl, &f->dr, now_tsc);
	/* Counted in fragments: the table does not say how many datagrams they made up. */
	if (f->dr.cnt)
		net_ctr_add(&lc->ctr, NET_CTR_rx_drop_frag_timeout, f->dr.cnt);
	net_frag_free_dropped(f);
}
