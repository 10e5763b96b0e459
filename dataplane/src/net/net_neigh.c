/* Set-associative table (NET_NEIGH_WAYS entries per bucket) so that a full bucket evicts its
 * oldest learnt entry instead of growing, and lookups touch a bounded number of cache lines. */
#include "net_neigh.h"

#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "net_counters.h"

#define MAC_STATE_SHIFT 48
#define SEQLOCK_READ_TRIES 4

unsigned net_neigh_bucket(rte_be32_t ip)
{
	/* Fibonacci hashing: the low bits of IPv4 addresses are the ones that vary. */
	uint32_t h = (uint32_t)ip * 2654435761u;
	return (h >> 24) & (NET_NEIGH_BUCKETS - 1);
}

static uint64_t pack_mac_state(const struct rte_ether_addr *mac, enum net_neigh_state st)
{
	uint64_t v = 0;
	if (mac)
		memcpy(&v, mac->addr_bytes, RTE_ETHER_ADDR_LEN);	/* little-endian host: bits 0..47 */
	return v | ((uint64_t)st << MAC_STATE_SHIFT);
}

static void unpack_mac(uint64_t v, struct rte_ether_addr *mac)
{
	memcpy(mac->addr_bytes, &v, RTE_ETHER_ADDR_LEN);
}

static enum net_neigh_state state_of(uint64_t v)
{
	return (enum net_neigh_state)((v >> MAC_STATE_SHIFT) & 0xff);
}

/* Main lcore only: rewrite the shared fields of e under its sequence counter. */
static void entry_publish(struct net_neigh_entry *e, rte_be32_t ip, uint64_t mac_state)
{
	uint32_t s = atomic_load_explicit(&e->seq, memory_order_relaxed);
	atomic_store_explicit(&e->seq, s + 1, memory_order_relaxed);
	/* release fence: a reader that sees any of the new fields below also sees the odd seq. */
	atomic_thread_fence(memory_order_release);
	atomic_store_explicit(&e->ip, (uint32_t)ip, memory_order_relaxed);
	atomic_store_explicit(&e->mac_state, mac_state, memory_order_relaxed);
	/* release: the fields above are visible before the even seq that marks them stable. */
	atomic_store_explicit(&e->seq, s + 2, memory_order_release);
}

void net_neigh_init(struct net_neigh_table *t, const struct net_neigh_params *p)
{
	memset(t, 0, sizeof(*t));
	t->params = *p;
	if (t->params.max_probes == 0)
		t->params.max_probes = 1;
	if (t->params.pending_max == 0)
		t->params.pending_max = NET_NEIGH_PENDING_DEFAULT;
	if (t->params.pending_max > NET_NEIGH_PENDING_SLOTS)
		t->params.pending_max = NET_NEIGH_PENDING_SLOTS;
	for (unsigned i = 0; i < NET_NEIGH_PENDING_SLOTS; i++)
		t->slot[i].next = (uint16_t)(i + 1 < NET_NEIGH_PENDING_SLOTS ? i + 1
									: NET_NEIGH_SLOT_NONE);
	t->free_slot = 0;
}

/* Queue m behind e's other pending packets; -ENOBUFS when e has its share or the pool is empty. */
static int pending_push(struct net_neigh_table *t, struct net_neigh_entry *e, struct rte_mbuf *m)
{
	if (e->n_pending >= t->params.pending_max || t->free_slot == NET_NEIGH_SLOT_NONE)
		return -ENOBUFS;
	uint16_t s = t->free_slot;
	t->free_slot = t->slot[s].next;
	t->slot[s] = (struct net_neigh_slot){ .m = m, .next = NET_NEIGH_SLOT_NONE };
	if (e->n_pending == 0)
		e->pending_head = s;
	else
		t->slot[e->pending_tail].next = s;
	e->pending_tail = s;
	e->n_pending++;
	return 0;
}

/* The oldest pending packet of e (its slot back on the free list); NULL when none. */
static struct rte_mbuf *pending_pop(struct net_neigh_table *t, struct net_neigh_entry *e)
{
	if (e->n_pending == 0)
		return NULL;
	uint16_t s = e->pending_head;
	struct rte_mbuf *m = t->slot[s].m;
	e->pending_head = t->slot[s].next;
	e->n_pending--;
	t->slot[s] = (struct net_neigh_slot){ .m = NULL, .next = t->free_slot };
	t->free_slot = s;
	return m;
}

