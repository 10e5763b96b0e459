/* The datagram is forwarded in its own mbuf. The usual case (Ethernet + 20-byte IPv4 + UDP in
 * the first segment) is rewritten in place: new addresses and ports, a fresh IPv4 header
 * checksum, and the UDP checksum updated incrementally (RFC 1624) for exactly the words that
 * changed, so the payload is never summed again. Anything else takes the general path: headers
 * stripped, RTP rewritten, new UDP/IPv4 headers prepended with full checksums. */
#include "relay_udp.h"

#include <string.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_counters.h"
#include "net_csum.h"
#include "net_output.h"
#include "net_udp.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_rtp.h"

/* The part of the RTP/RTCP header the relay may rewrite (PT, seq, ts, SSRC; RTCP sender SSRC). */
#define REWRITE_BYTES 12

/* The words that make up the pseudo-header addresses, the ports and the rewritable payload. */
struct csum_words {
	uint8_t b[4 + 4 + 2 + 2 + REWRITE_BYTES];
	unsigned n;
};

static void csum_words(struct csum_words *w, const struct rte_ipv4_hdr *ip,
		       const struct rte_udp_hdr *udp, const uint8_t *payload, uint16_t len)
{
	memcpy(w->b, &ip->src_addr, 4);
	memcpy(w->b + 4, &ip->dst_addr, 4);
	memcpy(w->b + 8, &udp->src_port, 2);
	memcpy(w->b + 10, &udp->dst_port, 2);
	unsigned p = len < REWRITE_BYTES ? len & ~1u : REWRITE_BYTES;
	memcpy(w->b + 12, payload, p);
	w->n = 12 + p;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), over every changed word; ~m summed over the words
 * is ~(sum of m). Ones' complement sums do not care about byte order (RFC 1071), so it all
 * stays in memory order: no swaps, and 32 bits per step in net_csum_raw. */
static uint16_t csum_update(uint16_t old_cksum, const struct csum_words *before,
			    const struct csum_words *after)
{
	uint32_t acc = (uint16_t)~old_cksum;
	acc += (uint16_t)~net_csum_raw(before->b, before->n);
	acc += net_csum_raw(after->b, after->n);
	acc = (acc & 0xffff) + (acc >> 16);
	acc = (acc & 0xffff) + (acc >> 16);
	uint16_t c = (uint16_t)~acc;
	return c == 0 ? 0xffff : c;	/* 0 means "no checksum" in UDP; 0xffff is its twin */
}

/* Sends one datagram built by the relay (a transcoder's output, a media operation's packet) in
 * a new mbuf from this lcore's pool: running out of mbufs is a counted drop. sent: the counter
 * of a datagram sent (RELAY_CTR_COUNT: none, the caller counts). */
static void send_new(struct net_lcore *lc, struct relay_counters *ctr, uint16_t iface,
		     const struct relay_fwd *fwd, const uint8_t *data, uint16_t len,
		     enum relay_counter_id sent)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(lc->pool);
	char *p = m ? rte_pktmbuf_append(m, len) : NULL;
	if (!p) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_xcode);
		rte_pktmbuf_free(m);
		return;
	}
	memcpy(p, data, len);
	if (net_udp_prepend(m, fwd->src_ip, fwd->dst_ip, fwd->src_port, fwd->dst_port, 0) < 0) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_tx);
		rte_pktmbuf_free(m);
		return;
	}
	if (sent != RELAY_CTR_COUNT)
		relay_ctr_inc(ctr, sent);
	net_output_ipv4(lc, iface, m);
}

void relay_udp_send_generated(void *arg, const struct relay_fwd *fwd, const uint8_t *pkt,
			      uint16_t len)
{
	struct relay_udp_sender *snd = arg;
	send_new(snd->lc, relay_lcore_counters(snd->r), snd->iface, fwd, pkt, len,
		 RELAY_CTR_COUNT);	/* counted as media_packets by the tick */
}

static void transcode(struct net_lcore *lc, struct relay *r, struct relay_counters *ctr,
		      struct rte_mbuf *m, const struct net_udp_pkt *pkt, const struct relay_fwd *fwd,
		      const uint8_t *payload)
{
	/* Per-lcore scratch on the stack: a few KB, bounded by RELAY_XCODE_MAX_OUT. */
	uint8_t out[RELAY_XCODE_MAX_OUT][RELAY_XCODE_PKT];
	uint16_t out_len[RELAY_XCODE_MAX_OUT];
	unsigned n = relay_transcode(r, ctr, fwd, payload, fwd->len, relay_clock_ns(r), out,
				     out_len);
	rte_pktmbuf_free(m);
	for (unsigned i = 0; i < n; i++)
		send_new(lc, ctr, pkt->iface, fwd, out[i], out_len[i], RELAY_CTR_xcode_out);
}

static void drop(struct relay_counters *ctr, struct rte_mbuf *m, enum relay_counter_id why)
{
	relay_ctr_inc(ctr, why);
	rte_pktmbuf_free(m);
}

