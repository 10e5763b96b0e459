/* The relay on real mbufs through the data plane's receive path: the forwarded datagram has
 * valid IPv4 and UDP checksums (incremental update in place, and the general path for
 * datagrams without a UDP checksum), the right addresses and ports, and the payload intact. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_neigh.h"
#include "net_rx.h"
#include "net_test_env.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_session.h"
#include "relay_test_util.h"
#include "relay_udp.h"

struct fx {
	struct test_env *env;
	struct relay *r;
	uint16_t port_a;
};

static void no_request(void *arg, rte_be32_t ip)
{
	(void)arg, (void)ip;
}

static void no_packet(void *arg, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	(void)arg, (void)dst;
	rte_pktmbuf_free(m);
}

static int setup(void **state)
{
	static struct fx f;
	char err[256];
	f.env = test_env_new();
	assert_non_null(f.env);
	struct relay_config cfg = t_config(30000, 30099, 4);
	f.r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f.r);
	assert_int_equal(relay_udp_register(f.r, &f.env->demux), 0);
	struct net_neigh_ops ops = { .send_request = no_request, .send_packet = no_packet };
	struct net_counters ctr;
	memset(&ctr, 0, sizeof(ctr));
	struct rte_ether_addr mac_b = { { 0x02, 0, 0, 0, 0, 0x0b } };
	assert_int_equal(net_neigh_learn(f.env->neigh, &ops, &ctr, t_ip("192.0.2.11"), &mac_b, 0), 0);

	static struct t_call c;
	t_call_init(&c, "udp");
	t_leg(&c.offer.from_leg, "a", TEST_PEER_IP, 4000);
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(t_call_connect(f.r, &c, 0), 0);
	f.port_a = c.port_a;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	test_env_free(f->env);
	return 0;
}

/* Sends one RTP datagram from A to the relay; returns what went out (or NULL). */
static struct rte_mbuf *relay_one(struct fx *f, const uint8_t *rtp, size_t len, bool zero_csum)
{
	uint8_t udp[1500];
	size_t n = test_udp_datagram(udp, sizeof(udp), t_ip(TEST_PEER_IP), t_ip(TEST_OUR_IP), 4000,
				     f->port_a, rtp, len);
	if (zero_csum)
		((struct rte_udp_hdr *)udp)->dgram_cksum = 0;
	struct rte_mbuf *m = test_ipv4_frame(f->env, t_ip(TEST_PEER_IP), t_ip(TEST_OUR_IP),
					     IPPROTO_UDP, 7, 0, udp, n);
	assert_non_null(m);
	net_rx_burst(&f->env->lc, 0, &m, 1, 0);
	return f->env->n_tx ? f->env->tx[f->env->n_tx - 1] : NULL;
}

static void check_out(struct fx *f, struct rte_mbuf *m, const uint8_t *rtp, size_t len)
{
	assert_non_null(m);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + len);
	uint16_t stored = ip->hdr_checksum;
	ip->hdr_checksum = 0;
	assert_int_equal(rte_ipv4_cksum(ip), stored);
	ip->hdr_checksum = stored;
	assert_int_not_equal(udp->dgram_cksum, 0);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
	assert_int_equal(ip->src_addr, t_ip(TEST_OUR_IP));
	assert_int_equal(ip->dst_addr, t_ip("192.0.2.11"));
	assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 5000);
	assert_int_equal(rte_be_to_cpu_16(udp->src_port), f->port_a + 2);
	assert_memory_equal(udp + 1, rtp, len);
}

static void forwarded_with_valid_checksums(void **state)
{
	struct fx *f = *state;
	uint8_t rtp[200];
	for (uint16_t i = 0; i < 5; i++) {
		uint16_t len = t_rtp(rtp, 0, (uint16_t)(100 + i), 160u * i, 0xAAAA0001,
				     (uint16_t)(160 + i));	/* odd and even lengths */
		check_out(f, relay_one(f, rtp, len, false), rtp, len);
	}
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_rtp_fwd), 5);
}

static void rewritten_header_keeps_checksum_valid(void **state)
{
	struct fx *f = *state;
	uint8_t rtp[200];
	uint16_t len = t_rtp(rtp, 0, 100, 0, 0xAAAA0001, 160);
	check_out(f, relay_one(f, rtp, len, false), rtp, len);
	/* A new SSRC: the relay rewrites SSRC, seq and ts, so the checksum must follow. */
	len = t_rtp(rtp, 0, 9000, 777777, 0xCCCC0001, 160);
	struct rte_mbuf *m = relay_one(f, rtp, len, false);
	assert_non_null(m);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	const uint8_t *out = (const uint8_t *)(udp + 1);
	assert_int_equal(t_be32(out + 8), 0xAAAA0001);
	assert_int_equal(t_seq(out), 101);
	assert_int_equal(rte_ipv4_udptcp_cksum_verify(ip, udp), 0);
	assert_memory_equal(out + 12, rtp + 12, 160);
}

static void datagram_without_checksum_takes_the_general_path(void **state)
{
	struct fx *f = *state;
	uint8_t rtp[200];
	uint16_t len = t_rtp(rtp, 0, 100, 0, 0xAAAA0001, 160);
	check_out(f, relay_one(f, rtp, len, true), rtp, len);
}

static void garbage_is_dropped_and_counted(void **state)
{
	struct fx *f = *state;
	uint8_t junk[8] = { 0x80, 0, 1, 2, 3, 4, 5, 6 };
	assert_null(relay_one(f, junk, sizeof(junk), false));
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_short), 1);
}

int main(void)
{
	if (test_eal_init("test_relay_udp") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(forwarded_with_valid_checksums, setup, teardown),
		cmocka_unit_test_setup_teardown(rewritten_header_keeps_checksum_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(datagram_without_checksum_takes_the_general_path, setup,
						teardown),
		cmocka_unit_test_setup_teardown(garbage_is_dropped_and_counted, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_eal_fini();
	return rc;
}
