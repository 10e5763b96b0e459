/* Token bucket arithmetic in integers. A bucket holds tokens scaled by FLT_TOKEN_UNIT, so that a
 * rate of r tokens per second adds exactly r units per nanosecond: no division on the fast path
 * and no rounding drift however often it is refilled.
 *
 * Return convention: flt_bucket_take returns true when a token was taken; the rest return nothing
 * or the value they compute.
 */
#ifndef BUGLE_FLT_TOKEN_BUCKET_H
#define BUGLE_FLT_TOKEN_BUCKET_H

#include <stdbool.h>
#include <stdint.h>

#include "flt-t.h"

#define FLT_TOKEN_UNIT 1000000000ull	/* units per token: one per nanosecond at 1 token/s */

static inline uint64_t flt_bucket_full(const struct flt_rate *r)
{
	return (uint64_t)r->burst * FLT_TOKEN_UNIT;
}

/* Adds what elapsed_ns earns at r->per_sec, capped at the burst. A lowered burst (new policy)
 * takes effect here too. */
static inline void flt_bucket_refill(uint64_t *units, uint64_t elapsed_ns, const struct flt_rate *r)
{
	uint64_t cap = flt_bucket_full(r);
	uint64_t add;

	if (*units >= cap) {
		*units = cap;
		return;
	}
	/* Long idle gaps overflow the product; the bucket is full then anyway. */
	if (__builtin_mul_overflow(elapsed_ns, (uint64_t)r->per_sec, &add) || add >= cap - *units)
		*units = cap;
	else
		*units += add;
}

static inline bool flt_bucket_take(uint64_t *units)
{
	if (*units < FLT_TOKEN_UNIT)
		return false;
	*units -= FLT_TOKEN_UNIT;
	return true;
}

#endif
