/* The call module: the call controller hooked into the sip module's node, over the store's
 * pool and a control-channel client of its own toward the first data plane. */
#include "bugle/log.h"
#include "call-ctl.h"
#include "call-keypress.h"
#include "call-play.h"
#include "calls.h"
#include "cp/context-t.h"
#include "cp/modules.h"
#include "csip.h"
#include "dpclient.h"
#include "mod-call.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The module's state: one controller per daemon. */
static struct {
	struct call_ctl *ctl;
	struct dpclient *dp;
	struct csip_node *node;
} module;

/* Digits from the data plane decide a forward's require_keypress (call-keypress.c); finished
 * prompts let the flow go on (call-play.c). */
static void dp_event(void *arg, const Bugle__Dp__Event *ev)
{
	(void)arg;
	if (module.ctl) {
		call_keypress_event(module.ctl, ev);
		call_play_event(module.ctl, ev);
	}
}

/* The first address of dataplane.control ("a, b" lists every data plane). The core's own
 * clients are private to mod-dataplanes.c; media sessions need one we can call. */
static struct dpclient *own_dpclient(struct cp_ctx *ctx)
{
	char addr[128];
	const char *p = ctx->cfg.dp_control;
	while (*p == ' ' || *p == ',')
		p++;
	size_t n = strcspn(p, ", ");
	if (n == 0 || n >= sizeof(addr))
		return NULL;
	memcpy(addr, p, n);
	addr[n] = '\0';
	struct dpclient_config dc = { .addr = addr, .node = ctx->cfg.node_name };
	return dpclient_new(ctx->loop, &dc, &(struct dpclient_callbacks){ .on_event = dp_event });
}

static int call_init(struct cp_ctx *ctx)
{
	module.node = ctx->sip;
	if (!module.node) {
		BGL_ERR("call: the sip module is not running");
		return -ENODEV;
	}
	module.dp = own_dpclient(ctx);
	if (!module.dp)
		BGL_WARN("call: no data plane in dataplane.control: calls get no media");
	struct call_ctl_options o = {
		.loop = ctx->loop,
		.stack = module.node->stack,
		.pg = ctx->pg,
		.dp = module.dp,
		.listen = module.node->cfg.listen,
		.nonce_ttl_s = (unsigned)module.node->cfg.nonce_ttl_s,
		.events = ctx->calls,
		.draining = &ctx->draining,
	};
	module.ctl = call_ctl_new(&o);
	if (!module.ctl)
		return -ENOMEM;
	struct csip_call_handler h = {
		.on_request = call_ctl_on_request,
		.on_ack = call_ctl_on_ack,
		.arg = module.ctl,
	};
	csip_node_set_call_handler(module.node, &h);
	if (ctx->calls)
		calls_set_hangup(ctx->calls, call_ctl_hangup, module.ctl);
	return 0;
}

static int call_start(struct cp_ctx *ctx)
{
	(void)ctx;
	return 0;
}

static void call_stop(struct cp_ctx *ctx)
{
	if (module.node && ctx->sip == module.node)
		csip_node_set_call_handler(module.node, NULL);
	if (ctx->calls)
		calls_set_hangup(ctx->calls, NULL, NULL);
	if (module.ctl) {
		struct call_counters c;
		call_ctl_counters(module.ctl, &c);
		char line[1024];
		size_t pos = 0;
#define CALL_LOG_COUNTER(name, doc) bgl_log_counter(line, sizeof(line), &pos, #name, c.name);
		CALL_COUNTERS(CALL_LOG_COUNTER)
#undef CALL_LOG_COUNTER
		BGL_INFO("call: counters:%s", line);
	}
	call_ctl_close(module.ctl);
	dpclient_free(module.dp);
	memset(&module, 0, sizeof(module));
}

bool call_module_counters(struct call_counters *out)
{
	if (!module.ctl)
		return false;
	call_ctl_counters(module.ctl, out);
	return true;
}

const struct cp_module cp_module_call = {
	.name = "call",
	.init = call_init,
	.start = call_start,
	.stop = call_stop,
};
