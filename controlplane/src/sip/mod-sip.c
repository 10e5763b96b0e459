/* The sip module: the SIP node on sip.listen over the store and bus modules' pool and
 * connection, asking the data planes in dataplane.control for bans. */
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/modules.h"
#include "csip-config.h"
#include "csip.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* The context has no slot for this module (it belongs to the core); until it does, the module
 * keeps its node here, read by this file's hooks only. */
static struct csip_node *module_node;

struct csip_node *csip_module_node(void)
{
	return module_node;
}

static int sip_init(struct cp_ctx *ctx)
{
	struct csip_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	int rc = csip_config_from(&cfg, &ctx->cfg, &err);
	if (rc < 0) {
		BGL_ERR("sip: settings: %s", err.msg);
		return rc;
	}
	char host[64] = "";
	const char *node = ctx->cfg.node_name;
	if (!node[0]) {
		gethostname(host, sizeof(host) - 1);
		node = host;
	}
	struct csip_node_options o = {
		.cfg = &cfg,
		.pg = ctx->pg,
		.bus = ctx->bus,
		.node = node,
		.dp_control = ctx->cfg.dp_control,
	};
	module_node = csip_node_new(ctx->loop, &o);
	return module_node ? 0 : -ENOMEM;
}

static int sip_start(struct cp_ctx *ctx)
{
	(void)ctx;
	return csip_node_start(module_node);
}

static void sip_stop(struct cp_ctx *ctx)
{
	(void)ctx;
	csip_node_close(module_node);
	module_node = NULL;
}

const struct cp_module cp_module_sip = {
	.name = "sip",
	.init = sip_init,
	.start = sip_start,
	.stop = sip_stop,
};
