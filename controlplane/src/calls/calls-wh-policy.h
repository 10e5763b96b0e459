/* When a webhook is retried and when it is switched off: exponential back-off between attempts
 * and the auto-disable window (KAZOO disables a hook after repeated failures).
 * Return convention: values are returned directly; the window returns true when it trips.
 */
#ifndef CALLS_WH_POLICY_H
#define CALLS_WH_POLICY_H

#include <stdbool.h>
#include <stdint.h>

/* Delay before retry number `retry` (1 = the first retry): base, 2 base, 4 base, ... capped. */
uint64_t calls_wh_backoff_ms(unsigned retry, uint64_t base_ms, uint64_t cap_ms);

#define CALLS_WH_WINDOW_SLOTS 16

/* The times of the most recent failures of one webhook. Zero-initialise. */
struct calls_wh_window {
	uint64_t at_ms[CALLS_WH_WINDOW_SLOTS];
	unsigned next, count;
};

/* Record a failure at now_ms; true when the last `max` failures (max <= slots) all fall within
 * window_ms, i.e. the hook must be disabled. */
bool calls_wh_window_failure(struct calls_wh_window *w, uint64_t now_ms, unsigned max,
			     uint64_t window_ms);

#endif
