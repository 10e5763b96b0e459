/* Types only: the callflow engine's configuration, the call it runs for and how a run ends.
 * Return convention: none (types only).
 */
#ifndef BUGLE_CF_ENGINE_T_H
#define BUGLE_CF_ENGINE_T_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "cf-call-t.h"

/* RO after cf_engine_new(). */
struct cf_config {
	unsigned max_steps;		/* modules run per call, jumps included (loop guard) */
	unsigned max_jumps;		/* `callflow` jumps per call (loop guard) */
	unsigned max_group_depth;	/* ring group -> group -> group nesting */
	uint64_t seed;			/* weighted_random; the same seed gives the same order */
	const char *zoneinfo_dir;	/* TZif files; NULL: $TZDIR, else /usr/share/zoneinfo */
	const char *default_timezone;	/* when the account has none */
	time_t (*now)(void *now_arg);	/* NULL: time(NULL) */
	void *now_arg;
};

/* The call the engine routes; strings are copied by cf_flow_start(). */
struct cf_call_info {
	const char *account_id;
	const char *call_id;
	const char *dialed;		/* request user as received */
	struct cf_caller_id caller;	/* as received */
	const char *authorizing_type;	/* "device" (a registered phone), "resource" (a carrier
					 * trunk) or NULL */
	const char *authorizing_id;	/* the device or resource id */
	const char *variables;		/* JSON object of call variables for branch_variable, or
					 * NULL */
};

/* How a flow ended; the controller hangs up / releases the leg accordingly. */
enum cf_end {
	CF_END_TREE,		/* ran off the tree: no child for the result (hang up normally) */
	CF_END_STOPPED,		/* a module finished the call (bridged, responded, hung up) */
	CF_END_HANGUP,		/* the caller left */
	CF_END_NO_CALLFLOW,	/* no number, pattern or no_match callflow */
	CF_END_LOOP_GUARD,	/* max_steps or max_jumps reached */
	CF_END_ERROR,		/* bad callflow data, unknown module, document fault */
	CF_END__COUNT
};

struct cf_flow_report {
	enum cf_end end;
	char detail[160];		/* human-readable: which module, which rule, which error */
	char callflow_id[CF_ID_MAX];	/* the first callflow matched */
	unsigned steps, jumps;
	/* The last result the flow branched on (a bridge, or endpoints skipped before ringing
	 * such as a device in DND): how the caller is answered when no module answered. */
	struct cf_result last;
};

typedef void (*cf_flow_end_fn)(void *arg, const struct cf_flow_report *report);

#endif
