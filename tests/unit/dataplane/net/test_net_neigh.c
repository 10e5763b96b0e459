/* Neighbour table: resolution with a bounded queue, learning, retries, expiry, eviction, and the
 * worker side of output (lock-free hit, miss handed to the main lcore). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <rte_ip.h>
#include <rte_mbuf.h>

#include "net_counters.h"
#include "net_neigh.h"
#include "net_output.h"
#include "net_test_env.h"
#include "net_udp.h"

/* What the table asked its owner to do. */
struct owner {
	rte_be32_t requested[32];
	unsigned n_requests;
	struct rte_mbuf *sent[32];
	struct rte_ether_addr sent_to[32];
	unsigned n_sent;
};

static void send_request(void *arg, rte_be32_t ip)
{
	struct owner *o = arg;
	if (o->n_requests < 32)
		o->requested[o->n_requests] = ip;
	o->n_requests++;
}

static void send_packet(void *arg, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	struct owner *o = arg;
	assert_true(o->n_sent < 32);
	o->sent_to[o->n_sent] = *dst;
	o->sent[o->n_sent++] = m;
}

struct fixture {
	struct test_env *env;
	struct owner owner;
	struct net_neigh_ops ops;
	struct net_counters ctr;
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
	f->ops = (struct net_neigh_ops){ .arg = &f->owner, .send_request = send_request,
					 .send_packet = send_packet };
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	for (unsigned i = 0; i < f->owner.n_sent; i++)
		rte_pktmbuf_free(f->owner.sent[i]);
	test_env_free(f->env);
	free(f);
	return 0;
}

static struct rte_mbuf *pkt(struct fixture *f)
{
	struct rte_mbuf *m = test_mbuf(f->env, "0123456789abcdef0123456789abcdef0123", 36);
	assert_non_null(m);
	return m;
}

static const struct rte_ether_addr gw_mac = { { 0x02, 0, 0, 0, 0, 0xfe } };

static void test_resolution_queues_then_sends(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;
	rte_be32_t gw = test_ip("192.0.2.254");
	struct rte_ether_addr mac;

	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, gw, pkt(f), 0), 0);
	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, gw, pkt(f), 1), 0);
	assert_int_equal(f->owner.n_requests, 1);	/* one request per address, not per packet */
	assert_int_equal(f->owner.requested[0], gw);
	assert_int_equal(f->owner.n_sent, 0);
	assert_int_equal(net_neigh_lookup(t, gw, &mac), -ENOENT);	/* still incomplete */

	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, gw, &gw_mac, 5), 0);
	assert_int_equal(f->owner.n_sent, 2);
	assert_memory_equal(&f->owner.sent_to[0], &gw_mac, 6);
	assert_int_equal(net_neigh_lookup(t, gw, &mac), 0);
	assert_memory_equal(&mac, &gw_mac, 6);

	/* Known now: sent at once. */
	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, gw, pkt(f), 6), 0);
	assert_int_equal(f->owner.n_sent, 3);
	assert_int_equal(f->owner.n_requests, 1);
}

static void test_pending_queue_is_bounded(void **state)
{
	struct fixture *f = *state;
	rte_be32_t ip = test_ip("192.0.2.20");
	assert_int_equal(f->env->neigh->params.pending_max, NET_NEIGH_PENDING_DEFAULT);
	for (int i = 0; i < NET_NEIGH_PENDING_DEFAULT; i++)
		assert_int_equal(net_neigh_resolve(f->env->neigh, &f->ops, &f->ctr, ip, pkt(f), 0), 0);
	assert_int_equal(net_neigh_resolve(f->env->neigh, &f->ops, &f->ctr, ip, pkt(f), 0),
			 -ENOBUFS);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_arp_queue_full), 1);
	assert_int_equal(f->owner.n_requests, 1);
}

/* A call's first packets (50 per second) during a resolution that takes 340 ms all survive with
 * the default queue, in order, and the request left with the very first of them. */
static void test_slow_resolution_keeps_first_packets_in_order(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;
	net_neigh_flush(t);
	struct net_neigh_params p = { .reachable_ms = 300000, .probe_interval_ms = 1000,
				      .max_probes = 3 };	/* the data plane's own */
	net_neigh_init(t, &p);
	rte_be32_t ip = test_ip("192.0.2.21");
	struct rte_mbuf *queued[18];
	for (unsigned i = 0; i < 18; i++) {
		queued[i] = pkt(f);
		assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, ip, queued[i], i * 20), 0);
		assert_int_equal(f->owner.n_requests, 1);	/* sent on the first miss */
		if (i % 5 == 0)
			net_neigh_tick(t, &f->ops, &f->ctr, i * 20);
	}
	assert_int_equal(f->owner.requested[0], ip);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_arp_queue_full), 0);
	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, ip, &gw_mac, 340), 0);
	assert_int_equal(f->owner.n_sent, 18);
	for (unsigned i = 0; i < 18; i++)
		assert_ptr_equal(f->owner.sent[i], queued[i]);
}

