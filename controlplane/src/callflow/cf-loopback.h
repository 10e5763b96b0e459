/* A forward's number walked through the account's callflow as KAZOO's loopback walks it, but
 * without ringing anything: the engine's own modules run (temporal_route, set_cid, callflow
 * jumps, ...) until the walk reaches what it would ring.
 * Return convention: nothing to return; the result arrives through the callback.
 *
 * What the walk yields:
 * - the endpoints of its first bridge of devices (device, user, ring_group; their own forwards
 *   are not followed, so forwards cannot loop), then the walk stops;
 * - gateway bridges (resources/offnet): every carrier the module would try, in its order, as
 *   failover ranks 0, 1, ... (cf_endpoint.failover_rank); a device bridge after them is not
 *   rung;
 * - caller id set on the way (set_cid, prepend_cid) on what follows without one of its own.
 * Operations that need the call answered (answer, play) fail in the walk (`play` goes on with
 * its "_" child); a `response` rings nobody (the forward is skipped with that answer). Loop guard and step limits are the
 * engine's; a walk that errs rings nobody.
 */
#ifndef BUGLE_CF_LOOPBACK_H
#define BUGLE_CF_LOOPBACK_H

#include <jansson.h>

#include "cf-endpoint.h"
#include "cf-lookup.h"

/* err: 0, or a negative errno when the walk could not start. The callback owns list. */
typedef void (*cf_loopback_fn)(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list);

/* Walks m->callflow (taken with its own reference) for number as the parent's call would;
 * captures come from m. May complete before it returns. */
void cf_loopback_run(struct cf_flow *parent, const char *number, const struct cf_match *m,
		     cf_loopback_fn cb, void *arg);

#endif
