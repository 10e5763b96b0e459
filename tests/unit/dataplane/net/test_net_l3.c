/* IPv4 validation drops, fragment reassembly, UDP demux and UDP output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_cycles.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "net_counters.h"
#include "net_frag.h"
#include "net_rx.h"
#include "net_test_env.h"
#include "net_udp.h"

#define SIP_PORT 5060
#define DATAGRAM_PAYLOAD 3000

struct delivered {
	unsigned n;
	uint8_t bytes[4096];
	size_t len;
	struct net_udp_pkt pkt;
};

/* A handler that keeps a copy of the payload (walking chained segments) and frees the mbuf. */
static void record_handler(struct net_lcore *lc, struct rte_mbuf *m, const struct net_udp_pkt *pkt,
			   void *arg)
{
	(void)lc;
	struct delivered *d = arg;
	d->n++;
	d->pkt = *pkt;
	d->len = pkt->payload_len;
	const void *p = rte_pktmbuf_read(m, pkt->l4_off + 8, d->len, d->bytes);
	if (p != d->bytes)
		memcpy(d->bytes, p, d->len);
	rte_pktmbuf_free(m);
}

struct fixture {
	struct test_env *env;
	struct delivered got;
	uint8_t payload[DATAGRAM_PAYLOAD];
	uint8_t dgram[DATAGRAM_PAYLOAD + 8];
	size_t dgram_len;
};

static int setup(void **state)
{
	struct fixture *f = aligned_alloc(RTE_CACHE_LINE_SIZE,
					  RTE_ALIGN_CEIL(sizeof(*f), RTE_CACHE_LINE_SIZE));
	if (!f)
		return -1;
	memset(f, 0, sizeof(*f));
	if (!(f->env = test_env_new()))
		return -1;
	f->env->lc.frag = net_frag_create(4, 1000, SOCKET_ID_ANY);
	if (!f->env->lc.frag)
		return -1;
	struct net_udp_handler h = { .name = "sip", .role_mask = NET_ROLE_MASK(NET_ROLE_PUBLIC),
				     .port_lo = SIP_PORT, .port_hi = SIP_PORT,
				     .fn = record_handler, .arg = &f->got };
	if (net_udp_register(&f->env->demux, &h) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(f->payload); i++)
		f->payload[i] = (uint8_t)(i * 7 + 3);
	f->dgram_len = test_udp_datagram(f->dgram, sizeof(f->dgram), test_ip(TEST_PEER_IP),
					 test_ip(TEST_OUR_IP), 40000, SIP_PORT, f->payload,
					 sizeof(f->payload));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	net_frag_free(f->env->lc.frag);
	test_env_free(f->env);
	free(f);
	return 0;
}

static void rx(struct fixture *f, struct rte_mbuf *m)
{
	assert_non_null(m);
	net_rx_burst(&f->env->lc, 0, &m, 1, rte_rdtsc());
}

static uint64_t ctr(struct fixture *f, enum net_counter_id id)
{
	return net_ctr_read(&f->env->lc.ctr, id);
}

static struct rte_mbuf *udp_frame(struct fixture *f, const void *payload, size_t len)
{
	uint8_t d[1500];
	size_t n = test_udp_datagram(d, sizeof(d), test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), 40000,
				     SIP_PORT, payload, len);
	return test_ipv4_frame(f->env, test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), IPPROTO_UDP, 9,
			       0, d, n);
}

/* Fragment [off, off+len) of the datagram; off a multiple of 8. */
static struct rte_mbuf *fragment(struct fixture *f, uint16_t id, size_t off, size_t len, bool more)
{
	uint16_t field = (uint16_t)(off / 8) | (more ? RTE_IPV4_HDR_MF_FLAG : 0);
	return test_ipv4_frame(f->env, test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), IPPROTO_UDP, id,
			       field, f->dgram + off, len);
}

