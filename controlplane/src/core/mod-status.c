/* The status module: the status file exists while the daemon runs (deploy tooling reads it). */
#include "cp/context-t.h"
#include "cp/health.h"
#include "cp/modules.h"

#include <unistd.h>

static int status_start(struct cp_ctx *ctx)
{
	cp_health_write_file(&ctx->health);
	return 0;
}

static void status_stop(struct cp_ctx *ctx)
{
	/* A file left behind would claim a stopped daemon is up. */
	if (ctx->health.status_file[0])
		unlink(ctx->health.status_file);
	ctx->health.status_file[0] = '\0'; /* and later reports must not write it again */
}

const struct cp_module cp_module_status = {
	.name = "status",
	.start = status_start,
	.stop = status_stop,
};
