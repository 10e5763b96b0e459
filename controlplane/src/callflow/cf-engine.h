/* The callflow engine: finds a call's callflow and walks it, one module at a time.
 * Return convention: creators return a pointer or NULL (errno set); the rest 0 or a negative
 * errno.
 *
 * Threading: one engine per loop thread; every call and every completion on that thread.
 */
#ifndef BUGLE_CF_ENGINE_H
#define BUGLE_CF_ENGINE_H

#include "cf-call-t.h"
#include "cf-docs-t.h"
#include "cf-engine-t.h"

struct cf_engine;

struct cf_config cf_config_default(void);

/* call_ops and doc_ops are borrowed (keep them alive); docs is passed to every doc_ops call. */
struct cf_engine *cf_engine_new(const struct cf_config *cfg, const struct cf_call_ops *call_ops,
				const struct cf_doc_ops *doc_ops, void *docs);
/* Only once every flow has ended. */
void cf_engine_free(struct cf_engine *eng);

/* Routes one call: loads the caller's documents, finds the callflow for info->dialed and runs
 * it against `call`. `done` is called exactly once, possibly before this returns. -EINVAL for
 * missing account/dialed, -ENOMEM. */
int cf_flow_start(struct cf_engine *eng, const struct cf_call_info *info, void *call,
		  cf_flow_end_fn done, void *done_arg);

/* Flows ended per reason since start (a named counter per cf_end). */
uint64_t cf_engine_ended(const struct cf_engine *eng, enum cf_end end);
const char *cf_end_name(enum cf_end end);
const char *cf_cause_name(enum cf_cause cause);

#endif
