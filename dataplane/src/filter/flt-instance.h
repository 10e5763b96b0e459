/* The filter instance itself, shared by the filter's own source files only.
 *
 * Ownership: every field is written by the owning lcore alone. counters[] may also be read by
 * the main lcore for stats, hence relaxed atomics (plain loads and stores on x86).
 *
 * Return convention: the inline helpers return what they compute.
 */
#ifndef BUGLE_FLT_INSTANCE_H
#define BUGLE_FLT_INSTANCE_H

#include <stdatomic.h>
#include <stdint.h>

#include "account-table.h"
#include "allow-list.h"
#include "ban-table.h"
#include "flt-mem.h"
#include "flt-t.h"
#include "source-table.h"
#include "ua-match.h"

struct flt {
	/* Fast-path view of the policy, derived by flt_policy_apply(). */
	struct flt_rate rate[FLT_METHOD_COUNT];
	uint64_t window_ns;
	uint64_t ban_ns;
	uint32_t density_requests;
	uint32_t idle_ticks;		/* source idle this long is back to its initial state */

	struct flt_source_table sources;
	struct flt_ban_table bans;
	struct flt_account_table accounts;
	struct flt_allow_list allow;
	struct flt_ua_matcher ua;

	/* "New ban" notices, drained by the owning lcore for the main lcore. */
	struct flt_ban_notice *notices;
	uint32_t notice_mask;
	uint32_t notice_head;		/* next to drain */
	uint32_t notice_tail;		/* next to fill */

	uint32_t sweep_slots;
	struct flt_mem mem;
	struct flt_policy policy;	/* as applied, for flt_policy_current() */

	_Atomic uint64_t counters[FLT_COUNTER_COUNT];
};

/* Single writer: a relaxed load and store, not a locked read-modify-write. */
static inline void flt_count(struct flt *f, enum flt_counter c)
{
	atomic_store_explicit(&f->counters[c],
			      atomic_load_explicit(&f->counters[c], memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

#endif
