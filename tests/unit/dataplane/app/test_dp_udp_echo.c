/* The UDP echo service turns a datagram around through the real output path. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dp_udp_echo.h"
#include "net_counters.h"
#include "net_neigh.h"
#include "net_rx.h"
#include "net_test_env.h"

#define ECHO_PORT 7

static int setup(void **state)
{
	struct test_env *env = test_env_new();
	if (!env || dp_udp_echo_register(&env->demux, ECHO_PORT) < 0)
		return -1;
	*state = env;
	return 0;
}

static int teardown(void **state)
{
	test_env_free(*state);
	return 0;
}

static void send_to_echo(struct test_env *env, const char *text, uint16_t mtu_room)
{
	uint8_t d[2048];
	size_t len = strlen(text);
	size_t n = test_udp_datagram(d, sizeof(d), test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP),
				     40001, ECHO_PORT, text, len);
	env->ifc[0].mtu = mtu_room;
	struct rte_mbuf *m = test_ipv4_frame(env, test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP),
					     IPPROTO_UDP, 3, 0, d, n);
	assert_non_null(m);
	net_rx_burst(&env->lc, 0, &m, 1, 0);
}

static void check_reply(struct rte_mbuf *m, const char *text)
{
	size_t len = strlen(text);
	const struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *, 14);
	const struct rte_udp_hdr *udp = (const struct rte_udp_hdr *)(ip + 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + len);
	assert_int_equal(ip->src_addr, test_ip(TEST_OUR_IP));
	assert_int_equal(ip->dst_addr, test_ip(TEST_PEER_IP));
	assert_int_equal(rte_raw_cksum(ip, 20), 0xffff);
	assert_int_equal(rte_be_to_cpu_16(udp->src_port), ECHO_PORT);
	assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 40001);
	assert_int_equal(rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, 34), 0);
	assert_memory_equal(udp + 1, text, len);
}

static void test_echo_waits_for_arp_then_is_sent_directly(void **state)
{
	struct test_env *env = *state;
	/* Peer unknown: the reply goes to the main lcore for resolution. */
	send_to_echo(env, "ping one", 1500);
	assert_int_equal(env->n_tx, 0);
	assert_int_equal(env->n_main, 1);
	assert_int_equal(env->main[0].kind, NET_MAIN_RESOLVE);
	assert_int_equal(env->main[0].ip, test_ip(TEST_PEER_IP));
	check_reply(env->main[0].m, "ping one");

	/* Peer known: sent from this lcore with its Ethernet header. */
	struct net_neigh_ops ops = { 0 };
	struct net_counters ctr = { { 0 } };
	assert_int_equal(net_neigh_learn(env->neigh, &ops, &ctr, test_ip(TEST_PEER_IP),
					 &test_peer_mac, 0),
			 0);
	send_to_echo(env, "ping two", 1500);
	assert_int_equal(env->n_tx, 1);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(env->tx[0], const struct rte_ether_hdr *);
	assert_memory_equal(&eth->dst_addr, &test_peer_mac, 6);
	check_reply(env->tx[0], "ping two");
}

static void test_echo_larger_than_mtu_dropped(void **state)
{
	struct test_env *env = *state;
	send_to_echo(env, "0123456789012345678901234567890123456789", 60);
	assert_int_equal(env->n_tx + env->n_main, 0);
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_tx_drop_too_big), 1);
}

int main(void)
{
	if (test_eal_init("test_dp_udp_echo") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_echo_waits_for_arp_then_is_sent_directly, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_echo_larger_than_mtu_dropped, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_eal_fini();
	return rc;
}
