/* Lcore contexts: per-worker rings, TX buffers and fragment tables, the main lcore's context,
 * and the loops they run. Return convention: 0 or a negative errno (logged).
 */
#ifndef BUGLE_DP_LCORES_H
#define BUGLE_DP_LCORES_H

#include "dp_app-t.h"

/* After the ports are open: build the main lcore's and every worker's context. */
int dp_lcores_init(struct dp_app *app);

/* After the workers have stopped: free what dp_lcores_init made. */
void dp_lcores_fini(struct dp_app *app);

/* Worker entry point for rte_eal_remote_launch; arg is its struct dp_worker. Returns when
 * app->running turns false, with its TX buffers flushed. */
int dp_worker_run(void *arg);

/* The main lcore's loop: worker messages, ARP resolution and ageing, fragment sweeps, the
 * control channel. Returns when stop() says so (signal) and after clearing app->running. */
int dp_main_run(struct dp_app *app, bool (*stop)(void));

/* Queue m on a TX buffer (flushed on the drain tick or when full). */
void dp_txq_send(struct dp_txq *q, struct net_lcore *lc, struct dp_lcore_stats *st,
		 struct rte_mbuf *m);
void dp_txq_flush(struct dp_txq *q);

#endif