static void test_pending_queue_length_is_configurable(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;
	net_neigh_flush(t);
	struct net_neigh_params p = { .reachable_ms = 1000, .probe_interval_ms = 100,
				      .max_probes = 3, .pending_max = 8 };
	net_neigh_init(t, &p);
	rte_be32_t ip = test_ip("192.0.2.22");
	for (int i = 0; i < 8; i++)
		assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, ip, pkt(f), 0), 0);
	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, ip, pkt(f), 0), -ENOBUFS);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_arp_queue_full), 1);

	/* Asking for more than the pool holds is clamped, never unbounded. */
	net_neigh_flush(t);
	p.pending_max = UINT16_MAX;
	net_neigh_init(t, &p);
	assert_int_equal(t->params.pending_max, NET_NEIGH_PENDING_SLOTS);
}

/* Every address may queue its share, but the table as a whole holds at most the pool: addresses
 * beyond it still get their ARP request, and their packets are counted drops. */
static void test_pending_pool_bounds_the_table(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;
	net_neigh_flush(t);
	struct net_neigh_params p = { .reachable_ms = 1000, .probe_interval_ms = 100,
				      .max_probes = 3, .pending_max = NET_NEIGH_PENDING_SLOTS };
	net_neigh_init(t, &p);
	/* A pool of NET_NEIGH_PENDING_SLOTS mbufs would not fit the test pool: queue the same
	 * mbuf's clones instead, by reference count. */
	struct rte_mbuf *m = pkt(f);
	rte_be32_t ip = test_ip("192.0.2.23");
	for (unsigned i = 0; i < NET_NEIGH_PENDING_SLOTS; i++) {
		rte_mbuf_refcnt_update(m, 1);
		assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, ip, m, 0), 0);
	}
	rte_be32_t other = test_ip("192.0.2.24");
	rte_mbuf_refcnt_update(m, 1);
	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, other, m, 0), -ENOBUFS);
	assert_int_equal(f->owner.n_requests, 2);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_arp_queue_full), 1);

	/* Giving up on the first address returns its slots: the other one can queue again. */
	for (uint64_t now = 100; now <= 300; now += 100)
		net_neigh_tick(t, &f->ops, &f->ctr, now);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_no_arp), NET_NEIGH_PENDING_SLOTS);
	rte_mbuf_refcnt_update(m, 1);
	assert_int_equal(net_neigh_resolve(t, &f->ops, &f->ctr, other, m, 400), 0);
	assert_int_equal(rte_mbuf_refcnt_read(m), 2);	/* ours and the queued one */
	rte_pktmbuf_free(m);
}

static void test_unanswered_resolution_retries_then_drops(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;	/* 100 ms between probes, 3 probes */
	rte_be32_t ip = test_ip("192.0.2.30");
	net_neigh_resolve(t, &f->ops, &f->ctr, ip, pkt(f), 0);
	net_neigh_resolve(t, &f->ops, &f->ctr, ip, pkt(f), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 50);
	assert_int_equal(f->owner.n_requests, 1);
	net_neigh_tick(t, &f->ops, &f->ctr, 100);
	net_neigh_tick(t, &f->ops, &f->ctr, 200);
	assert_int_equal(f->owner.n_requests, 3);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_no_arp), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 300);
	assert_int_equal(f->owner.n_requests, 3);
	assert_int_equal(net_ctr_read(&f->ctr, NET_CTR_tx_drop_no_arp), 2);
	assert_int_equal(f->owner.n_sent, 0);
	/* The next packet starts over with a fresh request. */
	net_neigh_resolve(t, &f->ops, &f->ctr, ip, pkt(f), 400);
	assert_int_equal(f->owner.n_requests, 4);
}

static void test_learnt_entry_expires(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;	/* reachable for 1000 ms */
	rte_be32_t ip = test_ip("192.0.2.40");
	struct rte_ether_addr mac;
	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, ip, &test_peer_mac, 0), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 999);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 1000);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), -ENOENT);
}

/* A learnt entry is asked for again before it expires, and stays usable meanwhile: an answer
 * renews it, so a busy flow never waits on a new resolution. */
static void test_learnt_entry_is_renewed_before_expiry(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;	/* 1000 ms, 3 probes 100 ms apart */
	rte_be32_t ip = test_ip("192.0.2.41");
	struct rte_ether_addr mac;
	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, ip, &test_peer_mac, 0), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 650);
	assert_int_equal(f->owner.n_requests, 0);	/* not yet near expiry */
	net_neigh_tick(t, &f->ops, &f->ctr, 700);
	assert_int_equal(f->owner.n_requests, 1);
	assert_int_equal(f->owner.requested[0], ip);
	net_neigh_tick(t, &f->ops, &f->ctr, 750);
	assert_int_equal(f->owner.n_requests, 1);	/* one per probe interval */
	net_neigh_tick(t, &f->ops, &f->ctr, 800);
	assert_int_equal(f->owner.n_requests, 2);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), 0);	/* still used while asked */
	/* The answer renews it for a full life. */
	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, ip, &test_peer_mac, 850), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 1500);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), 0);
	assert_int_equal(f->owner.n_requests, 2);
	/* Unanswered, it expires on time. */
	for (uint64_t now = 1550; now < 1850; now += 50)
		net_neigh_tick(t, &f->ops, &f->ctr, now);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), 0);
	net_neigh_tick(t, &f->ops, &f->ctr, 1850);
	assert_int_equal(net_neigh_lookup(t, ip, &mac), -ENOENT);
	assert_int_equal(f->owner.n_requests, 5);
}

