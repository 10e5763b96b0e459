/* Banned sources with expiry, in a fixed-size 8-way set-associative table. Expired bans go
 * lazily when looked up and by a sweep that examines a bounded number of slots per call.
 *
 * Owned and written by one lcore only.
 *
 * Return convention: init, add and remove return 0 or a negative errno; sweep and list return a
 * count; banned returns true when the source is banned now.
 */
#ifndef BUGLE_FLT_BAN_TABLE_H
#define BUGLE_FLT_BAN_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flt-mem.h"
#include "flt-t.h"

#define FLT_BAN_WAYS 8

struct flt_ban_set {
	uint32_t ip[FLT_BAN_WAYS];
	uint8_t used;				/* bit per way */
	uint8_t reason[FLT_BAN_WAYS];		/* enum flt_ban_reason */
	uint64_t expires_ns[FLT_BAN_WAYS];
} __attribute__((aligned(64)));

struct flt_ban_table {
	struct flt_ban_set *sets;
	uint32_t set_mask;
	uint32_t count;				/* bans held, expired or not */
	uint32_t sweep_cursor;			/* next slot the sweep examines */
	uint64_t seed;
};

int flt_ban_table_init(struct flt_ban_table *t, const struct flt_mem *m, uint32_t capacity,
		       uint64_t seed);
void flt_ban_table_fini(struct flt_ban_table *t, const struct flt_mem *m);

/* Adds or replaces the ban of ip, except that a density ban leaves a live operator ban as it
 * is. -ENOSPC when its set holds eight live bans. */
int flt_ban_table_add(struct flt_ban_table *t, uint32_t ip, uint64_t now_ns, uint64_t expires_ns,
		      enum flt_ban_reason reason);
int flt_ban_table_remove(struct flt_ban_table *t, uint32_t ip);
bool flt_ban_table_banned(struct flt_ban_table *t, uint32_t ip, uint64_t now_ns);

void flt_ban_table_prefetch(const struct flt_ban_table *t, uint32_t ip);

/* Examines up to max_slots slots from where the last sweep stopped; returns bans removed. */
size_t flt_ban_table_sweep(struct flt_ban_table *t, uint64_t now_ns, uint32_t max_slots);

/* Copies up to max live bans, starting at slot *cursor, and leaves *cursor after the last slot
 * examined (0 once the whole table has been walked). */
size_t flt_ban_table_list(const struct flt_ban_table *t, uint64_t now_ns, struct flt_ban_info *out,
			  size_t max, uint32_t *cursor);

#endif
