/* Types only, internal to the callflow library: one call's walk through its callflows and the
 * engine that owns the walks.
 * Return convention: none (types only).
 *
 * Owner: the loop thread reads and writes everything here.
 */
#ifndef BUGLE_CF_FLOW_T_H
#define BUGLE_CF_FLOW_T_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "cf-call-t.h"
#include "cf-docs-t.h"
#include "cf-engine-t.h"

#define CF_CAPTURES_MAX 10

struct cf_tz_cache;

struct cf_engine {
	struct cf_config cfg;			/* RO */
	const struct cf_call_ops *call;		/* RO, borrowed */
	const struct cf_doc_ops *docs;		/* RO, borrowed */
	void *docs_arg;
	uint64_t rng;				/* weighted_random state (splitmix64) */
	struct cf_tz_cache *tz;			/* zones read so far */
	char zoneinfo_dir[256];
	uint64_t ended[CF_END__COUNT];
};

struct cf_flow {
	struct cf_engine *eng;
	void *call;
	unsigned refs;			/* the walk itself + one per pending operation */

	char account_id[CF_ID_MAX];
	char call_id[128];
	char dialed[CF_NUMBER_MAX];	/* as received */
	char number[CF_NUMBER_MAX];	/* normalised */
	char auth_type[16];
	char auth_id[CF_ID_MAX];
	struct cf_caller_id caller;	/* presented now (set_cid changes it) */
	struct cf_caller_id received;	/* as the call came in */
	bool caller_is_device;		/* the call comes from one of the account's devices */

	json_t *account;		/* the account document, or NULL */
	json_t *caller_device;		/* the calling device and its owner, or NULL */
	json_t *caller_user;
	json_t *vars;			/* call variables (object) */

	char captures[CF_CAPTURES_MAX][CF_NUMBER_MAX];
	unsigned n_captures;

	json_t *held;			/* callflow documents the walk points into */
	json_t *empty;			/* {} for nodes without data */
	const json_t *node;		/* the running node */
	const json_t *next_node;	/* chosen, not yet run */
	bool in_walk;			/* the trampoline is on the stack */
	bool finished;

	struct cf_flow_report report;
	/* A forward's number walked without ringing (cf-loopback.h): its own call operations,
	 * no forwards followed, not counted in the engine's ends. NULL/false for a call's flow. */
	const struct cf_call_ops *ops;
	bool loopback;
	cf_flow_end_fn done;
	void *done_arg;
};

#endif