static void test_udp_delivered_to_registered_handler(void **state)
{
	struct fixture *f = *state;
	rx(f, udp_frame(f, "OPTIONS", 7));
	assert_int_equal(f->got.n, 1);
	assert_int_equal(f->got.len, 7);
	assert_memory_equal(f->got.bytes, "OPTIONS", 7);
	assert_int_equal(f->got.pkt.src_port, 40000);
	assert_int_equal(f->got.pkt.dst_port, SIP_PORT);
	assert_int_equal(f->got.pkt.src_ip, test_ip(TEST_PEER_IP));
	assert_int_equal(ctr(f, NET_CTR_rx_udp_delivered), 1);
}

static void test_udp_without_handler_counted(void **state)
{
	struct fixture *f = *state;
	uint8_t d[64];
	size_t n = test_udp_datagram(d, sizeof(d), test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), 1,
				     5061, "x", 1);
	rx(f, test_ipv4_frame(f->env, test_ip(TEST_PEER_IP), test_ip(TEST_OUR_IP), IPPROTO_UDP, 1, 0,
			      d, n));
	assert_int_equal(f->got.n, 0);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_no_udp_handler), 1);
}

static void test_udp_bad_checksum_and_length_dropped(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = udp_frame(f, "REGISTER", 8);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 8) ^= 0x20;
	rx(f, m);
	m = udp_frame(f, "REGISTER", 8);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 5) = 9;	/* UDP length 9 != 16 */
	rx(f, m);
	assert_int_equal(f->got.n, 0);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_bad_udp_csum), 1);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_bad_udp_len), 1);
}

/* A port with L4 checksum offload says GOOD or BAD and is believed; without a verdict (UNKNOWN,
 * or NONE: the field itself not valid) the checksum is verified in software. */
static void test_udp_nic_checksum_flags(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = udp_frame(f, "INVITE", 6);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 8) ^= 0x20;	/* corrupt, NIC says good */
	m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	rx(f, m);
	assert_int_equal(f->got.n, 1);

	m = udp_frame(f, "INVITE", 6);	/* intact, NIC says bad */
	m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_BAD;
	rx(f, m);
	assert_int_equal(f->got.n, 1);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_bad_udp_csum), 1);

	m = udp_frame(f, "INVITE", 6);	/* corrupt, no verdict: caught in software */
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 20 + 8) ^= 0x20;
	m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
	rx(f, m);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_bad_udp_csum), 2);

	m = udp_frame(f, "INVITE", 6);	/* intact, no verdict */
	m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
	rx(f, m);
	assert_int_equal(f->got.n, 2);
}

static void test_ipv4_nic_checksum_flags(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = udp_frame(f, "ACK", 3);
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 10) ^= 0x01;	/* corrupt, NIC says good */
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_GOOD;
	rx(f, m);
	assert_int_equal(f->got.n, 1);
	m = udp_frame(f, "ACK", 3);	/* intact, NIC says bad */
	m->ol_flags |= RTE_MBUF_F_RX_IP_CKSUM_BAD;
	rx(f, m);
	m = udp_frame(f, "ACK", 3);	/* corrupt, no verdict */
	*rte_pktmbuf_mtod_offset(m, uint8_t *, 14 + 10) ^= 0x01;
	rx(f, m);
	assert_int_equal(f->got.n, 1);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_bad_ipv4_csum), 2);
}

static void test_udp_zero_checksum_accepted(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = udp_frame(f, "BYE", 3);
	*rte_pktmbuf_mtod_offset(m, uint16_t *, 14 + 20 + 6) = 0;
	rx(f, m);
	assert_int_equal(f->got.n, 1);
}

