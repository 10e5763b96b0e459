/* Running the hooks of a program's module table. */
#include "cp/modules.h"

#include "bugle/log.h"

#include <errno.h>
#include <string.h>

int cp_modules_start(struct cp_ctx *ctx)
{
	if (!ctx->modules)
		return -EINVAL;
	const struct cp_module *const *table = ctx->modules->items;
	for (unsigned i = 0; i < ctx->modules->count; i++) {
		/* Counted before init runs: a failed init may have allocated part of its state,
		 * and its stop hook releases whatever is there. */
		ctx->modules_inited = i + 1;
		int rc = table[i]->init ? table[i]->init(ctx) : 0;
		if (rc < 0) {
			BGL_ERR("module %s: init failed: %s", table[i]->name, strerror(-rc));
			cp_modules_stop(ctx);
			return rc;
		}
	}
	for (unsigned i = 0; i < ctx->modules->count; i++) {
		int rc = table[i]->start ? table[i]->start(ctx) : 0;
		if (rc < 0) {
			BGL_ERR("module %s: start failed: %s", table[i]->name, strerror(-rc));
			cp_modules_stop(ctx);
			return rc;
		}
		ctx->modules_started = i + 1;
		BGL_DEBUG("module %s started", table[i]->name);
	}
	return 0;
}

void cp_modules_stop(struct cp_ctx *ctx)
{
	if (!ctx->modules)
		return;
	const struct cp_module *const *table = ctx->modules->items;
	for (unsigned i = ctx->modules_inited; i-- > 0;) {
		if (table[i]->stop)
			table[i]->stop(ctx);
		BGL_DEBUG("module %s stopped", table[i]->name);
	}
	ctx->modules_inited = 0;
	ctx->modules_started = 0;
}

void cp_modules_reload(struct cp_ctx *ctx, const struct cp_config *old)
{
	if (!ctx->modules)
		return;
	const struct cp_module *const *table = ctx->modules->items;
	for (unsigned i = 0; i < ctx->modules_started; i++)
		if (table[i]->reload)
			table[i]->reload(ctx, old);
}
