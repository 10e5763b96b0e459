/* ARP replies byte for byte, ARP learning hand-off, Ethernet classification, ICMP echo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_arp.h>
#include <rte_icmp.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "net_arp.h"
#include "net_counters.h"
#include "net_rx.h"
#include "net_test_env.h"

static const uint8_t arp_request[60] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff,	/* broadcast */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* peer */
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,	/* Ethernet/IPv4 request */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 192, 0, 2, 10,	/* sender */
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 192, 0, 2, 1,	/* target: us */
};

static const uint8_t arp_reply_expected[60] = {
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02,	/* back to the peer */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01,	/* from us */
	0x08, 0x06,
	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02,	/* reply */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 192, 0, 2, 1,	/* sender: us */
	0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 192, 0, 2, 10,	/* target: the peer */
};

static int setup(void **state)
{
	*state = test_env_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	test_env_free(*state);
	return 0;
}

static void rx(struct test_env *env, struct rte_mbuf *m)
{
	assert_non_null(m);
	net_rx_burst(&env->lc, 0, &m, 1, 0);
}

static void test_arp_request_answered_with_exact_bytes(void **state)
{
	struct test_env *env = *state;
	rx(env, test_mbuf(env, arp_request, sizeof(arp_request)));

	assert_int_equal(env->n_tx, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(env->tx[0]), sizeof(arp_reply_expected));
	assert_memory_equal(rte_pktmbuf_mtod(env->tx[0], void *), arp_reply_expected,
			    sizeof(arp_reply_expected));
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_arp_request), 1);
	/* The main lcore is told who asked, so it can learn the peer. */
	assert_int_equal(env->n_main, 1);
	assert_int_equal(env->main[0].kind, NET_MAIN_LEARN);
	assert_int_equal(env->main[0].ip, test_ip(TEST_PEER_IP));
	assert_memory_equal(&env->main[0].mac, &test_peer_mac, sizeof(test_peer_mac));
	assert_null(env->main[0].m);
}

static void test_arp_for_another_host_dropped(void **state)
{
	struct test_env *env = *state;
	uint8_t req[60];
	memcpy(req, arp_request, sizeof(req));
	req[41] = 99;	/* target 192.0.2.99 */
	rx(env, test_mbuf(env, req, sizeof(req)));
	assert_int_equal(env->n_tx, 0);
	assert_int_equal(env->n_main, 0);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_arp_not_for_us), 1);
}

static void test_arp_malformed_dropped(void **state)
{
	struct test_env *env = *state;
	uint8_t req[60];
	memcpy(req, arp_request, sizeof(req));
	req[18] = 8;	/* hardware length 8 */
	rx(env, test_mbuf(env, req, sizeof(req)));
	rx(env, test_mbuf(env, arp_request, 30));	/* truncated */
	assert_int_equal(env->n_tx, 0);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_bad_arp), 2);
}

static void test_arp_reply_learnt_not_answered(void **state)
{
	struct test_env *env = *state;
	uint8_t rep[60];
	memcpy(rep, arp_request, sizeof(rep));
	memcpy(rep, env->ifc[0].mac.addr_bytes, 6);
	rep[21] = 2;	/* opcode reply */
	memcpy(rep + 32, env->ifc[0].mac.addr_bytes, 6);
	rx(env, test_mbuf(env, rep, sizeof(rep)));
	assert_int_equal(env->n_tx, 0);
	assert_int_equal(env->n_main, 1);
	assert_int_equal(env->main[0].kind, NET_MAIN_LEARN);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_arp_reply), 1);
}

static void test_arp_request_built(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *m = net_arp_build_request(env->pool, &env->ifc[0], test_ip("192.0.2.254"));
	assert_non_null(m);
	const uint8_t *p = rte_pktmbuf_mtod(m, const uint8_t *);
	static const uint8_t head[] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01,
					0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
					0x02, 0, 0, 0, 0, 0x01, 192, 0, 2, 1,
					0, 0, 0, 0, 0, 0, 192, 0, 2, 254 };
	assert_int_equal(rte_pktmbuf_pkt_len(m), 60);
	assert_memory_equal(p, head, sizeof(head));
	rte_pktmbuf_free(m);
}

