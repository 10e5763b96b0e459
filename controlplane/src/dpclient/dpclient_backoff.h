/* Exponential reconnect back-off with jitter, so many control planes that lose the same data
 * plane do not reconnect in lock-step.
 *
 * Return convention: dpc_backoff_next() returns a delay in milliseconds; the rest return nothing.
 */
#ifndef BUGLE_CP_DPCLIENT_BACKOFF_H
#define BUGLE_CP_DPCLIENT_BACKOFF_H

#include <stdint.h>

struct dpc_backoff {
	uint32_t min_ms;
	uint32_t max_ms;
	uint32_t base_ms;	/* the next delay is drawn from [base/2, base] */
	uint64_t rng;		/* xorshift64 state, never 0 */
};

void dpc_backoff_init(struct dpc_backoff *b, uint32_t min_ms, uint32_t max_ms, uint64_t seed);

/* The delay before the next attempt; each call doubles the base up to max_ms. */
uint32_t dpc_backoff_next(struct dpc_backoff *b);

/* After a connection proved healthy: start again from min_ms. */
void dpc_backoff_reset(struct dpc_backoff *b);

#endif
