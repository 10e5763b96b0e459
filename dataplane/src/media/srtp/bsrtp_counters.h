/* Counting an outcome on a context, and the errno that goes with it. Nothing here fails.
 */
#ifndef BUGLE_BSRTP_COUNTERS_H
#define BUGLE_BSRTP_COUNTERS_H

#include "bsrtp-t.h"

/* Only the owning lcore writes, so a relaxed load and store is enough (no locked add); the store
 * is atomic so a stats reader on another lcore never sees a torn value. */
static inline void bsrtp_ctr_inc(struct bsrtp_ctx *ctx, enum bsrtp_counter_id id)
{
	uint64_t v = __atomic_load_n(&ctx->ctr.v[id], __ATOMIC_RELAXED);

	__atomic_store_n(&ctx->ctr.v[id], v + 1, __ATOMIC_RELAXED);
}

/* Minus the errno of a counter (0 for the success counters). */
int bsrtp_counter_rc(enum bsrtp_counter_id id);

/* Count a refusal and return its rc. */
static inline int bsrtp_refuse(struct bsrtp_ctx *ctx, enum bsrtp_counter_id id)
{
	bsrtp_ctr_inc(ctx, id);
	return bsrtp_counter_rc(id);
}

#endif
