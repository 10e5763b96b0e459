/* The receive path's checksum against DPDK's reference on random data: every length up to a
 * jumbo frame, every alignment, and UDP datagrams with and without a flipped bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_udp.h>

#include "net_csum.h"

/* xorshift64: reproducible data without a seed from the environment. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static void fill(uint8_t *p, size_t n, uint64_t *s)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd(s);
}

static void test_raw_sum_matches_dpdk(void **state)
{
	(void)state;
	static uint8_t buf[9000 + 8];
	uint64_t s = 0x9e3779b97f4a7c15ull;
	for (size_t len = 0; len <= 9000; len += (len < 300 ? 1 : 37)) {
		for (unsigned align = 0; align < 8; align++) {
			fill(buf + align, len, &s);
			assert_int_equal(net_csum_raw(buf + align, len), rte_raw_cksum(buf + align, len));
		}
	}
	/* The extremes: all ones (sums that carry on every word) and all zeros. */
	memset(buf, 0xff, 9000);
	assert_int_equal(net_csum_raw(buf, 9000), rte_raw_cksum(buf, 9000));
	assert_int_equal(net_csum_raw(buf, 1), rte_raw_cksum(buf, 1));
	memset(buf, 0, 9000);
	assert_int_equal(net_csum_raw(buf, 9000), rte_raw_cksum(buf, 9000));
}

static void test_udp_verdict_matches_dpdk(void **state)
{
	(void)state;
	static uint8_t pkt[20 + 8 + 1472];
	uint64_t s = 42;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)pkt;
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	for (unsigned i = 0; i < 2000; i++) {
		uint16_t payload = (uint16_t)(rnd(&s) % 1473);
		uint16_t l4_len = (uint16_t)(sizeof(*udp) + payload);
		fill(pkt, sizeof(pkt), &s);
		ip->version_ihl = 0x45;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(20 + l4_len));
		ip->next_proto_id = IPPROTO_UDP;
		udp->dgram_len = rte_cpu_to_be_16(l4_len);
		udp->dgram_cksum = 0;
		udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
		assert_true(net_csum_ipv4_l4_ok(ip, udp, l4_len));
		assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
		/* One flipped bit anywhere in the datagram or the pseudo-header addresses. */
		unsigned bit = (unsigned)(rnd(&s) % ((l4_len + 8u) * 8u));
		uint8_t *where = bit < l4_len * 8u ? (uint8_t *)udp + bit / 8
						   : (uint8_t *)&ip->src_addr + (bit / 8 - l4_len);
		*where ^= (uint8_t)(1u << (bit % 8));
		assert_false(net_csum_ipv4_l4_ok(ip, udp, l4_len));
		assert_int_not_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_raw_sum_matches_dpdk),
		cmocka_unit_test(test_udp_verdict_matches_dpdk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
