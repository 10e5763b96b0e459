/* The edge on DPDK: creation, the UDP handler, worker commands and the main-lcore tick. */
#include "edge_dp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_pause.h>
#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "edge-int.h"
#include "edge.h"
#include "edge_dispatch.h"
#include "edge_dp-int.h"
#include "flt-control.h"
#include "flt-counters.h"
#include "flt-policy.h"
#include "flt.h"
#include "net_counters.h"
#include "net_output.h"
#include "net_udp.h"

#define CMD_RING_SIZE 16
#define NOTICE_RING_SIZE 256
#define CMD_TIMEOUT_MS 1000
#define EXPIRE_EVERY_NS 100000000ull	/* ban sweep every 100 ms */
#define UDP_IP_HEADERS 28
#define REALM_SLOTS 1024		/* per worker: up to 768 realms with a CPS limit */

uint64_t edge_dp_now_ns(void)
{
	uint64_t t = rte_get_tsc_cycles(), hz = rte_get_tsc_hz();
	return t / hz * 1000000000ull + t % hz * 1000000000ull / hz;
}

uint64_t edge_dp_now_ms(void)
{
	return rte_get_tsc_cycles() / (rte_get_tsc_hz() / 1000);
}

static int policy_from_config(const struct edge_config *cfg, struct flt_policy *p, char *err,
			      size_t errlen)
{
	flt_policy_defaults(p);
	p->density_requests = (uint32_t)cfg->density_requests;
	p->density_window_ms = (uint32_t)cfg->density_window_ms;
	p->ban_seconds = (uint32_t)cfg->ban_seconds;
	p->method_rate[FLT_METHOD_REGISTER].per_sec = (uint32_t)cfg->register_per_second;
	p->method_rate[FLT_METHOD_REGISTER].burst = (uint32_t)cfg->register_per_second * 2;
	p->method_rate[FLT_METHOD_INVITE].per_sec = (uint32_t)cfg->invite_per_second;
	p->method_rate[FLT_METHOD_INVITE].burst = (uint32_t)cfg->invite_per_second * 2;
	if (flt_policy_parse_ua_list(p, cfg->scanner_user_agents, err, errlen) < 0 ||
	    flt_policy_parse_allow_list(p, cfg->allow_sources, err, errlen) < 0)
		return -EINVAL;
	return flt_policy_validate(p, err, errlen);
}

struct edge_dp *edge_dp_create(const struct edge_config *cfg, const struct net_iface *ifaces,
			       uint16_t n_ifaces, unsigned n_workers, char *err, size_t errlen)
{
	struct edge_dp *e = rte_zmalloc("edge_dp", sizeof(*e), RTE_CACHE_LINE_SIZE);
	if (!e) {
		snprintf(err, errlen, "edge: out of memory");
		return NULL;
	}
	e->cfg = *cfg;
	e->n_workers = n_workers;
	e->max_payload = UINT16_MAX;
	for (unsigned i = 0; i < RTE_MAX_LCORE; i++)
		e->slot_of_lcore[i] = -1;
	for (uint16_t i = 0; i < n_ifaces; i++) {
		e->iface_of_role[ifaces[i].role & 1] = i;
		e->has_role[ifaces[i].role & 1] = true;
		if (ifaces[i].mtu > UDP_IP_HEADERS && ifaces[i].mtu - UDP_IP_HEADERS < e->max_payload)
			e->max_payload = (uint16_t)(ifaces[i].mtu - UDP_IP_HEADERS);
	}
	const struct net_iface *pub = &ifaces[e->iface_of_role[0]];
	const struct net_iface *in = &ifaces[e->iface_of_role[1]];
	if (!e->has_role[0] || !e->has_role[1]) {
		snprintf(err, errlen, "edge: needs a public and an internal port");
		goto fail;
	}
	if (edge_core_init(&e->core, rte_be_to_cpu_32(pub->addr), rte_be_to_cpu_32(in->addr),
			   rte_be_to_cpu_32(in->netmask), (uint16_t)cfg->sip_port,
			   (uint64_t)cfg->dead_after_ms) < 0) {
		snprintf(err, errlen, "edge: libsodium did not start");
		goto fail;
	}
	if (policy_from_config(cfg, &e->policy, err, errlen) < 0)
		goto fail;
	if (edge_nodes_parse(cfg->dispatcher_nodes, &e->sets[0], err, errlen) < 0)
		goto fail;
	edge_set_publish(&e->core, &e->sets[0], edge_dp_now_ms());
	e->w = rte_zmalloc("edge_dp_w", sizeof(*e->w) * n_workers, RTE_CACHE_LINE_SIZE);
	if (!e->w) {
		snprintf(err, errlen, "edge: out of memory");
		goto fail;
	}
	return e;
fail:
	rte_free(e);
	return NULL;
}