static void test_demux_registration_rules(void **state)
{
	struct fixture *f = *state;
	struct net_udp_handler rtp = { .name = "rtp", .role_mask = NET_ROLE_MASK_ANY,
				       .port_lo = 10000, .port_hi = 20000, .fn = record_handler };
	assert_int_equal(net_udp_register(&f->env->demux, &rtp), 0);
	struct net_udp_handler clash = rtp;
	clash.port_lo = clash.port_hi = 15000;
	assert_int_equal(net_udp_register(&f->env->demux, &clash), -EEXIST);
	struct net_udp_handler internal_sip = { .name = "sip-int",
						.role_mask = NET_ROLE_MASK(NET_ROLE_INTERNAL),
						.port_lo = SIP_PORT, .port_hi = SIP_PORT,
						.fn = record_handler };
	assert_int_equal(net_udp_register(&f->env->demux, &internal_sip), 0);
	struct net_udp_handler empty = rtp;
	empty.port_lo = 30000, empty.port_hi = 29999;
	assert_int_equal(net_udp_register(&f->env->demux, &empty), -EINVAL);

	assert_string_equal(net_udp_lookup(&f->env->demux, NET_ROLE_PUBLIC, 12345)->name, "rtp");
	assert_string_equal(net_udp_lookup(&f->env->demux, NET_ROLE_INTERNAL, SIP_PORT)->name,
			    "sip-int");
	assert_string_equal(net_udp_lookup(&f->env->demux, NET_ROLE_PUBLIC, SIP_PORT)->name, "sip");
	assert_null(net_udp_lookup(&f->env->demux, NET_ROLE_PUBLIC, 20001));
}

static void test_bad_ipv4_dropped_with_right_counter(void **state)
{
	struct fixture *f = *state;
	static const struct {
		size_t off;
		uint8_t value;
		enum net_counter_id why;
	} cases[] = {
		{ 14 + 10, 0x00, NET_CTR_rx_drop_bad_ipv4_csum },	/* checksum byte */
		{ 14 + 0, 0x65, NET_CTR_rx_drop_bad_ipv4_version },	/* IPv6 version nibble */
		{ 14 + 0, 0x46, NET_CTR_rx_drop_ipv4_options },
		{ 14 + 0, 0x44, NET_CTR_rx_drop_bad_ipv4_len },		/* IHL 4 */
		{ 14 + 2, 0x10, NET_CTR_rx_drop_bad_ipv4_len },		/* total length > frame */
		{ 14 + 8, 0x00, NET_CTR_rx_drop_ttl },
		{ 14 + 12, 127, NET_CTR_rx_drop_bad_ipv4_src },		/* loopback source */
		{ 14 + 19, 77, NET_CTR_rx_drop_not_for_us },		/* 192.0.2.77 */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rte_mbuf *m = udp_frame(f, "INVITE", 6);
		uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
		p[cases[i].off] = cases[i].value;
		if (cases[i].why != NET_CTR_rx_drop_bad_ipv4_csum) {
			/* Keep the checksum right so that only the intended fault is present. */
			struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + 14);
			ip->hdr_checksum = 0;
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		}
		uint64_t before = ctr(f, cases[i].why);
		rx(f, m);
		assert_int_equal(ctr(f, cases[i].why), before + 1);
	}
	assert_int_equal(f->got.n, 0);
	assert_int_equal(f->env->n_tx, 0);
}

static void check_whole_datagram(struct fixture *f)
{
	assert_int_equal(f->got.n, 1);
	assert_int_equal(f->got.len, sizeof(f->payload));
	assert_memory_equal(f->got.bytes, f->payload, sizeof(f->payload));
	assert_int_equal(ctr(f, NET_CTR_rx_frag_reassembled), 1);
}

static void test_reassembly_in_order(void **state)
{
	struct fixture *f = *state;
	/* 3008 bytes of UDP in 3 fragments: 1480 + 1480 + 48. */
	rx(f, fragment(f, 100, 0, 1480, true));
	rx(f, fragment(f, 100, 1480, 1480, true));
	assert_int_equal(f->got.n, 0);
	rx(f, fragment(f, 100, 2960, f->dgram_len - 2960, false));
	check_whole_datagram(f);
}

static void test_reassembly_out_of_order(void **state)
{
	struct fixture *f = *state;
	rx(f, fragment(f, 101, 2960, f->dgram_len - 2960, false));
	rx(f, fragment(f, 101, 0, 1480, true));
	assert_int_equal(f->got.n, 0);
	rx(f, fragment(f, 101, 1480, 1480, true));
	check_whole_datagram(f);
}

