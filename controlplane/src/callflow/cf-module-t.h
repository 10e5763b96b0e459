/* Types only: a callflow module, as listed in the one module table (cf-module-table.c).
 * Return convention: none (types only).
 */
#ifndef BUGLE_CF_MODULE_T_H
#define BUGLE_CF_MODULE_T_H

#include <jansson.h>

struct cf_flow;

struct cf_module {
	const char *name;	/* the callflow node's "module" */
	/* Runs the node; data is the node's "data" object (borrowed, lives as long as the flow).
	 * Must end as cf-flow.h says. */
	void (*run)(struct cf_flow *f, const json_t *data);
};

#endif
