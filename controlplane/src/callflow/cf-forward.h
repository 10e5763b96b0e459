/* Call forwards rung as KAZOO's loopback rings them: the forward number dialed as if the
 * account dialed it.
 * Return convention: predicates return bool; the expansion's result arrives through its
 * callback.
 *
 * A forward's number is looked up among the account's callflows (exact number, then pattern;
 * no_match does not count). A callflow whose first module is `device`, `user` or `ring_group`
 * gives what that module rings (their own forwards are not followed, so forwards cannot loop;
 * the forwarding device itself is left out); one whose first module is `resources`/`offnet`,
 * or no callflow at all, sends the number out through the account's carrier resources: the
 * gateways of each usable resource, cheapest first, as failover ranks of the forward's own
 * group (cf_endpoint.failover_group/rank: the next carrier rings when the previous one failed
 * over). A callflow starting with any other module is walked as KAZOO's loopback walks it
 * (cf-loopback.h) to what it would ring. The forward's delay, timeout and caller id (the
 * forwarding device's external one unless keep_caller_id) go to what it yields.
 */
#ifndef BUGLE_CF_FORWARD_H
#define BUGLE_CF_FORWARD_H

#include <stdbool.h>

#include "cf-endpoint.h"

/* Whether the list holds a forward (CF_EP_FORWARD) to expand. */
bool cf_forward_any(const struct cf_ep_list *list);

/* err: 0, or a negative errno for faults (forwards that reach nobody are skipped: see
 * list->why). The callback owns list (cf_ep_list_release). */
typedef void (*cf_forward_fn)(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list);

/* Takes list; the callback gets it with every forward replaced, in place, by what its number
 * reaches (possibly nothing). May complete before it returns. */
void cf_forward_expand(struct cf_flow *f, struct cf_ep_list *list, cf_forward_fn cb, void *arg);

#endif
