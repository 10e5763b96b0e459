/* Per-account concurrent-call limits (KAZOO's `limits` document: inbound_trunks,
 * outbound_trunks, twoway_trunks, calls, resource_consuming_calls, soft_limit_*), counted over
 * the live calls of this node, and the 503 that refuses a call over them.
 * Return convention: 0 or a negative errno; predicates return bool, checks a verdict.
 *
 * Threading: the loop thread only.
 */
#ifndef CALL_LIMITS_H
#define CALL_LIMITS_H

#include "call-limits-t.h"

#include <stddef.h>

struct call;
struct call_ctl;

/* The limits of a `limits` document as JSON text; NULL, empty or unreadable text: no limits
 * (every field -1). -EINVAL when the text is not a JSON object (limits left unlimited). */
int call_limits_parse(const char *json_text, struct call_limits *out);

/* Whether one more call of kind `trunk` fits: `calls` for every call; trunks and
 * resource_consuming_calls for carrier calls. A direction with neither its own trunks nor
 * twoway trunks set is not limited; otherwise it may use its own trunks, then the twoway
 * trunks the other direction has not taken. Per-minute (prepay/postpay) calls past the trunks
 * need a balance this node does not keep, so allow_prepay lets none through. */
enum call_limit_verdict call_limits_check(const struct call_limits *l, const struct call_usage *u,
					  enum call_trunk trunk);

/* The live calls of account_id on this node, `except` (may be NULL) left out. */
void call_limits_usage(const struct call_ctl *ctl, const char *account_id,
		       const struct call *except, struct call_usage *out);

/* The call's check for a new trunk use (or just the call itself with CALL_TRUNK_NONE):
 * 0 when it may go on (the trunk is then counted as the call's), -EBUSY when refused. */
int call_limits_admit(struct call *call, enum call_trunk trunk);

/* Refuses the caller's INVITE: 503 with Reason: Q.850;cause=34;text="limit exceeded". */
int call_limits_refuse(struct call *call);

#endif
