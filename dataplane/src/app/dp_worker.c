/* The fast path: RX burst -> bugle_dp_net -> TX buffers drained on a TSC tick (l3fwd style).
 * With dataplane.idle_sleep_us > 0 an idle worker sleeps between runs of empty polls (VPP's
 * adaptive mode), so that a core it shares with other processes is not spent on polling. */
#include <sys/prctl.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "dp_lcores.h"
#include "edge_dp.h"
#include "net_frag.h"
#include "net_rx.h"

#define TX_DRAIN_US 100
/* Empty polls in a row before an idle sleep: a gap between two bursts of a busy port is
 * polled through, a quiet port gives the core away. */
#define IDLE_POLLS_BEFORE_SLEEP 64
/* The kernel's default timer slack (50 us) would stretch every short sleep by that much. */
#define IDLE_TIMER_SLACK_NS 1000

static void stat_add(uint64_t *v, uint64_t n)
{
	/* Single writer (this lcore); relaxed atomic store so the stats reader never tears. */
	__atomic_store_n(v, *v + n, __ATOMIC_RELAXED);
}

static void flush_all(struct dp_worker *w)
{
	for (uint16_t p = 0; p < w->app->n_ports; p++)
		dp_txq_flush(&w->txq[p]);
}

/* After a run of empty polls: nothing left in a TX buffer, then the core for idle_us. */
static void idle_sleep(struct dp_worker *w, unsigned idle_us)
{
	flush_all(w);
	rte_delay_us_sleep(idle_us);
	stat_add(&w->stats.idle_sleeps, 1);
}

static void handle_main_messages(struct dp_worker *w, uint64_t now)
{
	struct dp_msg msgs[DP_BURST];
	unsigned n = rte_ring_sc_dequeue_burst_elem(w->from_main, msgs, sizeof(msgs[0]), DP_BURST,
						    NULL);
	for (unsigned i = 0; i < n; i++)
		if (msgs[i].kind == DP_MSG_FRAG_EXPIRE)
			net_frag_expire(&w->net, now);
}

int dp_worker_run(void *arg)
{
	struct dp_worker *w = arg;
	struct dp_app *app = w->app;
	const uint64_t drain_tsc = (rte_get_tsc_hz() + US_PER_S - 1) / US_PER_S * TX_DRAIN_US;
	uint64_t last_drain = rte_rdtsc();
	struct rte_mbuf *pkts[DP_BURST];
	const unsigned idle_us = (unsigned)app->cfg->idle_sleep_us;
	unsigned empty_run = 0;

	if (idle_us)
		(void)prctl(PR_SET_TIMERSLACK, IDLE_TIMER_SLACK_NS);	/* best effort */

	/* acquire: pairs with the main lcore's release store of false at shutdown. */
	while (atomic_load_explicit(&app->running, memory_order_acquire)) {
		uint64_t now = rte_rdtsc();
		if (now - last_drain > drain_tsc) {
			flush_all(w);
			handle_main_messages(w, now);
			edge_dp_worker_poll(app->edge, w->index);
			last_drain = now;
		}
		uint64_t got = 0;
		for (uint16_t p = 0; p < app->n_ports; p++) {
			for (uint16_t i = 0; i < w->n_rxq[p]; i++) {
				uint16_t n = rte_eth_rx_burst(app->ports[p].port_id, w->rxq[p][i],
							      pkts, DP_BURST);
				if (n) {
					net_rx_burst(&w->net, p, pkts, n, now);
					got += n;
				}
			}
		}
		if (got) {
			stat_add(&w->stats.rx_packets, got);
			stat_add(&w->stats.busy_polls, 1);
			empty_run = 0;
		} else {
			stat_add(&w->stats.idle_polls, 1);
			if (idle_us && ++empty_run >= IDLE_POLLS_BEFORE_SLEEP) {
				idle_sleep(w, idle_us);
				empty_run = 0;
			}
		}
	}
	flush_all(w);
	return 0;
}
