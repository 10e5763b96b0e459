/* Density bans reach every worker: a flood one worker's filter bans is banned on the others
 * once that worker has polled and the main lcore has ticked; a worker whose queue is full loses
 * the ban under a counter. The edge's DPDK side (edge_dp.c) on an EAL without hugepages, its
 * workers polled from the test's thread. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>

#include "edge_dp-int.h"
#include "edge_dp.h"
#include "flt-counters.h"
#include "flt.h"
#include "net_test_env.h"

#define N_WORKERS 3
#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static int published;

static int count_event(void *arg, const bugle_dp_Event *ev)
{
	(void)arg;
	assert_int_equal(ev->kind, bugle_dp_EventKind_EVENT_BAN_ADDED);
	published++;
	return 0;
}

static struct edge_dp *make_edge(void)
{
	struct net_iface ifc[2];
	struct edge_config cfg;
	char err[256] = "";

	memset(ifc, 0, sizeof(ifc));
	ifc[0].role = NET_ROLE_PUBLIC;
	ifc[0].addr = rte_cpu_to_be_32(IP4(192, 0, 2, 1));
	ifc[0].netmask = rte_cpu_to_be_32(0xffffff00u);
	ifc[0].mtu = 1500;
	ifc[1].role = NET_ROLE_INTERNAL;
	ifc[1].addr = rte_cpu_to_be_32(IP4(198, 51, 100, 1));
	ifc[1].netmask = rte_cpu_to_be_32(0xffffff00u);
	ifc[1].port_id = 1;
	ifc[1].mtu = 1500;
	memset(&cfg, 0, sizeof(cfg));
	cfg.sip_port = 5060;
	cfg.probe_interval_ms = 500;
	cfg.dead_after_ms = 1500;
	cfg.density_requests = 5;
	cfg.density_window_ms = 2000;
	cfg.ban_seconds = 60;
	cfg.register_per_second = 1000;
	cfg.invite_per_second = 1000;
	struct edge_dp *e = edge_dp_create(&cfg, ifc, 2, N_WORKERS, err, sizeof(err));
	assert_non_null(e);
	for (unsigned i = 0; i < N_WORKERS; i++)
		assert_int_equal(edge_dp_worker_attach(e, i, 0), 0);
	published = 0;
	return e;
}

static enum flt_verdict request(struct edge_dp *e, unsigned worker, uint32_t ip)
{
	return flt_check(e->w[worker].ew.flt, edge_dp_now_ns(), ip, FLT_METHOD_OTHER, NULL, 0,
			 NULL, 0);
}

/* Requests from ip on one worker until its density detector bans it. */
static void flood(struct edge_dp *e, unsigned worker, uint32_t ip)
{
	uint64_t c[FLT_COUNTER_COUNT], before;

	flt_counters_read(e->w[worker].ew.flt, c);
	before = c[FLT_C_density];
	for (int i = 0; i < 10 && c[FLT_C_density] == before; i++) {
		request(e, worker, ip);
		flt_counters_read(e->w[worker].ew.flt, c);
	}
	assert_int_equal(c[FLT_C_density], before + 1);
}

static uint64_t edge_counter(struct edge_dp *e, const char *name)
{
	const char *names[256];
	uint64_t values[256];
	size_t n = edge_dp_counters(e, names, values, 256);

	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return values[i];
	fail_msg("no counter %s", name);
	return 0;
}

static uint64_t worker_counter(struct edge_dp *e, unsigned w, enum edge_counter c)
{
	return atomic_load_explicit(&e->w[w].ew.ctr[c], memory_order_relaxed);
}

static void test_density_ban_reaches_every_worker(void **state)
{
	struct edge_dp *e = make_edge();
	const uint32_t flooder = IP4(192, 0, 2, 66), other = IP4(192, 0, 2, 67);

	(void)state;
	flood(e, 0, flooder);
	assert_int_equal(request(e, 0, flooder), FLT_DROP);
	/* Until the ban has gone round, the other workers let the source in. */
	assert_int_equal(request(e, 1, flooder), FLT_ACCEPT);
	assert_int_equal(request(e, 2, flooder), FLT_ACCEPT);

	edge_dp_worker_poll(e, 0);			/* the notice to the main lcore */
	edge_dp_main_tick(e, NULL, count_event, NULL);	/* passed on, and published once */
	assert_int_equal(published, 1);
	for (unsigned w = 0; w < N_WORKERS; w++)
		edge_dp_worker_poll(e, w);

	for (unsigned w = 0; w < N_WORKERS; w++) {
		uint64_t c[FLT_COUNTER_COUNT];
		flt_counters_read(e->w[w].ew.flt, c);
		uint64_t banned_before = c[FLT_C_banned];
		assert_int_equal(request(e, w, flooder), FLT_DROP);
		flt_counters_read(e->w[w].ew.flt, c);
		assert_int_equal(c[FLT_C_banned], banned_before + 1);
		assert_int_equal(request(e, w, other), FLT_ACCEPT);
		/* The worker that saw the flood does not get its own ban back. */
		assert_int_equal(worker_counter(e, w, EDGE_C_bans_shared), w == 0 ? 0 : 1);
	}
	assert_int_equal(edge_counter(e, "edge_bans_shared"), N_WORKERS - 1);
	assert_int_equal(edge_counter(e, "edge_ban_share_lost"), 0);
	/* Nothing more goes round on the next tick. */
	edge_dp_main_tick(e, NULL, count_event, NULL);
	for (unsigned w = 0; w < N_WORKERS; w++)
		edge_dp_worker_poll(e, w);
	assert_int_equal(published, 1);
	assert_int_equal(edge_counter(e, "edge_bans_shared"), N_WORKERS - 1);
	edge_dp_free(e);
}

static void test_full_queue_counts_lost_bans(void **state)
{
	struct edge_dp *e = make_edge();
	const unsigned floods = 300;	/* more than a worker's queue holds */

	(void)state;
	/* Worker 2 floods; worker 1 keeps up; worker 0 stalls (never polled meanwhile). */
	for (unsigned i = 0; i < floods; i++) {
		flood(e, 2, IP4(203, 0, 113, 0) + i);
		edge_dp_worker_poll(e, 2);
		edge_dp_main_tick(e, NULL, NULL, NULL);
		edge_dp_worker_poll(e, 1);
	}
	uint64_t lost = edge_counter(e, "edge_ban_share_lost");
	assert_true(lost > 0);
	for (int i = 0; i < 40; i++)
		edge_dp_worker_poll(e, 0);
	/* Each ban went to worker 1, and to worker 0 unless it was lost. */
	assert_int_equal(worker_counter(e, 1, EDGE_C_bans_shared), floods);
	assert_int_equal(worker_counter(e, 0, EDGE_C_bans_shared) + lost, floods);
	assert_int_equal(request(e, 1, IP4(203, 0, 113, 0) + floods - 1), FLT_DROP);
	edge_dp_free(e);
}

static int group_setup(void **state)
{
	(void)state;
	return test_eal_init("test_edge_ban_share");
}

static int group_teardown(void **state)
{
	(void)state;
	test_eal_fini();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_density_ban_reaches_every_worker),
		cmocka_unit_test(test_full_queue_counts_lost_bans),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
