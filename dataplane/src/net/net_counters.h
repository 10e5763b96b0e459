/* Counter names and per-lcore increments. Lookups return a pointer or NULL; the rest return
 * nothing (an increment cannot fail).
 */
#ifndef BUGLE_NET_COUNTERS_H
#define BUGLE_NET_COUNTERS_H

#include "net_counters-t.h"

/* Name of a counter as shown in stats ("rx_drop_ttl"), or NULL past the table. */
const char *net_counter_name(unsigned id);
const char *net_counter_help(unsigned id);

/* Only the owning lcore writes, so a relaxed load and store is enough (no locked add); the store
 * is atomic so a stats reader on another lcore never sees a torn value. */
static inline void net_ctr_add(struct net_counters *c, enum net_counter_id id, uint64_t n)
{
	uint64_t v = __atomic_load_n(&c->v[id], __ATOMIC_RELAXED);
	__atomic_store_n(&c->v[id], v + n, __ATOMIC_RELAXED);
}

static inline void net_ctr_inc(struct net_counters *c, enum net_counter_id id)
{
	net_ctr_add(c, id, 1);
}

/* Reader side: any lcore. */
static inline uint64_t net_ctr_read(const struct net_counters *c, enum net_counter_id id)
{
	return __atomic_load_n(&c->v[id], __ATOMIC_RELAXED);
}

#endif