static void test_frames_not_for_us_dropped(void **state)
{
	struct test_env *env = *state;
	uint8_t f[60] = { 0 };
	memcpy(f, "\x02\x00\x00\x00\x00\x77", 6);	/* another host's MAC */
	f[12] = 0x08;
	rx(env, test_mbuf(env, f, sizeof(f)));
	memcpy(f, "\x01\x00\x5e\x00\x00\x01", 6);	/* multicast */
	rx(env, test_mbuf(env, f, sizeof(f)));
	memcpy(f, env->ifc[0].mac.addr_bytes, 6);
	f[12] = 0x86, f[13] = 0xdd;	/* IPv6 */
	rx(env, test_mbuf(env, f, sizeof(f)));
	rx(env, test_mbuf(env, f, 10));	/* runt */
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_not_for_us), 1);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_multicast), 1);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_not_ipv4), 1);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_runt), 1);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_packets), 4);
	assert_int_equal(env->n_tx, 0);
}

static struct rte_mbuf *echo_request(struct test_env *env, size_t data_len)
{
	uint8_t icmp[1200];
	struct rte_icmp_hdr *h = (struct rte_icmp_hdr *)icmp;
	memset(icmp, 0, sizeof(icmp));
	h->icmp_type = RTE_IP_ICMP_ECHO_REQUEST;
	h->icmp_ident = rte_cpu_to_be_16(0x1234);
	h->icmp_seq_nb = rte_cpu_to_be_16(7);
	for (size_t i = 0; i < data_len; i++)
		icmp[sizeof(*h) + i] = (uint8_t)i;
	size_t len = sizeof(*h) + data_len;
	h->icmp_cksum = (uint16_t)~rte_raw_cksum(icmp, len);
	return test_ipv4_frame(env, test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), IPPROTO_ICMP, 1, 0,
			       icmp, len);
}

static void test_icmp_echo_answered_with_valid_checksums(void **state)
{
	struct test_env *env = *state;
	rx(env, echo_request(env, 56));
	assert_int_equal(env->n_tx, 1);
	struct rte_mbuf *m = env->tx[0];
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(eth + 1);
	const struct rte_icmp_hdr *icmp = (const struct rte_icmp_hdr *)(ip + 1);
	assert_memory_equal(&eth->dst_addr, &test_peer_mac, 6);
	assert_memory_equal(&eth->src_addr, &env->ifc[0].mac, 6);
	assert_int_equal(ip->src_addr, test_ip(TEST_OUR_IP));
	assert_int_equal(ip->dst_addr, test_ip(TEST_PEER_IP));
	assert_int_equal(rte_raw_cksum(ip, sizeof(*ip)), 0xffff);
	assert_int_equal(icmp->icmp_type, RTE_IP_ICMP_ECHO_REPLY);
	assert_int_equal(rte_raw_cksum(icmp, sizeof(*icmp) + 56), 0xffff);
	assert_int_equal(rte_be_to_cpu_16(icmp->icmp_seq_nb), 7);
	assert_int_equal(rte_pktmbuf_pkt_len(m), sizeof(*eth) + sizeof(*ip) + sizeof(*icmp) + 56);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_icmp_echo), 1);
}

static void test_icmp_padded_frame_trimmed(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *m = echo_request(env, 0);	/* 42 bytes: padded to 60 on the wire */
	assert_non_null(rte_pktmbuf_append(m, 18));
	memset(rte_pktmbuf_mtod_offset(m, char *, 42), 0xee, 18);
	rx(env, m);
	assert_int_equal(env->n_tx, 1);
	assert_int_equal(rte_pktmbuf_pkt_len(env->tx[0]), 42);
}

static void test_icmp_bad_checksum_dropped(void **state)
{
	struct test_env *env = *state;
	struct rte_mbuf *m = echo_request(env, 8);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 8) ^= 0xff;
	rx(env, m);
	assert_int_equal(env->n_tx, 0);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_rx_drop_bad_icmp), 1);
}

int main(void)
{
	if (test_eal_init("test_net_l2") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_arp_request_answered_with_exact_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_for_another_host_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_malformed_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_reply_learnt_not_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arp_request_built, setup, teardown),
		cmocka_unit_test_setup_teardown(test_frames_not_for_us_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_echo_answered_with_valid_checksums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_padded_frame_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_bad_checksum_dropped, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_eal_fini();
	return rc;
}
