/* Relay counter names and per-lcore increments. Lookups return a pointer or NULL; increments
 * return nothing; the sum returns the value.
 */
#ifndef BUGLE_RELAY_COUNTERS_H
#define BUGLE_RELAY_COUNTERS_H

#include "relay_counters-t.h"

const char *relay_counter_name(unsigned id);
const char *relay_counter_help(unsigned id);

/* Single writer per struct (its lcore): a relaxed load and store, never a locked add. */
static inline void relay_ctr_inc(struct relay_counters *c, enum relay_counter_id id)
{
	uint64_t v = __atomic_load_n(&c->v[id], __ATOMIC_RELAXED);
	__atomic_store_n(&c->v[id], v + 1, __ATOMIC_RELAXED);
}

static inline uint64_t relay_ctr_read(const struct relay_counters *c, enum relay_counter_id id)
{
	return __atomic_load_n(&c->v[id], __ATOMIC_RELAXED);
}

#endif
