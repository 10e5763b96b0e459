/* DPDK's rte_raw_cksum adds one 16-bit word per step. Ones' complement addition is associative
 * and byte-order independent (RFC 1071 §2), so summing 32-bit words into a 64-bit accumulator
 * and folding once at the end gives the same value in a quarter of the steps: this is the
 * UDP checksum every relayed packet is verified with when the NIC does not. */
#include "net_csum.h"

#include <string.h>

#include <rte_ip.h>

static uint16_t fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffu) + (s >> 16);
	s = (s & 0xffffu) + (s >> 16);
	return (uint16_t)((s & 0xffffu) + (s >> 16));
}

uint16_t net_csum_raw(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = 0;
	uint32_t w;
	/* Each addend is below 2^32: the accumulator cannot overflow for any IPv4 length. */
	for (; len >= 8; p += 8, len -= 8) {
		uint32_t w2;
		memcpy(&w, p, 4);
		memcpy(&w2, p + 4, 4);
		s += (uint64_t)w + w2;
	}
	if (len >= 4) {
		memcpy(&w, p, 4);
		s += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;
		memcpy(&h, p, 2);
		s += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		uint16_t last = 0;	/* the odd byte in the word's first byte, as DPDK does */
		memcpy(&last, p, 1);
		s += last;
	}
	return fold64(s);
}

bool net_csum_ipv4_l4_ok(const struct rte_ipv4_hdr *ip, const void *l4, uint16_t l4_len)
{
	uint32_t sum = (uint32_t)net_csum_raw(l4, l4_len) + rte_ipv4_phdr_cksum(ip, 0);
	sum = (sum & 0xffffu) + (sum >> 16);
	return sum == 0xffffu;
}
