/* Internal to the callflow library: what a module may do with the call it runs for.
 * Return convention: 0 or a negative errno; void calls cannot fail (a failure ends the flow
 * with CF_END_ERROR and says why in the report).
 *
 * A module's run() must end, now or from a completion, with exactly one of cf_flow_next(),
 * cf_flow_branch(), cf_flow_jump() or cf_flow_stop(). The async helpers keep the flow alive
 * until their callback has run; after the flow finished (caller gone, error) the callbacks still
 * run so that modules free their state, and the follow-up calls do nothing.
 */
#ifndef BUGLE_CF_FLOW_H
#define BUGLE_CF_FLOW_H

#include <stdarg.h>

#include "cf-flow-t.h"

/* Continues with children[key], else children["_"], else the flow ends (CF_END_TREE). */
void cf_flow_next(struct cf_flow *f, const char *key);
/* Continues by an operation's result: children[cause] ("busy", "no_answer", "failed", ...),
 * then children["sip:<code>"], then "_". ANSWERED stops the flow (the call was bridged);
 * HANGUP stops it as CF_END_HANGUP. */
void cf_flow_branch(struct cf_flow *f, struct cf_result res);
/* Runs another callflow document's tree (the flow takes the reference). */
void cf_flow_jump(struct cf_flow *f, json_t *callflow);
void cf_flow_stop(struct cf_flow *f, enum cf_end end, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The branch key for a result: "busy", "no_answer", "answered", "failed", ... */
const char *cf_result_key(struct cf_result res);

typedef void (*cf_flow_doc_fn)(struct cf_flow *f, void *arg, int err, json_t *result);
typedef void (*cf_flow_op_fn)(struct cf_flow *f, void *arg, struct cf_result res);

void cf_flow_load(struct cf_flow *f, const char *id, cf_flow_doc_fn cb, void *arg);
void cf_flow_list(struct cf_flow *f, const char *type, cf_flow_doc_fn cb, void *arg);
void cf_flow_owned_by(struct cf_flow *f, const char *type, const char *owner_id,
		      cf_flow_doc_fn cb, void *arg);
void cf_flow_save(struct cf_flow *f, const char *id, const json_t *doc, cf_flow_doc_fn cb,
		  void *arg);

/* Call operations; a NULL cb means "branch on the result" (cf_flow_branch). */
void cf_flow_bridge(struct cf_flow *f, const struct cf_bridge *b, cf_flow_op_fn cb, void *arg);
void cf_flow_answer(struct cf_flow *f, cf_flow_op_fn cb, void *arg);
void cf_flow_play(struct cf_flow *f, const char *media_id, cf_flow_op_fn cb, void *arg);
void cf_flow_respond(struct cf_flow *f, int code, const char *message, const char *media,
		     cf_flow_op_fn cb, void *arg);
void cf_flow_set_caller_id(struct cf_flow *f, const struct cf_caller_id *cid);

/* Engine services. */
uint64_t cf_flow_random(struct cf_flow *f);
time_t cf_flow_now(const struct cf_flow *f);
/* The zone the account lives in ("timezone", else the configured default). */
const char *cf_flow_timezone(const struct cf_flow *f);

/* Copies src into dst (always terminated); -ENAMETOOLONG when cut. */
int cf_copy(char *dst, size_t size, const char *src);

#endif
