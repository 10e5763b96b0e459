/* Types only: an account's concurrent-call limits (its `limits` document) and what it uses now.
 * Return convention: none (types only).
 *
 * Owner: the loop thread; a call keeps the limits read with its INVITE (read-only after).
 */
#ifndef CALL_LIMITS_T_H
#define CALL_LIMITS_T_H

#include <stdbool.h>

/* -1: no limit (the schema's default for every field). */
struct call_limits {
	int inbound_trunks, outbound_trunks, twoway_trunks;
	int calls;			/* calls of any kind */
	int resource_consuming_calls;	/* calls through a carrier, either way */
	bool soft_inbound, soft_outbound;	/* over the trunks: let through, counted */
};

/* Live calls of one account on this node. */
struct call_usage {
	unsigned calls, inbound, outbound, resource;
};

enum call_trunk {
	CALL_TRUNK_NONE,		/* a call between the account's own devices */
	CALL_TRUNK_INBOUND,		/* from a carrier */
	CALL_TRUNK_OUTBOUND,		/* to a carrier */
};

enum call_limit_verdict {
	CALL_LIMIT_OK,
	CALL_LIMIT_SOFT,		/* over the trunks, let through by soft_limit_* */
	CALL_LIMIT_EXCEEDED,
};

#endif