int net_neigh_lookup(const struct net_neigh_table *t, rte_be32_t ip, struct rte_ether_addr *mac)
{
	const struct net_neigh_entry *b = &t->e[net_neigh_bucket(ip) * NET_NEIGH_WAYS];
	for (unsigned w = 0; w < NET_NEIGH_WAYS; w++) {
		const struct net_neigh_entry *e = &b[w];
		for (unsigned tries = 0; tries < SEQLOCK_READ_TRIES; tries++) {
			/* acquire: pairs with the release store of the even seq in entry_publish. */
			uint32_t s1 = atomic_load_explicit(&e->seq, memory_order_acquire);
			if (s1 & 1)
				continue;
			uint32_t eip = atomic_load_explicit(&e->ip, memory_order_relaxed);
			uint64_t ms = atomic_load_explicit(&e->mac_state, memory_order_relaxed);
			/* acquire fence: the loads above complete before seq is read again. */
			atomic_thread_fence(memory_order_acquire);
			if (atomic_load_explicit(&e->seq, memory_order_relaxed) != s1)
				continue;
			if (eip != (uint32_t)ip)
				break;
			if (state_of(ms) != NET_NEIGH_REACHABLE)
				return -ENOENT;
			unpack_mac(ms, mac);
			return 0;
		}
	}
	return -ENOENT;
}

static struct net_neigh_entry *find(struct net_neigh_table *t, rte_be32_t ip)
{
	struct net_neigh_entry *b = &t->e[net_neigh_bucket(ip) * NET_NEIGH_WAYS];
	for (unsigned w = 0; w < NET_NEIGH_WAYS; w++) {
		uint64_t ms = atomic_load_explicit(&b[w].mac_state, memory_order_relaxed);
		if (state_of(ms) != NET_NEIGH_FREE &&
		    atomic_load_explicit(&b[w].ip, memory_order_relaxed) == (uint32_t)ip)
			return &b[w];
	}
	return NULL;
}

/* A free way of ip's bucket, else the learnt entry closest to expiry; NULL if every way is
 * still resolving (those hold queued packets and are given up on by net_neigh_tick). */
static struct net_neigh_entry *claim(struct net_neigh_table *t, rte_be32_t ip)
{
	struct net_neigh_entry *b = &t->e[net_neigh_bucket(ip) * NET_NEIGH_WAYS];
	struct net_neigh_entry *victim = NULL;
	for (unsigned w = 0; w < NET_NEIGH_WAYS; w++) {
		enum net_neigh_state st =
			state_of(atomic_load_explicit(&b[w].mac_state, memory_order_relaxed));
		if (st == NET_NEIGH_FREE)
			return &b[w];
		if (st == NET_NEIGH_REACHABLE && (!victim || b[w].deadline_ms < victim->deadline_ms))
			victim = &b[w];
	}
	return victim;
}

static void drop_pending(struct net_neigh_table *t, struct net_neigh_entry *e,
			 struct net_counters *ctr)
{
	struct rte_mbuf *m;
	while ((m = pending_pop(t, e)) != NULL) {
		rte_pktmbuf_free(m);
		if (ctr)
			net_ctr_inc(ctr, NET_CTR_tx_drop_no_arp);
	}
}

static int queue_or_drop(struct net_neigh_table *t, struct net_neigh_entry *e,
			 struct net_counters *ctr, struct rte_mbuf *m)
{
	if (pending_push(t, e, m) == 0)
		return 0;
	rte_pktmbuf_free(m);
	net_ctr_inc(ctr, NET_CTR_tx_drop_arp_queue_full);
	return -ENOBUFS;
}

