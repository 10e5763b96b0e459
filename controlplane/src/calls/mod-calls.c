/* The calls module: call events, live channels, CDRs and webhooks over the store and bus
 * modules' pool and connection. Its service is ctx->calls. */
#include "bugle/log.h"
#include "calls.h"
#include "cp/context-t.h"
#include "cp/modules.h"

#include <errno.h>

static int calls_init(struct cp_ctx *ctx)
{
	struct calls_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	int rc = calls_config_from(&cfg, &ctx->cfg, &err);
	if (rc < 0) {
		BGL_ERR("calls: settings: %s", err.msg);
		return rc;
	}
	/* The daemon filled node_name from the host name when the settings left it empty. */
	struct calls_options o = {
		.pg = ctx->pg, .bus = ctx->bus, .node = ctx->cfg.node_name, .cfg = &cfg,
	};
	ctx->calls = calls_service_new(ctx->loop, &o);
	return ctx->calls ? 0 : -ENOMEM;
}

static int calls_start(struct cp_ctx *ctx)
{
	return calls_service_start(ctx->calls);
}

static void calls_stop(struct cp_ctx *ctx)
{
	calls_service_close(ctx->calls);
	ctx->calls = NULL;
}

const struct cp_module cp_module_calls = {
	.name = "calls",
	.init = calls_init,
	.start = calls_start,
	.stop = calls_stop,
};
