/* Per-source state table; see source-table.h. */
#include "source-table.h"

#include <errno.h>
#include <string.h>

#include "flt-hash.h"

int flt_source_table_init(struct flt_source_table *t, const struct flt_mem *m, uint32_t capacity,
			  uint64_t seed)
{
	uint32_t nsets = capacity / FLT_SOURCE_WAYS;

	memset(t, 0, sizeof(*t));
	if (capacity < FLT_SOURCE_WAYS || (capacity & (capacity - 1)))
		return -EINVAL;
	t->sets = flt_mem_zalloc(m, (size_t)nsets * sizeof(*t->sets));
	t->slots = flt_mem_zalloc(m, (size_t)capacity * sizeof(*t->slots));
	if (!t->sets || !t->slots) {
		flt_source_table_fini(t, m);
		return -ENOMEM;
	}
	t->set_mask = nsets - 1;
	t->seed = seed;
	return 0;
}

void flt_source_table_fini(struct flt_source_table *t, const struct flt_mem *m)
{
	flt_mem_free(m, t->sets);
	flt_mem_free(m, t->slots);
	t->sets = NULL;
	t->slots = NULL;
}

struct flt_source *flt_source_lookup(struct flt_source_table *t, uint32_t ip, uint64_t now_ns,
				     uint32_t idle_ticks, enum flt_source_lookup *how)
{
	uint32_t set_idx = (uint32_t)flt_hash_ip(ip, t->seed) & t->set_mask;
	struct flt_source_set *set = &t->sets[set_idx];
	struct flt_source *slots = &t->slots[(size_t)set_idx * FLT_SOURCE_WAYS];
	uint32_t stamp = (uint32_t)(now_ns >> FLT_TICK_SHIFT) + 1;
	unsigned victim = 0;
	uint32_t victim_age = 0;
	bool victim_free = false;

	if (stamp == 0)
		stamp = 1;	/* 0 marks a free way; only reached when the tick counter wraps */
	for (unsigned w = 0; w < FLT_SOURCE_WAYS; w++) {
		if (set->seen[w] && set->ip[w] == ip) {
			set->seen[w] = stamp;
			*how = FLT_SOURCE_FOUND;
			return &slots[w];
		}
	}
	for (unsigned w = 0; w < FLT_SOURCE_WAYS; w++) {
		if (!set->seen[w]) {
			victim = w;
			victim_free = true;
			break;
		}
		/* Unsigned difference: ages stay right across a wrap of the tick counter. */
		uint32_t age = stamp - set->seen[w];
		if (age >= victim_age) {
			victim_age = age;
			victim = w;
		}
	}
	*how = (victim_free || victim_age >= idle_ticks) ? FLT_SOURCE_NEW : FLT_SOURCE_EVICTED;
	set->ip[victim] = ip;
	set->seen[victim] = stamp;
	memset(&slots[victim], 0, sizeof(slots[victim]));
	return &slots[victim];
}

void flt_source_prefetch(const struct flt_source_table *t, uint32_t ip)
{
	uint32_t set_idx = (uint32_t)flt_hash_ip(ip, t->seed) & t->set_mask;

	__builtin_prefetch(&t->sets[set_idx], 1);
	/* The way is unknown until the tags are read; the slots of a set span six lines, so
	 * fetch them all: cheaper than a dependent miss after the tag compare. */
	for (unsigned l = 0; l < FLT_SOURCE_WAYS * sizeof(struct flt_source); l += 64)
		__builtin_prefetch((const char *)&t->slots[(size_t)set_idx * FLT_SOURCE_WAYS] + l, 1);
}

uint32_t flt_source_table_used(const struct flt_source_table *t)
{
	uint32_t used = 0;

	for (uint32_t s = 0; s <= t->set_mask; s++)
		for (unsigned w = 0; w < FLT_SOURCE_WAYS; w++)
			used += t->sets[s].seen[w] != 0;
	return used;
}