void edge_dp_set_drain_flag(struct edge_dp *e, const _Atomic bool *draining)
{
	e->core.draining = draining;
}

void edge_dp_set_probe_interval(struct edge_dp *e, uint32_t ms)
{
	uint64_t next = edge_dp_now_ms() + ms;
	e->cfg.probe_interval_ms = ms;
	if (e->next_probe_ms > next)
		e->next_probe_ms = next;	/* a shorter period takes effect at once */
}

void edge_dp_free(struct edge_dp *e)
{
	if (!e)
		return;
	for (unsigned i = 0; e->w && i < e->n_workers; i++) {
		struct edge_dp_worker *dw = &e->w[i];
		flt_destroy(dw->ew.flt);
		edge_realms_destroy(dw->ew.realms);
		rte_ring_free(dw->cmd);
		rte_ring_free(dw->notices);
		rte_ring_free(dw->peer_bans);
		rte_free(dw->in);
	}
	rte_free(e->w);
	rte_free(e);
}

int edge_dp_worker_attach(struct edge_dp *e, unsigned index, unsigned lcore_id)
{
	char name[RTE_RING_NAMESIZE];
	struct flt_config fc;

	if (index >= e->n_workers || lcore_id >= RTE_MAX_LCORE)
		return -EINVAL;
	struct edge_dp_worker *dw = &e->w[index];
	int socket = (int)rte_lcore_to_socket_id(lcore_id);
	flt_config_defaults(&fc);
	struct flt *f = flt_create(&fc, &e->policy);
	if (!f)
		return -errno;
	snprintf(name, sizeof(name), "edge_cmd_%u", index);
	dw->cmd = rte_ring_create(name, CMD_RING_SIZE, socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "edge_ntc_%u", index);
	dw->notices = rte_ring_create_elem(name, sizeof(struct flt_ban_notice), NOTICE_RING_SIZE,
					   socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	snprintf(name, sizeof(name), "edge_pban_%u", index);
	dw->peer_bans = rte_ring_create_elem(name, sizeof(struct flt_ban_notice), NOTICE_RING_SIZE,
					     socket, RING_F_SP_ENQ | RING_F_SC_DEQ);
	dw->in = rte_malloc_socket("edge_in", UINT16_MAX + 1, 0, socket);
	struct edge_realms *realms = edge_realms_create(REALM_SLOTS);
	if (!dw->cmd || !dw->notices || !dw->peer_bans || !dw->in || !realms) {
		flt_destroy(f);
		edge_realms_destroy(realms);
		return -ENOMEM;
	}
	edge_worker_init(&dw->ew, &e->core, f);
	dw->ew.realms = realms;
	dw->attached = true;
	e->slot_of_lcore[lcore_id] = (int16_t)index;
	return 0;
}

static void sip_input(struct net_lcore *lc, struct rte_mbuf *m, const struct net_udp_pkt *pkt,
		      void *arg)
{
	struct edge_dp *e = arg;
	unsigned lcore = rte_lcore_id();
	int slot = lcore < RTE_MAX_LCORE ? e->slot_of_lcore[lcore] : -1;
	struct edge_action act;

	if (slot < 0) {
		atomic_fetch_add_explicit(&e->not_worker, 1, memory_order_relaxed);
		rte_pktmbuf_free(m);
		return;
	}
	struct edge_dp_worker *dw = &e->w[slot];
	uint32_t off = pkt->l4_off + 8u;
	const char *buf = rte_pktmbuf_read(m, off, pkt->payload_len, dw->in);
	struct rte_mbuf *o = rte_pktmbuf_alloc(lc->pool);
	if (!buf || !o) {
		net_ctr_inc(&lc->ctr, NET_CTR_mbuf_alloc_fail);
		rte_pktmbuf_free(o);
		rte_pktmbuf_free(m);
		return;
	}
	size_t cap = RTE_MIN((size_t)rte_pktmbuf_tailroom(o), (size_t)e->max_payload);
	edge_process(&dw->ew, lc->ifaces[pkt->iface].role == NET_ROLE_INTERNAL,
		     rte_be_to_cpu_32(pkt->src_ip), pkt->src_port, buf, pkt->payload_len,
		     edge_dp_now_ns(), edge_dp_now_ms(), rte_pktmbuf_mtod(o, char *), cap, &act);
	rte_pktmbuf_free(m);
	if (act.kind != EDGE_ACT_SEND) {
		rte_pktmbuf_free(o);
		return;
	}
	uint16_t ifi = e->iface_of_role[act.side & 1];
	if (!rte_pktmbuf_append(o, (uint16_t)act.len) ||
	    net_udp_prepend(o, lc->ifaces[ifi].addr, rte_cpu_to_be_32(act.dst_ip), e->core.port,
			    act.dst_port, 0) < 0) {
		edge_count(&dw->ew, EDGE_C_tx_failed);
		rte_pktmbuf_free(o);
		return;
	}
	net_output_ipv4(lc, ifi, o);
}

int edge_dp_register(struct edge_dp *e, struct net_udp_demux *d)
{
	struct net_udp_handler h = { .name = "sip", .role_mask = NET_ROLE_MASK_ANY,
				     .port_lo = e->core.port, .port_hi = e->core.port,
				     .fn = sip_input, .arg = e };
	return net_udp_register(d, &h);
}

static void run_cmd(struct edge_dp_worker *dw, struct edge_cmd *c, uint64_t now)
{
	struct flt *f = dw->ew.flt;
	uint32_t cursor = 0;

	switch (c->kind) {
	case EDGE_CMD_POLICY: c->rc = flt_policy_apply(f, &c->policy); break;
	case EDGE_CMD_BAN_ADD: c->rc = flt_ban_add(f, now, c->ip, c->seconds, FLT_BAN_OPERATOR); break;
	case EDGE_CMD_BAN_REMOVE: c->rc = flt_ban_remove(f, c->ip); break;
	case EDGE_CMD_BAN_LIST:
		c->list_n = flt_ban_list(f, now, c->list, EDGE_BAN_LIST_MAX, &cursor);
		c->rc = 0;
		break;
	case EDGE_CMD_ACCOUNT_SET:
		c->rc = flt_account_limit_set(f, now, c->account, c->account_len, c->cps);
		break;
	case EDGE_CMD_ACCOUNT_REMOVE:
		c->rc = flt_account_limit_remove(f, c->account, c->account_len);
		break;
	case EDGE_CMD_REALM_SET:
		c->rc = edge_realms_set(dw->ew.realms, c->realm, c->realm_len, c->account,
					c->account_len);
		break;
	case EDGE_CMD_REALM_REMOVE:
		c->rc = edge_realms_remove(dw->ew.realms, c->realm, c->realm_len);
		break;
	case EDGE_CMD_REALM_CLEAR:
		edge_realms_clear(dw->ew.realms);
		c->rc = 0;
		break;
	case EDGE_CMD_ACCOUNT_CLEAR:
		flt_account_limit_clear(f);
		c->rc = 0;
		break;
	default: c->rc = 0; break;
	}
	/* release: rc and the list are complete before main sees done. */
	atomic_store_explicit(&c->done, 1, memory_order_release);
}

/* A flood seen by one worker is banned on all of them: RSS spreads one source's packets over
 * the workers (one per flow), so a ban on the worker that counted them alone lets the rest
 * through elsewhere. The ban runs for its full length from when it arrives here. */
static void apply_peer_bans(struct edge_dp_worker *dw, uint64_t now)
{
	struct flt_ban_notice n[16];
	unsigned got = rte_ring_sc_dequeue_burst_elem(dw->peer_bans, n, sizeof(n[0]), 16, NULL);

	for (unsigned k = 0; k < got; k++) {
		/* seconds 0 would make a permanent ban: a density ban always ends. */
		uint32_t secs = n[k].ban_seconds ? n[k].ban_seconds : 1;
		if (flt_ban_add(dw->ew.flt, now, n[k].ip, secs, FLT_BAN_DENSITY) == 0)
			edge_count(&dw->ew, EDGE_C_bans_shared);
	}
}

void edge_dp_worker_poll(struct edge_dp *e, unsigned index)
{
	if (!e || index >= e->n_workers || !e->w[index].attached)
		return;
	struct edge_dp_worker *dw = &e->w[index];
	uint64_t now = edge_dp_now_ns();
	void *c;

	while (rte_ring_sc_dequeue(dw->cmd, &c) == 0)
		run_cmd(dw, c, now);
	apply_peer_bans(dw, now);
	if (now >= dw->next_expire_ns) {
		flt_expire(dw->ew.flt, now);
		dw->next_expire_ns = now + EXPIRE_EVERY_NS;
	}
	struct flt_ban_notice n[8];
	size_t got = flt_ban_notices_drain(dw->ew.flt, n, 8);
	/* A full ring loses the notice; the filter's notice_overflow counts the same loss. */
	if (got)
		rte_ring_sp_enqueue_burst_elem(dw->notices, n, sizeof(n[0]), (unsigned)got, NULL);
}

int edge_dp_run_one(struct edge_dp *e, unsigned index, const struct edge_cmd *cmd,
		    struct edge_cmd **done)
{
	struct edge_dp_worker *dw = &e->w[index];
	struct edge_cmd *slot = &dw->cmd_slot;

	if (!dw->attached)
		return -ENODEV;
	memcpy(slot, cmd, sizeof(*slot));
	atomic_store_explicit(&slot->done, 0, memory_order_relaxed);
	/* The ring's enqueue is a release: the worker sees the filled slot. */
	if (rte_ring_sp_enqueue(dw->cmd, slot) != 0)
		return -EBUSY;
	uint64_t deadline = edge_dp_now_ms() + CMD_TIMEOUT_MS;
	while (!atomic_load_explicit(&slot->done, memory_order_acquire)) {
		if (edge_dp_now_ms() > deadline)
			return -ETIMEDOUT;
		rte_pause();
	}
	if (done)
		*done = slot;
	return slot->rc;
}

int edge_dp_run_all(struct edge_dp *e, const struct edge_cmd *cmd)
{
	int first = 0;
	for (unsigned i = 0; i < e->n_workers; i++) {
		int rc = edge_dp_run_one(e, i, cmd, NULL);
		if (rc < 0 && !first)
			first = rc;
	}
	return first;
}

int edge_dp_set_nodes(struct edge_dp *e, const struct edge_set *set)
{
	const struct edge_set *cur = atomic_load_explicit(&e->core.set, memory_order_relaxed);
	struct edge_set *spare = cur == &e->sets[0] ? &e->sets[1] : &e->sets[0];

	*spare = *set;
	spare->generation = (cur ? cur->generation : 0) + 1;
	edge_set_publish(&e->core, spare, edge_dp_now_ms());
	/* Once every worker has passed a barrier, none holds the old set: it becomes the spare. */
	struct edge_cmd barrier = { .kind = EDGE_CMD_BARRIER };
	return edge_dp_run_all(e, &barrier);
}

static void send_probes(struct edge_dp *e, struct net_lcore *lc)
{
	const struct edge_set *set = atomic_load_explicit(&e->core.set, memory_order_acquire);
	uint16_t ifi = e->iface_of_role[1];

	for (uint32_t i = 0; set && i < set->n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(lc->pool);
		if (!m) {
			net_ctr_inc(&lc->ctr, NET_CTR_mbuf_alloc_fail);
			return;
		}
		int n = edge_probe_build(&e->core, &set->node[i], ++e->probe_seq,
					 rte_pktmbuf_mtod(m, char *), rte_pktmbuf_tailroom(m));
		if (n < 0 || !rte_pktmbuf_append(m, (uint16_t)n) ||
		    net_udp_prepend(m, lc->ifaces[ifi].addr, rte_cpu_to_be_32(set->node[i].ip),
				    e->core.port, set->node[i].port, 0) < 0) {
			rte_pktmbuf_free(m);
			continue;
		}
		net_output_ipv4(lc, ifi, m);
	}
}

/* Main lcore: a density ban raised by worker `from` goes to every other worker. */
static void share_ban(struct edge_dp *e, unsigned from, const struct flt_ban_notice *notice)
{
	struct flt_ban_notice copy = *notice;	/* the ring API takes a non-const pointer */
	struct flt_ban_notice *n = &copy;

	for (unsigned j = 0; j < e->n_workers; j++) {
		if (j == from || !e->w[j].attached)
			continue;
		/* The ring's enqueue is a release: the worker sees the whole notice. */
		if (rte_ring_sp_enqueue_elem(e->w[j].peer_bans, n, sizeof(*n)) != 0)
			atomic_fetch_add_explicit(&e->ban_share_lost, 1, memory_order_relaxed);
	}
}

static void publish_notices(struct edge_dp *e,
			    int (*publish)(void *arg, const bugle_dp_Event *ev), void *arg)
{
	struct flt_ban_notice n[16];
	for (unsigned i = 0; i < e->n_workers; i++) {
		if (!e->w[i].attached)
			continue;
		unsigned got = rte_ring_sc_dequeue_burst_elem(e->w[i].notices, n, sizeof(n[0]), 16,
							      NULL);
		for (unsigned k = 0; k < got; k++)
			share_ban(e, i, &n[k]);
		for (unsigned k = 0; k < got && publish; k++) {
			bugle_dp_Event ev = bugle_dp_Event_init_zero;
			ev.kind = bugle_dp_EventKind_EVENT_BAN_ADDED;
			ev.has_ban = true;
			edge_ipv4_format(n[k].ip, ev.ban.source);
			ev.ban.seconds = n[k].ban_seconds;
			snprintf(ev.ban.reason, sizeof(ev.ban.reason), "density");
			publish(arg, &ev);
		}
	}
}

void edge_dp_main_tick(struct edge_dp *e, struct net_lcore *lc,
		       int (*publish)(void *arg, const bugle_dp_Event *ev), void *arg)
{
	if (!e)
		return;
	uint64_t now = edge_dp_now_ms();
	if (now >= e->next_probe_ms) {
		send_probes(e, lc);
		e->next_probe_ms = now + (uint64_t)e->cfg.probe_interval_ms;
	}
	publish_notices(e, publish, arg);
}

size_t edge_dp_counters(const struct edge_dp *e, const char **names, uint64_t *values,
			size_t cap)
{
	static const char *const fault_names[] = {
#define EDGE_FAULT_NAME(id, status, reason, counter) "sip_fault_" counter,
		SIP_FAULTS(EDGE_FAULT_NAME)
#undef EDGE_FAULT_NAME
	};
	static char flt_names[FLT_COUNTER_COUNT][48];
	size_t n = 0;

	if (!e)
		return 0;
	for (unsigned c = 0; c < EDGE_COUNTER_COUNT && n < cap; c++, n++) {
		uint64_t sum = 0;
		if (c == EDGE_C_not_worker)
			sum = atomic_load_explicit(&e->not_worker, memory_order_relaxed);
		else if (c == EDGE_C_ban_share_lost)
			sum = atomic_load_explicit(&e->ban_share_lost, memory_order_relaxed);
		for (unsigned i = 0; i < e->n_workers; i++)
			sum += atomic_load_explicit(&e->w[i].ew.ctr[c], memory_order_relaxed);
		names[n] = edge_counter_name(c);
		values[n] = sum;
	}
	for (unsigned f = 1; f < SIP_FAULT__COUNT && n < cap; f++, n++) {
		uint64_t sum = 0;
		for (unsigned i = 0; i < e->n_workers; i++)
			sum += atomic_load_explicit(&e->w[i].ew.fault[f], memory_order_relaxed);
		names[n] = fault_names[f];
		values[n] = sum;
	}
	uint64_t fv[FLT_COUNTER_COUNT] = { 0 };
	for (unsigned i = 0; i < e->n_workers; i++) {
		uint64_t one[FLT_COUNTER_COUNT];
		if (!e->w[i].attached)
			continue;
		flt_counters_read(e->w[i].ew.flt, one);
		for (unsigned c = 0; c < FLT_COUNTER_COUNT; c++)
			fv[c] += one[c];
	}
	for (unsigned c = 0; c < FLT_COUNTER_COUNT && n < cap; c++, n++) {
		/* Written once by the main lcore (the only caller), read-only afterwards. */
		if (!flt_names[c][0])
			snprintf(flt_names[c], sizeof(flt_names[c]), "flt_%s", flt_counter_name(c));
		names[n] = flt_names[c];
		values[n] = fv[c];
	}
	return n;
}
