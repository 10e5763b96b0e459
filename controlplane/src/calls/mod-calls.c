/* The calls module: call events, live channels, CDRs and webhooks over the store and bus
 * modules' pool and connection. */
#include "bugle/log.h"
#include "calls.h"
#include "cp/context-t.h"
#include "cp/modules.h"

#include <errno.h>
#include <unistd.h>

/* The context has no slot for this module (it belongs to the core); until it does, the module
 * keeps its service here, read by this file's hooks only. */
static struct calls_service *module_service;

static int calls_init(struct cp_ctx *ctx)
{
	struct calls_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	int rc = calls_config_from(&cfg, &ctx->cfg, &err);
	if (rc < 0) {
		BGL_ERR("calls: settings: %s", err.msg);
		return rc;
	}
	char host[64] = "";
	const char *node = ctx->cfg.node_name;
	if (!node[0]) {
		gethostname(host, sizeof(host) - 1);
		node = host;
	}
	struct calls_options o = { .pg = ctx->pg, .bus = ctx->bus, .node = node, .cfg = &cfg };
	module_service = calls_service_new(ctx->loop, &o);
	return module_service ? 0 : -ENOMEM;
}

static int calls_start(struct cp_ctx *ctx)
{
	(void)ctx;
	return calls_service_start(module_service);
}

static void calls_stop(struct cp_ctx *ctx)
{
	(void)ctx;
	calls_service_close(module_service);
	module_service = NULL;
}

const struct cp_module cp_module_calls = {
	.name = "calls",
	.init = calls_init,
	.start = calls_start,
	.stop = calls_stop,
};
