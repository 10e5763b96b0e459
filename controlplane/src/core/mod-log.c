/* Logging as a module: applies a reloaded log level (the logger itself is set up in main, before
 * any module runs, so start-up errors are logged too). */
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/modules.h"

static void log_reload(struct cp_ctx *ctx, const struct cp_config *old)
{
	if (ctx->cfg.log_level != old->log_level)
		bgl_log_set_level((enum bgl_log_level)ctx->cfg.log_level);
}

const struct cp_module cp_module_log = {
	.name = "log",
	.reload = log_reload,
};
