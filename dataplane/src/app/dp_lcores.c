/* Built once on the main lcore before any worker is launched; freed after they have all
 * returned. Only start-up allocates. */
#include "dp_lcores.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "bugle/log.h"
#include "dp_port.h"
#include "net_arp.h"
#include "net_counters.h"
#include "net_frag.h"
#include "net_neigh.h"
#include "net_output.h"

static void tx_unsent(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	struct net_lcore *lc = arg;
	rte_pktmbuf_free_bulk(pkts, n);
	net_ctr_add(&lc->ctr, NET_CTR_tx_drop_port_full, n);
}

void dp_txq_send(struct dp_txq *q, struct net_lcore *lc, struct dp_lcore_stats *st,
		 struct rte_mbuf *m)
{
	net_ctr_inc(&lc->ctr, NET_CTR_tx_packets);
	__atomic_store_n(&st->tx_packets, st->tx_packets + 1, __ATOMIC_RELAXED);
	rte_eth_tx_buffer(q->port_id, q->queue, q->buf, m);
}

void dp_txq_flush(struct dp_txq *q)
{
	if (q->buf)
		rte_eth_tx_buffer_flush(q->port_id, q->queue, q->buf);
}

static int txq_init(struct dp_txq *q, const struct dp_port *port, uint16_t queue,
		    struct net_lcore *lc, int socket)
{
	q->port_id = port->port_id;
	q->queue = queue;
	q->buf = rte_zmalloc_socket("dp_txbuf", RTE_ETH_TX_BUFFER_SIZE(DP_BURST), 0, socket);
	if (!q->buf)
		return -ENOMEM;
	rte_eth_tx_buffer_init(q->buf, DP_BURST);
	rte_eth_tx_buffer_set_err_callback(q->buf, tx_unsent, lc);
	return 0;
}

/* ---- worker io: what bugle_dp_net calls on a worker ---- */

static void worker_tx(void *arg, uint16_t iface, struct rte_mbuf *m)
{
	struct dp_worker *w = arg;
	dp_txq_send(&w->txq[iface], &w->net, &w->stats, m);
}

static void worker_to_main(void *arg, enum net_main_msg kind, uint16_t iface, rte_be32_t ip,
			   const struct rte_ether_addr *mac, struct rte_mbuf *m)
{
	struct dp_worker *w = arg;
	struct dp_msg msg = { .kind = kind == NET_MAIN_LEARN ? DP_MSG_LEARN : DP_MSG_RESOLVE,
			      .iface = (uint8_t)iface, .ip = ip, .m = m };
	if (mac)
		memcpy(msg.mac, mac->addr_bytes, sizeof(msg.mac));
	/* Single producer: this worker. The enqueue stores the element, then publishes the new
	 * tail with release semantics; the main lcore's dequeue reads the tail with acquire
	 * semantics before the element, so it sees msg and every byte of m written above. */
	if (rte_ring_sp_enqueue_elem(w->to_main, &msg, sizeof(msg)) != 0) {
		net_ctr_inc(&w->net.ctr, NET_CTR_tx_drop_ring_full);
		rte_pktmbuf_free(m);
	}
}

/* ---- main io: the main lcore sends from its own TX queue ---- */

static void main_tx(void *arg, uint16_t iface, struct rte_mbuf *m)
{
	struct dp_app *app = arg;
	dp_txq_send(&app->main->txq[iface], &app->main->net, &app->main->stats, m);
}

static uint64_t now_ms(void)
{
	return rte_get_timer_cycles() / (rte_get_timer_hz() / 1000);
}

static void main_to_main(void *arg, enum net_main_msg kind, uint16_t iface, rte_be32_t ip,
			 const struct rte_ether_addr *mac, struct rte_mbuf *m)
{
	struct dp_app *app = arg;
	struct dp_main *mn = app->main;
	if (kind == NET_MAIN_LEARN)
		net_neigh_learn(app->neigh[iface], &mn->neigh_ops[iface], &mn->net.ctr, ip, mac,
				now_ms());
	else
		net_neigh_resolve(app->neigh[iface], &mn->neigh_ops[iface], &mn->net.ctr, ip, m,
				  now_ms());
}

static void neigh_send_request(void *arg, rte_be32_t ip)
{
	struct dp_main_port *p = arg;
	struct dp_main *mn = p->app->main;
	struct rte_mbuf *m = net_arp_build_request(mn->net.pool, &p->app->ifaces[p->iface], ip);
	if (!m) {
		net_ctr_inc(&mn->net.ctr, NET_CTR_mbuf_alloc_fail);
		return;
	}
	main_tx(p->app, p->iface, m);
}

static void neigh_send_packet(void *arg, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	struct dp_main_port *p = arg;
	net_eth_fill_ipv4(m, &p->app->ifaces[p->iface], dst);
	main_tx(p->app, p->iface, m);
}

