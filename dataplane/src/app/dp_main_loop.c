/* The main lcore does everything that is not per packet: it is the neighbour table's only
 * writer, it tells the workers when to age their fragment tables, and it serves the control
 * channel. It waits in the control-channel poll when idle so it does not spin a CPU: 1 ms
 * while there was work lately (prompts and tones paced on its clock, ARP to resolve), longer
 * once nothing happened for a while, so that a data plane relaying calls (the workers' job)
 * does not wake a thousand times a second for nothing on a CPU it shares with the rest. */
#include <stdio.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "bugle/log.h"
#include "ctl_server.h"
#include "dp_lcores.h"
#include "net_counters.h"
#include "net_neigh.h"
#include "edge_dp.h"
#include "relay.h"
#include "relay_mediaop.h"
#include "relay_udp.h"
#include "ops.h"

#define TIMER_MS 100		/* ARP ageing and fragment sweeps */
#define CTL_POLL_MS 1		/* idle wait after recent work: bounds media pacing jitter */
#define CTL_QUIET_POLL_MS 10	/* idle wait once quiet: bounds ARP resolution latency */
#define QUIET_AFTER_MS 50	/* no work for this long (more than a 20 ms media packet time) */

static uint64_t now_ms(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);
}

static unsigned handle_worker_messages(struct dp_app *app, struct dp_worker *w, uint64_t now)
{
	struct dp_main *mn = app->main;
	struct dp_msg msgs[DP_BURST];
	/* Single consumer: the main lcore. The acquire load of the ring's tail pairs with the
	 * worker's release, so each message and its mbuf are complete here. */
	unsigned n = rte_ring_sc_dequeue_burst_elem(w->to_main, msgs, sizeof(msgs[0]), DP_BURST,
						    NULL);
	for (unsigned i = 0; i < n; i++) {
		struct dp_msg *m = &msgs[i];
		if (m->iface >= app->n_ports) {
			rte_pktmbuf_free(m->m);
			continue;
		}
		if (m->kind == DP_MSG_LEARN) {
			struct rte_ether_addr mac;
			memcpy(mac.addr_bytes, m->mac, sizeof(m->mac));
			net_neigh_learn(app->neigh[m->iface], &mn->neigh_ops[m->iface], &mn->net.ctr,
					m->ip, &mac, now);
		} else if (m->kind == DP_MSG_RESOLVE) {
			net_neigh_resolve(app->neigh[m->iface], &mn->neigh_ops[m->iface],
					  &mn->net.ctr, m->ip, m->m, now);
		} else {
			rte_pktmbuf_free(m->m);
		}
	}
	return n;
}

static void publish_relay_event(void *arg, uint8_t kind, const char *call_id, const char *tag)
{
	struct dp_app *app = arg;
	bugle_dp_Event ev = bugle_dp_Event_init_zero;
	ev.kind = (bugle_dp_EventKind)kind;
	snprintf(ev.call_id, sizeof(ev.call_id), "%s", call_id);
	snprintf(ev.leg_tag, sizeof(ev.leg_tag), "%s", tag);
	if (app->ctl)
		dpctl_server_publish(app->ctl, &ev);
}

static int publish_edge_event(void *arg, const bugle_dp_Event *ev)
{
	struct dp_app *app = arg;
	return app->ctl ? dpctl_server_publish(app->ctl, ev) : 0;
}

static void timers(struct dp_app *app, uint64_t now)
{
	struct dp_main *mn = app->main;
	for (uint16_t i = 0; i < app->n_ports; i++)
		net_neigh_tick(app->neigh[i], &mn->neigh_ops[i], &mn->net.ctr, now);
	edge_dp_main_tick(app->edge, &mn->net, publish_edge_event, app);
	if (app->relay)
		relay_tick(app->relay, relay_clock_ns(app->relay), publish_relay_event, app);
	struct dp_msg sweep = { .kind = DP_MSG_FRAG_EXPIRE };
	for (unsigned i = 0; i < app->n_workers; i++) {
		/* Single producer: the main lcore; the ring's release/acquire pair publishes it.
		 * A full ring only delays the sweep to the next tick. */
		if (rte_ring_sp_enqueue_elem(app->workers[i].from_main, &sweep, sizeof(sweep)))
			net_ctr_inc(&mn->net.ctr, NET_CTR_tx_drop_ring_full);
	}
}

int dp_main_run(struct dp_app *app, bool (*stop)(void))
{
	struct dp_main *mn = app->main;
	uint64_t next_timer = now_ms() + TIMER_MS;
	uint64_t last_work = now_ms();
	while (!stop()) {
		uint64_t now = now_ms();
		unsigned work = 0;
		for (unsigned i = 0; i < app->n_workers; i++)
			work += handle_worker_messages(app, &app->workers[i], now);
		if (now >= next_timer) {
			timers(app, now);
			next_timer = now + TIMER_MS;
		}
		if (app->relay) {
			/* Prompts, tones and DTMF are paced on the main lcore's clock. */
			struct relay_udp_sender snd = { app->relay, &mn->net, 0 };
			struct relay_media_io io = { relay_udp_send_generated, &snd,
						     publish_edge_event, app };
			work += relay_media_tick(app->relay, relay_clock_ns(app->relay), &io);
		}
		for (uint16_t p = 0; p < app->n_ports; p++)
			dp_txq_flush(&mn->txq[p]);
		work += (unsigned)ops_poll(app->ops, now);	/* /metrics; never blocks */
		__atomic_store_n(&mn->stats.busy_polls, mn->stats.busy_polls + (work != 0),
				 __ATOMIC_RELAXED);
		__atomic_store_n(&mn->stats.idle_polls, mn->stats.idle_polls + (work == 0),
				 __ATOMIC_RELAXED);
		if (work)
			last_work = now;
		int wait_ms = work ? 0 : now - last_work < QUIET_AFTER_MS ? CTL_POLL_MS
									 : CTL_QUIET_POLL_MS;
		if (app->ctl)
			dpctl_server_poll(app->ctl, wait_ms);
		else if (wait_ms)
			rte_delay_us_sleep((unsigned)wait_ms * 1000);
	}
	/* release: everything the main lcore wrote is visible to a worker that sees false. */
	atomic_store_explicit(&app->running, false, memory_order_release);
	return 0;
}