/* Ethernet + IPv4 without options + UDP, all in the first segment, checksum present. */
static bool in_place_ok(const struct rte_mbuf *m, const struct net_udp_pkt *pkt)
{
	return pkt->l3_off == sizeof(struct rte_ether_hdr) &&
	       pkt->l4_off == pkt->l3_off + sizeof(struct rte_ipv4_hdr) &&
	       rte_pktmbuf_mtod_offset(m, const struct rte_udp_hdr *, pkt->l4_off)->dgram_cksum != 0;
}

static void forward_in_place(struct net_lcore *lc, struct rte_mbuf *m,
			     const struct net_udp_pkt *pkt, const struct relay_fwd *fwd,
			     const struct csum_words *before)
{
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, pkt->l3_off);
	struct rte_udp_hdr *udp = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, pkt->l4_off);
	const uint8_t *payload = (const uint8_t *)(udp + 1);
	uint16_t ip_len = (uint16_t)(sizeof(*ip) + sizeof(*udp) + pkt->payload_len);
	/* Ethernet padding of short frames must not go out as payload. */
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - pkt->l3_off - ip_len));
	ip->src_addr = fwd->src_ip;
	ip->dst_addr = fwd->dst_ip;
	ip->total_length = rte_cpu_to_be_16(ip_len);
	ip->fragment_offset = 0;
	ip->time_to_live = 64;
	ip->type_of_service = 0xb8;	/* EF: media (RFC 4594) */
	ip->hdr_checksum = 0;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	udp->src_port = rte_cpu_to_be_16(fwd->src_port);
	udp->dst_port = rte_cpu_to_be_16(fwd->dst_port);
	struct csum_words after;
	csum_words(&after, ip, udp, payload, pkt->payload_len);
	udp->dgram_cksum = csum_update(udp->dgram_cksum, before, &after);
	net_output_ipv4(lc, pkt->iface, m);
}

void relay_udp_handler(struct net_lcore *lc, struct rte_mbuf *m, const struct net_udp_pkt *pkt,
		       void *arg)
{
	struct relay *r = arg;
	struct relay_counters *ctr = relay_lcore_counters(r);
	uint16_t off = (uint16_t)(pkt->l4_off + sizeof(struct rte_udp_hdr));
	/* RTP is never fragmented by a sane sender; a reassembled chain is not worth a copy. */
	if (rte_pktmbuf_data_len(m) < off + pkt->payload_len)
		return drop(ctr, m, RELAY_CTR_drop_chained);
	uint8_t *payload = rte_pktmbuf_mtod_offset(m, uint8_t *, off);
	bool in_place = in_place_ok(m, pkt);
	struct csum_words before;
	if (in_place)
		csum_words(&before, rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, pkt->l3_off),
			   rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, pkt->l4_off), payload,
			   pkt->payload_len);
	struct relay_fwd fwd;
	/* Room for an SRTP tag: the rest of this (only) segment. */
	uint32_t room = rte_pktmbuf_tailroom(m) + rte_pktmbuf_data_len(m) - off;
	uint16_t cap = (uint16_t)RTE_MIN(room, (uint32_t)UINT16_MAX);
	int verdict = relay_input(r, ctr, pkt->dst_port, pkt->src_ip, pkt->src_port, payload,
				  pkt->payload_len, cap, relay_clock_ns(r), &fwd);
	if (verdict == 0) {
		rte_pktmbuf_free(m);
		return;
	}
	if (verdict == RELAY_TRANSCODE)
		return transcode(lc, r, ctr, m, pkt, &fwd, payload);
	if (in_place && !fwd.body_changed && fwd.len == pkt->payload_len)
		return forward_in_place(lc, m, pkt, &fwd, &before);
	/* General path: the payload is fwd.len bytes at off (SRTP may have grown or shrunk it). */
	rte_pktmbuf_adj(m, off);
	rte_pktmbuf_trim(m, (uint16_t)(rte_pktmbuf_pkt_len(m) - pkt->payload_len));
	if (fwd.len > pkt->payload_len &&
	    !rte_pktmbuf_append(m, (uint16_t)(fwd.len - pkt->payload_len)))
		return drop(ctr, m, RELAY_CTR_drop_tx);
	if (fwd.len < pkt->payload_len)
		rte_pktmbuf_trim(m, (uint16_t)(pkt->payload_len - fwd.len));
	if (net_udp_prepend(m, fwd.src_ip, fwd.dst_ip, fwd.src_port, fwd.dst_port, 0) < 0)
		return drop(ctr, m, RELAY_CTR_drop_tx);
	net_output_ipv4(lc, pkt->iface, m);
}

int relay_udp_register(struct relay *r, struct net_udp_demux *demux)
{
	struct net_udp_handler h = {
		.name = "rtp",
		.role_mask = NET_ROLE_MASK(NET_ROLE_PUBLIC),
		.port_lo = r->ports.base,
		.port_hi = (uint16_t)(r->ports.base + 2 * r->ports.n_pairs - 1),
		.fn = relay_udp_handler,
		.arg = r,
	};
	return net_udp_register(demux, &h);
}
