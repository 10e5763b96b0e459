/* The sip module: the SIP node on sip.listen over the store and bus modules' pool and
 * connection, asking the data planes in dataplane.control for bans. Its node is ctx->sip. */
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/modules.h"
#include "csip-config.h"
#include "csip.h"

#include <errno.h>
#include <string.h>

static int sip_init(struct cp_ctx *ctx)
{
	struct csip_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	int rc = csip_config_from(&cfg, &ctx->cfg, &err);
	if (rc < 0) {
		BGL_ERR("sip: settings: %s", err.msg);
		return rc;
	}
	struct csip_node_options o = {
		.cfg = &cfg,
		.pg = ctx->pg,
		.bus = ctx->bus,
		.node = ctx->cfg.node_name, /* the daemon filled it from the host name */
		.dp_control = ctx->cfg.dp_control,
	};
	ctx->sip = csip_node_new(ctx->loop, &o);
	return ctx->sip ? 0 : -ENOMEM;
}

static int sip_start(struct cp_ctx *ctx)
{
	return csip_node_start(ctx->sip);
}

static void sip_stop(struct cp_ctx *ctx)
{
	csip_node_close(ctx->sip);
	ctx->sip = NULL;
}

const struct cp_module cp_module_sip = {
	.name = "sip",
	.init = sip_init,
	.start = sip_start,
	.stop = sip_stop,
};
