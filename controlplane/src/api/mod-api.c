/* The api module: loads the schemas, then serves the REST API on api.listen over the store
 * and bus modules' pool and connection. */
#include "api.h"
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/modules.h"
#include "jschema.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef API_DEFAULT_SCHEMAS_DIR
#define API_DEFAULT_SCHEMAS_DIR "/usr/share/bugle/schemas"
#endif

struct api_module_state {
	struct api_server *api;
	struct jschema_registry *schemas;
};
/* The module's state hangs off the context (ctx->api). */
/* The schemas sit beside the migrations (schemas/sql -> schemas). */
static int schemas_dir(const struct cp_ctx *ctx, char *out, size_t len)
{
	const char *env = getenv("BUGLE_SCHEMAS_DIR");
	if (env)
		return snprintf(out, len, "%s", env) < (int)len ? 0 : -ENAMETOOLONG;
	const char *mig = ctx->cfg.pg_migrations_dir;
	const char *slash = strrchr(mig, '/');
	if (slash && strcmp(slash, "/sql") == 0)
		return snprintf(out, len, "%.*s", (int)(slash - mig), mig) < (int)len ? 0 : -ENAMETOOLONG;
	return snprintf(out, len, "%s", API_DEFAULT_SCHEMAS_DIR) < (int)len ? 0 : -ENAMETOOLONG;
}

static int api_init(struct cp_ctx *ctx)
{
	struct api_module_state *st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	ctx->api = st;
	char dir[512], err[256] = "";
	int rc = schemas_dir(ctx, dir, sizeof(dir));
	if (rc < 0)
		return rc;
	st->schemas = jschema_registry_load_dir(dir, err, sizeof(err));
	if (!st->schemas) {
		BGL_ERR("api: schemas from %s: %s", dir, err);
		return -EINVAL;
	}
	struct api_options opt = {
		.listen = ctx->cfg.api_listen,
		.max_body_bytes = (size_t)ctx->cfg.api_max_body_bytes,
		.pg = ctx->pg,
		.bus = ctx->bus,
		.schemas = st->schemas,
		/* The calls module starts before this one and stops after it. */
		.calls = ctx->calls,
		.ctx = ctx,
		/* Half the connections may carry creates; the rest stay free for reads. */
		.write_streams = ctx->cfg.pg_pool_size > 2 ? (unsigned)ctx->cfg.pg_pool_size / 2 : 1,
	};
	st->api = api_server_new(ctx->loop, &opt);
	return st->api ? 0 : -ENOMEM;
}

static int api_start(struct cp_ctx *ctx)
{
	struct api_module_state *st = ctx->api;
	return api_server_start(st->api);
}

static void free_state(void *arg)
{
	struct api_module_state *st = arg;
	jschema_registry_free(st->schemas);
	free(st);
}

static void api_stop(struct cp_ctx *ctx)
{
	struct api_module_state *st = ctx->api;
	ctx->api = NULL;
	if (!st)
		return;
	if (st->api)
		api_server_close(st->api, free_state, st); /* schemas live until the last request */
	else
		free_state(st);
}

/* api.max_body_bytes is reloadable; the next request already sees the new limit. */
static void api_reload(struct cp_ctx *ctx, const struct cp_config *old)
{
	struct api_module_state *st = ctx->api;
	(void)old;
	if (st && st->api)
		st->api->opt.max_body_bytes = (size_t)ctx->cfg.api_max_body_bytes;
}

const struct cp_module cp_module_api = {
	.name = "api",
	.init = api_init,
	.start = api_start,
	.stop = api_stop,
	.reload = api_reload,
};