static void test_full_bucket_evicts_oldest_learnt(void **state)
{
	struct fixture *f = *state;
	struct net_neigh_table *t = f->env->neigh;
	struct rte_ether_addr mac;
	/* Addresses that share 10.0.0.1's bucket, found by asking the table's own hash. */
	rte_be32_t same[NET_NEIGH_WAYS + 1];
	unsigned n = 0;
	same[n++] = test_ip("10.0.0.1");
	for (uint32_t h = 2; n < NET_NEIGH_WAYS + 1 && h < 1000000; h++) {
		rte_be32_t ip = rte_cpu_to_be_32(0x0a000000u + h);
		if (net_neigh_bucket(ip) == net_neigh_bucket(same[0]))
			same[n++] = ip;
	}
	assert_int_equal(n, NET_NEIGH_WAYS + 1);
	for (unsigned i = 0; i < NET_NEIGH_WAYS; i++)
		assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, same[i], &test_peer_mac, i * 10),
				 0);
	/* The bucket is full: the fifth evicts the entry closest to expiry (the first). */
	assert_int_equal(net_neigh_learn(t, &f->ops, &f->ctr, same[NET_NEIGH_WAYS], &test_peer_mac,
					 100),
			 0);
	assert_int_equal(net_neigh_lookup(t, same[0], &mac), -ENOENT);
	for (unsigned i = 1; i <= NET_NEIGH_WAYS; i++)
		assert_int_equal(net_neigh_lookup(t, same[i], &mac), 0);
}

static struct rte_mbuf *udp_out(struct fixture *f, const char *dst)
{
	struct rte_mbuf *m = test_mbuf(f->env, "hello", 5);
	assert_non_null(m);
	assert_int_equal(net_udp_prepend(m, test_ip(TEST_OUR_IP), test_ip(dst), 5060, 5060, 1), 0);
	return m;
}

static void test_output_uses_table_or_asks_main(void **state)
{
	struct fixture *f = *state;
	struct test_env *env = f->env;

	/* On-link destination, unknown: handed to the main lcore with the destination as hop. */
	net_output_ipv4(&env->lc, 0, udp_out(f, TEST_PEER_IP));
	assert_int_equal(env->n_main, 1);
	assert_int_equal(env->main[0].kind, NET_MAIN_RESOLVE);
	assert_int_equal(env->main[0].ip, test_ip(TEST_PEER_IP));

	/* Off-link: the hop is the gateway. */
	net_output_ipv4(&env->lc, 0, udp_out(f, "203.0.113.9"));
	assert_int_equal(env->main[1].ip, test_ip("192.0.2.254"));

	/* Known: sent straight from this lcore with the right Ethernet header. */
	net_neigh_learn(env->neigh, &f->ops, &f->ctr, test_ip(TEST_PEER_IP), &test_peer_mac, 0);
	net_output_ipv4(&env->lc, 0, udp_out(f, TEST_PEER_IP));
	assert_int_equal(env->n_tx, 1);
	const struct rte_ether_hdr *eth = rte_pktmbuf_mtod(env->tx[0], const struct rte_ether_hdr *);
	assert_memory_equal(&eth->dst_addr, &test_peer_mac, 6);
	assert_memory_equal(&eth->src_addr, &env->ifc[0].mac, 6);
	assert_int_equal(rte_be_to_cpu_16(eth->ether_type), RTE_ETHER_TYPE_IPV4);

	/* No gateway: off-link traffic has no route. */
	env->ifc[0].gateway = 0;
	net_output_ipv4(&env->lc, 0, udp_out(f, "203.0.113.9"));
	assert_int_equal(net_ctr_read(&env->lc.ctr, NET_CTR_tx_drop_no_route), 1);
}

int main(void)
{
	if (test_eal_init("test_net_neigh") < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_resolution_queues_then_sends, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_queue_is_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_resolution_keeps_first_packets_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_queue_length_is_configurable, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pending_pool_bounds_the_table, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unanswered_resolution_retries_then_drops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learnt_entry_expires, setup, teardown),
		cmocka_unit_test_setup_teardown(test_learnt_entry_is_renewed_before_expiry, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_full_bucket_evicts_oldest_learnt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_output_uses_table_or_asks_main, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	test_eal_fini();
	return rc;
}
