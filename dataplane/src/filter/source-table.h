/* Per-source state in a fixed-size, 8-way set-associative table. A source lives in the set its
 * keyed hash picks; when all eight ways are taken, the least recently seen one is evicted. The
 * tags of a set (addresses and a coarse last-seen tick) fill one cache line, so a lookup reads
 * one line of tags and then one state slot. The table never grows.
 *
 * Owned and written by one lcore only.
 *
 * Return convention: init returns 0 or a negative errno; lookup returns a slot pointer (never
 * NULL once initialised).
 */
#ifndef BUGLE_FLT_SOURCE_TABLE_H
#define BUGLE_FLT_SOURCE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flt-mem.h"
#include "flt-t.h"

#define FLT_SOURCE_WAYS 8
#define FLT_TICK_SHIFT 30	/* coarse time for LRU and idleness: 2^30 ns, about a second */

struct flt_source {
	uint64_t units[FLT_METHOD_COUNT];	/* token buckets, see token-bucket.h */
	uint64_t last_ns;			/* when the buckets were last refilled */
	uint64_t window_start_ns;		/* density window */
	uint32_t window_count;
	uint32_t reserved;			/* pads the slot to 48 bytes */
};

struct flt_source_set {
	uint32_t ip[FLT_SOURCE_WAYS];
	uint32_t seen[FLT_SOURCE_WAYS];		/* tick + 1 when last seen; 0 marks a free way */
} __attribute__((aligned(64)));

struct flt_source_table {
	struct flt_source_set *sets;
	struct flt_source *slots;		/* set * FLT_SOURCE_WAYS + way */
	uint32_t set_mask;
	uint64_t seed;
};

enum flt_source_lookup { FLT_SOURCE_FOUND, FLT_SOURCE_NEW, FLT_SOURCE_EVICTED };

int flt_source_table_init(struct flt_source_table *t, const struct flt_mem *m, uint32_t capacity,
			  uint64_t seed);
void flt_source_table_fini(struct flt_source_table *t, const struct flt_mem *m);

/* Finds ip's slot, or claims one: a free way, else one idle for at least idle_ticks ticks (its
 * state would have returned to the initial one by now), else the least recently seen (EVICTED).
 * A claimed slot is zeroed; the caller initialises it. */
struct flt_source *flt_source_lookup(struct flt_source_table *t, uint32_t ip, uint64_t now_ns,
				     uint32_t idle_ticks, enum flt_source_lookup *how);

/* Prefetches ip's set of tags and the first line of its state slots. */
void flt_source_prefetch(const struct flt_source_table *t, uint32_t ip);

/* Sources currently held (for tests and stats); walks the whole table. */
uint32_t flt_source_table_used(const struct flt_source_table *t);

#endif