static void test_overlapping_fragments_dropped(void **state)
{
	struct fixture *f = *state;
	rx(f, fragment(f, 102, 0, 1480, true));
	rx(f, fragment(f, 102, 1000, 1480, true));	/* overlaps the first */
	rx(f, fragment(f, 102, 2480, f->dgram_len - 2480, false));
	assert_int_equal(f->got.n, 0);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_frag_invalid), 1);
	assert_int_equal(ctr(f, NET_CTR_rx_frag_reassembled), 0);
}

static void test_too_many_fragments_dropped(void **state)
{
	struct fixture *f = *state;
	/* 10 fragments of 296 bytes: more than rte_ip_frag keeps per datagram. */
	size_t off = 0;
	for (int i = 0; i < 10; i++, off += 296)
		rx(f, fragment(f, 103, off, 296, true));
	rx(f, fragment(f, 103, off, f->dgram_len - off, false));
	assert_int_equal(f->got.n, 0);
	assert_true(ctr(f, NET_CTR_rx_drop_frag_invalid) >= 1);
	assert_int_equal(ctr(f, NET_CTR_rx_frag_reassembled), 0);
}

static void test_fragment_table_full_counted(void **state)
{
	struct fixture *f = *state;
	/* The table holds 4 datagrams in reassembly; the 5th first fragment finds no room. */
	for (uint16_t id = 200; id < 205; id++)
		rx(f, fragment(f, id, 0, 1480, true));
	assert_int_equal(ctr(f, NET_CTR_rx_drop_frag_table_full), 1);
}

static void test_fragment_bad_length_dropped(void **state)
{
	struct fixture *f = *state;
	rx(f, fragment(f, 104, 0, 1001, true));	/* not a multiple of 8 */
	assert_int_equal(ctr(f, NET_CTR_rx_drop_frag_bad_len), 1);
}

static void test_incomplete_datagram_expires(void **state)
{
	struct fixture *f = *state;
	uint64_t t0 = rte_rdtsc();
	struct rte_mbuf *m = fragment(f, 105, 0, 1480, true);
	net_rx_burst(&f->env->lc, 0, &m, 1, t0);
	net_frag_expire(&f->env->lc, t0 + rte_get_tsc_hz() * 2);
	assert_int_equal(ctr(f, NET_CTR_rx_drop_frag_timeout), 1);
	/* The rest of the datagram now arrives alone and cannot complete it. */
	m = fragment(f, 105, 1480, 1480, false);
	net_rx_burst(&f->env->lc, 0, &m, 1, t0 + rte_get_tsc_hz() * 2);
	assert_int_equal(f->got.n, 0);
}

static void test_udp_prepend_builds_valid_datagram(void **state)
{
	struct fixture *f = *state;
	struct rte_mbuf *m = test_mbuf(f->env, "SIP/2.0 200 OK\r\n", 16);
	assert_int_equal(net_udp_prepend(m, test_ip(TEST_OUR_IP), test_ip(TEST_PEER_IP), SIP_PORT,
					 40000, 5),
			 0);
	assert_int_equal(rte_pktmbuf_pkt_len(m), 14 + 20 + 8 + 16);
	struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
	assert_int_equal(rte_raw_cksum(ip, 20), 0xffff);
	assert_int_equal(rte_be_to_cpu_16(ip->total_length), 44);
	assert_int_equal(rte_ipv4_udptcp_cksum_mbuf_verify(m, ip, 34), 0);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	assert_int_equal(rte_be_to_cpu_16(udp->dst_port), 40000);
	assert_int_equal(rte_be_to_cpu_16(udp->dgram_len), 24);
	rte_pktmbuf_free(m);
}

int main(void)
{
	if (test_eal_init("test_net_l3") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_udp_delivered_to_registered_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_nic_checksum_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipv4_nic_checksum_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_without_handler_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_bad_checksum_and_length_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_zero_checksum_accepted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_demux_registration_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_ipv4_dropped_with_right_counter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reassembly_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reassembly_out_of_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_fragments_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_fragments_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragment_table_full_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fragment_bad_length_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_incomplete_datagram_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_udp_prepend_builds_valid_datagram, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_eal_fini();
	return rc;
}