static void lcore_net_init(struct dp_app *app, struct net_lcore *lc, struct rte_mempool *pool)
{
	lc->ifaces = app->ifaces;
	lc->n_ifaces = app->n_ports;
	lc->demux = &app->demux;
	for (uint16_t i = 0; i < app->n_ports; i++)
		lc->neigh[i] = app->neigh[i];
	lc->pool = pool;
}

static int main_init(struct dp_app *app)
{
	int socket = (int)rte_socket_id();
	app->main = rte_zmalloc_socket("dp_main", sizeof(*app->main), RTE_CACHE_LINE_SIZE, socket);
	if (!app->main)
		return -ENOMEM;
	struct dp_main *mn = app->main;
	lcore_net_init(app, &mn->net, app->pool[socket]);
	mn->net.io = (struct net_io){ .arg = app, .tx = main_tx, .to_main = main_to_main };
	for (uint16_t i = 0; i < app->n_ports; i++) {
		/* The main lcore owns TX queue 0 of every port; worker k owns queue k + 1. */
		int rc = txq_init(&mn->txq[i], &app->ports[i], 0, &mn->net, socket);
		if (rc)
			return rc;
		mn->port_arg[i] = (struct dp_main_port){ .app = app, .iface = i };
		mn->neigh_ops[i] = (struct net_neigh_ops){ .arg = &mn->port_arg[i],
							   .send_request = neigh_send_request,
							   .send_packet = neigh_send_packet };
	}
	return 0;
}

static int worker_init(struct dp_app *app, struct dp_worker *w, unsigned index, unsigned lcore)
{
	int socket = (int)rte_lcore_to_socket_id(lcore);
	char name[RTE_RING_NAMESIZE];
	w->app = app;
	w->index = index;
	w->lcore_id = lcore;
	lcore_net_init(app, &w->net, app->pool[socket] ? app->pool[socket] : app->pool[0]);
	w->net.io = (struct net_io){ .arg = w, .tx = worker_tx, .to_main = worker_to_main };
	w->net.frag = net_frag_create((uint32_t)app->cfg->frag_max_flows,
				      (uint32_t)app->cfg->frag_timeout_ms, socket);
	if (!w->net.frag)
		return -ENOMEM;

	snprintf(name, sizeof(name), "dp_w%u_to_main", index);
	w->to_main = rte_ring_create_elem(name, sizeof(struct dp_msg), DP_RING_SIZE, socket,
					  RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "dp_w%u_from_main", index);
	w->from_main = rte_ring_create_elem(name, sizeof(struct dp_msg), DP_RING_SIZE, socket,
					    RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (!w->to_main || !w->from_main)
		return -ENOMEM;

	for (uint16_t i = 0; i < app->n_ports; i++) {
		const struct dp_port *p = &app->ports[i];
		int rc = txq_init(&w->txq[i], p, (uint16_t)(index + 1), &w->net, socket);
		if (rc)
			return rc;
		/* RX queue q belongs to worker q mod workers. */
		for (uint16_t q = (uint16_t)index; q < p->n_rxq; q = (uint16_t)(q + app->n_workers))
			w->rxq[i][w->n_rxq[i]++] = q;
	}
	return 0;
}

int dp_lcores_init(struct dp_app *app)
{
	int rc = main_init(app);
	if (rc)
		goto fail;
	app->workers = rte_zmalloc("dp_workers", sizeof(*app->workers) * app->n_workers,
				   RTE_CACHE_LINE_SIZE);
	if (!app->workers) {
		rc = -ENOMEM;
		goto fail;
	}
	unsigned index = 0, lcore;
	RTE_LCORE_FOREACH_WORKER(lcore) {
		if (index == app->n_workers)
			break;
		rc = worker_init(app, &app->workers[index], index, lcore);
		if (rc)
			goto fail;
		index++;
	}
	if (index != app->n_workers) {
		BGL_ERR("EAL gave %u worker lcores, %u configured", index, app->n_workers);
		rc = -EINVAL;
		goto fail;
	}
	return 0;
fail:
	BGL_ERR("lcore set-up: %s", rte_strerror(-rc));
	return rc;
}

static void drain_ring(struct rte_ring *r)
{
	struct dp_msg msg;
	while (r && rte_ring_sc_dequeue_elem(r, &msg, sizeof(msg)) == 0)
		rte_pktmbuf_free(msg.m);
}

void dp_lcores_fini(struct dp_app *app)
{
	for (unsigned i = 0; app->workers && i < app->n_workers; i++) {
		struct dp_worker *w = &app->workers[i];
		drain_ring(w->to_main);
		drain_ring(w->from_main);
		rte_ring_free(w->to_main);
		rte_ring_free(w->from_main);
		net_frag_free(w->net.frag);
		for (unsigned p = 0; p < NET_MAX_IFACES; p++)
			rte_free(w->txq[p].buf);
	}
	rte_free(app->workers);
	app->workers = NULL;
	if (app->main) {
		/* Flushed by dp_main_run already: the ports may be closed by now. */
		for (unsigned p = 0; p < NET_MAX_IFACES; p++)
			rte_free(app->main->txq[p].buf);
		rte_free(app->main);
		app->main = NULL;
	}
}