int net_neigh_resolve(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		      struct net_counters *ctr, rte_be32_t ip, struct rte_mbuf *m, uint64_t now_ms)
{
	struct net_neigh_entry *e = find(t, ip);
	if (e) {
		uint64_t ms = atomic_load_explicit(&e->mac_state, memory_order_relaxed);
		if (state_of(ms) == NET_NEIGH_REACHABLE) {
			struct rte_ether_addr mac;
			unpack_mac(ms, &mac);
			ops->send_packet(ops->arg, m, &mac);
			return 0;
		}
		return queue_or_drop(t, e, ctr, m);
	}

	e = claim(t, ip);
	if (!e) {
		rte_pktmbuf_free(m);
		net_ctr_inc(ctr, NET_CTR_tx_drop_arp_queue_full);
		return -ENOSPC;
	}
	drop_pending(t, e, ctr);
	entry_publish(e, ip, pack_mac_state(NULL, NET_NEIGH_INCOMPLETE));
	e->probes = 1;
	e->deadline_ms = now_ms + t->params.probe_interval_ms;
	/* Ask on the first miss, before queueing: even a packet that finds the pool empty starts
	 * the resolution, so the ones after it are sent as soon as the answer comes. */
	ops->send_request(ops->arg, ip);
	net_ctr_inc(ctr, NET_CTR_tx_arp_request);
	return queue_or_drop(t, e, ctr, m);
}

int net_neigh_learn(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		    struct net_counters *ctr, rte_be32_t ip, const struct rte_ether_addr *mac,
		    uint64_t now_ms)
{
	if (ip == 0 || !rte_is_unicast_ether_addr(mac))
		return -EINVAL;
	struct net_neigh_entry *e = find(t, ip);
	if (!e)
		e = claim(t, ip);
	if (!e)
		return -ENOSPC;
	if (atomic_load_explicit(&e->ip, memory_order_relaxed) != (uint32_t)ip)
		drop_pending(t, e, ctr);	/* evicting someone else's entry */
	entry_publish(e, ip, pack_mac_state(mac, NET_NEIGH_REACHABLE));
	e->deadline_ms = now_ms + t->params.reachable_ms;
	e->refresh_ms = 0;
	e->probes = 0;
	struct rte_mbuf *m;
	while ((m = pending_pop(t, e)) != NULL)	/* in arrival order */
		ops->send_packet(ops->arg, m, mac);
	return 0;
}

/* How long before a learnt entry's expiry the requests that renew it start: as many as an
 * unresolved address gets, at most half the entry's life. */
static uint64_t refresh_window(const struct net_neigh_table *t)
{
	uint64_t w = (uint64_t)t->params.max_probes * t->params.probe_interval_ms;
	return RTE_MIN(w, (uint64_t)t->params.reachable_ms / 2);
}

void net_neigh_tick(struct net_neigh_table *t, const struct net_neigh_ops *ops,
		    struct net_counters *ctr, uint64_t now_ms)
{
	for (unsigned i = 0; i < RTE_DIM(t->e); i++) {
		struct net_neigh_entry *e = &t->e[i];
		enum net_neigh_state st =
			state_of(atomic_load_explicit(&e->mac_state, memory_order_relaxed));
		if (st == NET_NEIGH_FREE)
			continue;
		rte_be32_t ip = (rte_be32_t)atomic_load_explicit(&e->ip, memory_order_relaxed);
		if (st == NET_NEIGH_REACHABLE && now_ms < e->deadline_ms) {
			/* Ask again before expiry while the entry is still used: an answer renews
			 * it, so a busy flow never waits on a fresh resolution (whose queue holds
			 * pending_max packets) every reachable_ms. */
			if (now_ms + refresh_window(t) >= e->deadline_ms && now_ms >= e->refresh_ms) {
				e->refresh_ms = now_ms + t->params.probe_interval_ms;
				ops->send_request(ops->arg, ip);
				net_ctr_inc(ctr, NET_CTR_tx_arp_request);
			}
			continue;
		}
		if (now_ms < e->deadline_ms)
			continue;
		if (st == NET_NEIGH_INCOMPLETE && e->probes < t->params.max_probes) {
			e->probes++;
			e->deadline_ms = now_ms + t->params.probe_interval_ms;
			ops->send_request(ops->arg, ip);
			net_ctr_inc(ctr, NET_CTR_tx_arp_request);
			continue;
		}
		/* Learnt entry expired, or nobody answered: forget it. The next packet re-resolves. */
		drop_pending(t, e, ctr);
		entry_publish(e, 0, pack_mac_state(NULL, NET_NEIGH_FREE));
	}
}

void net_neigh_flush(struct net_neigh_table *t)
{
	for (unsigned i = 0; i < RTE_DIM(t->e); i++) {
		drop_pending(t, &t->e[i], NULL);
		entry_publish(&t->e[i], 0, pack_mac_state(NULL, NET_NEIGH_FREE));
	}
}
