/* The media relay's lifecycle, its timers and its counters.
 * Return convention: relay_new returns a pointer or NULL (reason in err); sums return the
 * value; the rest return nothing or 0 / a negative errno.
 */
#ifndef BUGLE_RELAY_H
#define BUGLE_RELAY_H

#include <stddef.h>

#include "relay-t.h"

/* Allocates everything the relay will ever use (sessions, index, port ring, port map): nothing
 * is allocated afterwards. Start-up only. */
struct relay *relay_new(const struct relay_config *cfg, char *err, size_t err_cap);
void relay_free(struct relay *r);

/* The packet clock in nanoseconds (TSC based; one clock for workers and the main lcore). */
uint64_t relay_clock_ns(const struct relay *r);

/* Main lcore, periodically: dead-media timeouts (emit(arg, EVENT_MEDIA_TIMEOUT, ...) once per
 * silent leg) and reuse of deleted sessions whose grace period is over. */
void relay_tick(struct relay *r, uint64_t now_ns, relay_event_fn emit, void *arg);

/* This thread's counter slot (the lcore's, or the shared one of non-EAL threads). */
struct relay_counters *relay_lcore_counters(struct relay *r);

/* A counter summed over every lcore (relaxed loads). */
uint64_t relay_counter_sum(const struct relay *r, unsigned id);

/* Live sessions (deleted ones in their grace period excluded) and the table size. */
uint32_t relay_sessions_active(const struct relay *r);
uint32_t relay_sessions_max(const struct relay *r);

#endif
