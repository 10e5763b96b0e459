/* Frames of rtp-streams (see rtp_frame.h). The words patched per packet sit at even offsets of
 * the UDP datagram, so the checksum is the template's partial sum plus those words, folded. */
#include "rtp_frame.h"

#include <arpa/inet.h>
#include <string.h>

#define ETH_LEN 14
#define IP_LEN 20
#define UDP_OFF (ETH_LEN + IP_LEN)
#define RTP_OFF (UDP_OFF + 8)
#define PAY_OFF (RTP_OFF + 12)
/* Patched: RTP sequence (2 bytes at RTP_OFF + 2), timestamp (4 at + 4), packet number
 * (4 at PAY_OFF + 4), send time (8 at PAY_OFF + 8). */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

void rtp_frame_build(struct rtp_frame_tmpl *t, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		     const struct sockaddr_in *src, const struct sockaddr_in *dst, uint32_t ssrc,
		     uint32_t stream)
{
	uint8_t *b = t->b;
	memset(b, 0, sizeof(t->b));
	memcpy(b, dst_mac, 6);
	memcpy(b + 6, src_mac, 6);
	put16(b + 12, 0x0800);
	uint8_t *ip = b + ETH_LEN;
	ip[0] = 0x45;
	put16(ip + 2, IP_LEN + 8 + RTP_LEN);
	put16(ip + 6, 0x4000);	/* DF, so the ID may stay 0 */
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, &src->sin_addr, 4);
	memcpy(ip + 16, &dst->sin_addr, 4);
	put16(ip + 10, (uint16_t)~fold(sum16(ip, IP_LEN, 0)));
	uint8_t *udp = b + UDP_OFF;
	memcpy(udp, &src->sin_port, 2);
	memcpy(udp + 2, &dst->sin_port, 2);
	put16(udp + 4, 8 + RTP_LEN);
	uint8_t *rtp = b + RTP_OFF;
	rtp[0] = 0x80;
	rtp[1] = 0;	/* PCMU */
	put32(rtp + 8, ssrc);
	memset(b + PAY_OFF, 0xff, RTP_PAYLOAD_LEN);	/* mu-law silence */
	put32(b + PAY_OFF, stream);
	memset(b + PAY_OFF + 4, 0, 12);			/* packet number, send time */
	/* Pseudo-header (addresses, protocol, UDP length) and the datagram as it stands. */
	uint32_t sum = sum16(ip + 12, 8, 0) + IPPROTO_UDP + 8 + RTP_LEN;
	t->sum = sum16(udp, 8 + RTP_LEN, sum);
}

void rtp_frame_emit(const struct rtp_frame_tmpl *t, uint8_t *out, uint32_t n, uint64_t sent_ns)
{
	memcpy(out, t->b, RTP_FRAME_LEN);
	uint16_t seq = (uint16_t)n;
	uint32_t ts = n * 160u;
	put16(out + RTP_OFF + 2, seq);
	put32(out + RTP_OFF + 4, ts);
	put32(out + PAY_OFF + 4, n);
	put32(out + PAY_OFF + 8, (uint32_t)(sent_ns >> 32));
	put32(out + PAY_OFF + 12, (uint32_t)sent_ns);
	uint32_t sum = t->sum + seq + (ts >> 16) + (ts & 0xffff) + (n >> 16) + (n & 0xffff) +
		       (uint32_t)(sent_ns >> 48) + (uint32_t)(sent_ns >> 32 & 0xffff) +
		       (uint32_t)(sent_ns >> 16 & 0xffff) + (uint32_t)(sent_ns & 0xffff);
	uint16_t c = (uint16_t)~fold(sum);
	put16(out + UDP_OFF + 6, c ? c : 0xffff);	/* 0 would mean "no checksum" */
}

bool rtp_frame_parse(const uint8_t *f, uint32_t len, struct rtp_frame_rx *out)
{
	if (len < ETH_LEN + IP_LEN + 8 + 12 + 16 || f[12] != 0x08 || f[13] != 0x00)
		return false;
	const uint8_t *ip = f + ETH_LEN;
	unsigned ihl = (ip[0] & 0x0f) * 4u;
	if ((ip[0] >> 4) != 4 || ihl < IP_LEN || ip[9] != IPPROTO_UDP ||
	    ((ip[6] & 0x3f) | ip[7]) != 0)	/* MF or an offset: a fragment */
		return false;
	const uint8_t *udp = ip + ihl;
	if ((size_t)(udp - f) + 8 + 12 + 16 > len)
		return false;
	const uint8_t *pay = udp + 8 + 12;	/* the relays under test add no CSRC/extension */
	memcpy(&out->dst_ip, ip + 16, 4);
	out->dst_port = (uint16_t)(udp[2] << 8 | udp[3]);
	out->stream = get32(pay);
	out->n = get32(pay + 4);
	out->sent_ns = (uint64_t)get32(pay + 8) << 32 | get32(pay + 12);
	return true;
}
