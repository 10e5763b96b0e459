/* Types only: a control-plane module as registered in the one module table (modules.c).
 * Return convention: init and start return 0 or a negative errno; the others return nothing.
 */
#ifndef CP_MODULE_T_H
#define CP_MODULE_T_H

#include "cp/config-t.h"

#include <stddef.h>

struct cp_ctx;

struct cp_module {
	const char *name;
	/* Allocate and do synchronous set-up (start-up only, may block: migrations). */
	int (*init)(struct cp_ctx *ctx);
	/* Start asynchronous work on the loop. */
	int (*start)(struct cp_ctx *ctx);
	/* Close every handle the module owns; the loop then drains them. Called in reverse
	 * table order for every module whose init ran, even if that init or its start failed
	 * or start never ran: it must cope with partial state. */
	void (*stop)(struct cp_ctx *ctx);
	/* Reloadable settings changed (ctx->cfg is new, old is the previous one). */
	void (*reload)(struct cp_ctx *ctx, const struct cp_config *old);
};

/* A program's modules, in start order. */
struct cp_module_table {
	const struct cp_module *const *items;
	size_t count;
};

#endif
