/* The accounts' webhooks: loaded from the document store through the pg pool, reloaded when
 * the bus announces a webhook (or account) change, fired on matching call events with signed
 * requests, retried with back-off up to each hook's `retries`, and switched off (document
 * updated with enabled=false and a disabled_reason, change announced) after too many failures
 * in a window. Bounded: in-flight requests, queued deliveries (beyond: counted drops).
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread.
 */
#ifndef CALLS_WEBHOOKS_H
#define CALLS_WEBHOOKS_H

#include "calls-leg-t.h"

#include <stdint.h>
#include <uv.h>

struct cp_pg_pool;
struct cp_bus;
struct calls_webhooks;

struct calls_webhooks_options {
	struct cp_pg_pool *pg;
	struct cp_bus *bus;		/* NULL: no reload on changes (periodic reload only) */
	const char *node;
	unsigned max_in_flight;
	unsigned queue_max;		/* deliveries waiting or scheduled for a retry */
	long timeout_ms;		/* whole request */
	uint64_t backoff_base_ms, backoff_cap_ms;
	unsigned disable_failures;	/* failures ... */
	uint64_t disable_window_ms;	/* ... within this window switch a hook off */
	uint64_t reload_ms;		/* full reload period (a safety net for missed events) */
};

struct calls_webhooks_stats {
	uint64_t hooks;			/* loaded */
	uint64_t load_failures;
	uint64_t fired;			/* deliveries queued */
	uint64_t delivered;		/* 2xx answers */
	uint64_t failed_attempts;	/* non-2xx or transport errors */
	uint64_t retries;
	uint64_t gave_up;		/* retries exhausted */
	uint64_t dropped_queue_full;
	uint64_t cancelled;		/* hook removed or disabled before its turn */
	uint64_t unsigned_sent;		/* hook without a secret */
	uint64_t disabled;		/* hooks this node switched off */
	uint64_t pending;		/* queued, waiting for a retry or in flight now */
};

struct calls_webhooks *calls_webhooks_new(uv_loop_t *loop,
					  const struct calls_webhooks_options *opt);
/* Load now and subscribe to document changes. */
int calls_webhooks_start(struct calls_webhooks *wh);
/* Queue one delivery per matching enabled hook. Returns how many were queued. */
int calls_webhooks_fire(struct calls_webhooks *wh, enum calls_event_kind kind,
			const struct calls_leg *leg);
void calls_webhooks_stats(const struct calls_webhooks *wh, struct calls_webhooks_stats *out);
/* Drop what is queued, abort requests, close handles; frees itself once libuv closed them. */
void calls_webhooks_close(struct calls_webhooks *wh);

#endif
