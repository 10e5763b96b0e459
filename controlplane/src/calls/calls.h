/* The calls service the call controller drives: one call per channel event publishes KAZOO's
 * call event on the bus, keeps the live channel view, fires the account's webhooks and, on
 * CHANNEL_DESTROY, stores the leg's CDR. The API reads channels and CDRs through it.
 * Return convention: creators return a pointer or NULL, lookups a JSON value or NULL, the rest
 * 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CALLS_H
#define CALLS_H

#include "calls-cdr.h"
#include "calls-config.h"
#include "calls-leg-t.h"

#include <jansson.h>
#include <uv.h>

struct cp_pg_pool;
struct cp_bus;
struct calls_service;

/* Asked to end a local call (DELETE .../channels/{call_id}); 0 or a negative errno. */
typedef int (*calls_hangup_fn)(void *arg, const char *account_id, const char *call_id);

struct calls_options {
	struct cp_pg_pool *pg;
	struct cp_bus *bus;		/* NULL: no events, no shared channel view */
	const char *node;
	const struct calls_config *cfg;
};

struct calls_stats {
	uint64_t events, events_refused, published, remote_events, remote_bad;
	uint64_t cdr_stored, cdr_queued, cdr_dropped;
	uint64_t webhooks_fired, webhooks_delivered, webhooks_failed, webhooks_disabled;
	uint64_t webhooks_dropped, webhooks_loaded, webhooks_pending;
	uint64_t channels;
};

struct calls_service *calls_service_new(uv_loop_t *loop, const struct calls_options *opt);
int calls_service_start(struct calls_service *s);
void calls_service_close(struct calls_service *s);

/* One channel event of a local leg. -EINVAL: no call_id/account_id or an unknown kind. */
int calls_event(struct calls_service *s, enum calls_event_kind kind, const struct calls_leg *leg);

/* Channels of an account, on every node (new reference; NULL on no memory). */
json_t *calls_channels_json(const struct calls_service *s, const char *account_id);
/* One channel (borrowed) or NULL. */
const json_t *calls_channel_find(const struct calls_service *s, const char *account_id,
				 const char *call_id);
/* The call controller registers how to end one of its calls. */
void calls_set_hangup(struct calls_service *s, calls_hangup_fn fn, void *arg);
/* End a call wherever it is: locally through the hook, else by asking its node over the bus.
 * -ENOENT: no such channel; -ENOTSUP: local call and no hook registered. */
int calls_hangup(struct calls_service *s, const char *account_id, const char *call_id);

void calls_service_stats(const struct calls_service *s, struct calls_stats *out);
/* This node's own live channels (calls_stats.channels also counts the peers' it knows of). */
size_t calls_local_channels(const struct calls_service *s);

#endif
