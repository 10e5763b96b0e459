/* The bus module: the RabbitMQ connection that later modules publish and subscribe through
 * ctx->bus. */
#include "cp/bus.h"
#include "cp/context-t.h"
#include "cp/health.h"
#include "cp/modules.h"

#include <errno.h>

static void bus_state(void *arg, bool up, const char *error)
{
	struct cp_ctx *ctx = arg;
	cp_health_report(&ctx->health, ctx->bus_dep, up, error);
}

static int bus_init(struct cp_ctx *ctx)
{
	ctx->bus_dep = cp_health_register(&ctx->health, "rabbitmq");
	if (ctx->bus_dep < 0)
		return ctx->bus_dep;
	struct cp_bus_options opt = {
		.url = ctx->cfg.rmq_url,
		.exchange_prefix = ctx->cfg.rmq_exchange_prefix,
		.node = ctx->cfg.node_name,
		.heartbeat_s = (unsigned)ctx->cfg.rmq_heartbeat_s,
		.pending_max = (unsigned)ctx->cfg.rmq_pending_max,
		.reconnect_max_ms = (uint64_t)ctx->cfg.rmq_reconnect_max_ms,
		.on_state = bus_state,
		.state_arg = ctx,
	};
	ctx->bus = cp_bus_new(ctx->loop, &opt);
	return ctx->bus ? 0 : -EINVAL;
}

static int bus_start(struct cp_ctx *ctx)
{
	return cp_bus_start(ctx->bus);
}

static void bus_stop(struct cp_ctx *ctx)
{
	if (ctx->bus)
		cp_bus_close(ctx->bus);
	ctx->bus = NULL;
}

const struct cp_module cp_module_bus = {
	.name = "bus",
	.init = bus_init,
	.start = bus_start,
	.stop = bus_stop,
};
