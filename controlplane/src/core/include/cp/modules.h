/* Running the module table's hooks in order (start) and reverse order (stop). The table itself
 * is the program's: bugle-controlplane's is in module-table.c (one line per module); tests
 * build their own from the core modules declared here.
 * Return convention: 0 or a negative errno.
 */
#ifndef CP_MODULES_H
#define CP_MODULES_H

#include "cp/context-t.h"
#include "cp/module-t.h"

#include <stddef.h>

/* The core's modules. */
extern const struct cp_module cp_module_log;
extern const struct cp_module cp_module_store;
extern const struct cp_module cp_module_bus;
extern const struct cp_module cp_module_dataplanes;
extern const struct cp_module cp_module_status;

/* bugle-controlplane's table, in start order (module-table.c, linked into the program only). */
const struct cp_module_table *cp_module_table(void);

/* init every module of ctx->modules, then start each; on failure, stops what ran and returns
 * the error. */
int cp_modules_start(struct cp_ctx *ctx);
/* stop, in reverse order, every module that ran init. Idempotent. */
void cp_modules_stop(struct cp_ctx *ctx);
void cp_modules_reload(struct cp_ctx *ctx, const struct cp_config *old);

#endif
