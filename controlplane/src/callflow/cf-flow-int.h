/* Internal to the engine (cf-engine.c, cf-flow.c; cf-forward.c looks numbers up as the
 * engine does, cf-loopback.c runs a forward's tree in a flow of its own): flow lifetime and
 * starting a tree.
 * Return convention: nothing to return.
 */
#ifndef BUGLE_CF_FLOW_INT_H
#define BUGLE_CF_FLOW_INT_H

#include "cf-flow-t.h"
#include "cf-flow.h"

void cf_flow_ref(struct cf_flow *f);
void cf_flow_unref(struct cf_flow *f);
/* Runs node next (trampolined). */
void cf_flow_run_node(struct cf_flow *f, const json_t *node);
/* The document interface's find_callflows, with the flow kept alive. */
void cf_flow_find_callflows(struct cf_flow *f, const char *const *numbers, size_t n,
			    cf_flow_doc_fn cb, void *arg);

#endif
