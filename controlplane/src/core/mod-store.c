/* The store module: schema migrations at start, then the PostgreSQL pool that later modules
 * query through ctx->pg. */
#include "bugle/log.h"
#include "cp/context-t.h"
#include "cp/health.h"
#include "cp/modules.h"
#include "cp/pg-migrate.h"
#include "cp/pg-pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* 0, -ENOTCONN when postgres cannot be reached (retried when the pool comes up), or another
 * negative errno for a migration that is wrong (changed file, failing SQL). */
static int migrate(struct cp_ctx *ctx)
{
	struct cp_migrate_report rep;
	char err[512];
	int rc = cp_pg_migrate_conninfo(ctx->cfg.pg_conninfo, ctx->cfg.pg_migrations_dir, &rep, err,
					sizeof(err));
	if (rc < 0) {
		if (rc == -ENOTCONN)
			BGL_WARN("migrations postponed until postgres is reachable: %s", err);
		else
			BGL_ERR("migrations: %s", err);
		cp_health_report(&ctx->health, ctx->pg_dep, false, err);
		return rc;
	}
	ctx->pg_migrated = true;
	BGL_INFO("schema at version %d (%u migrations applied now, %u already)", rep.last_version,
		 rep.applied, rep.already);
	return 0;
}

#define MAINTENANCE_EVERY_MS (6ull * 3600 * 1000)

static void partitions_done(void *arg, const PGresult *res, const char *error)
{
	(void)arg;
	if (error)
		BGL_WARN("CDR partitions: %s", error);
	else if (PQntuples(res) == 1 && atoi(PQgetvalue(res, 0, 0)) > 0)
		BGL_INFO("CDR partitions: %s created", PQgetvalue(res, 0, 0));
}

/* Inserts must always find their month: keep this month and the next two created. */
static void maintenance(uv_timer_t *t)
{
	struct cp_ctx *ctx = t->data;
	if (!ctx->pg || !ctx->pg_migrated || !cp_pg_pool_up(ctx->pg))
		return;
	int rc = cp_pg_query(ctx->pg, "SELECT bugle_cdr_partitions_ahead(2)", 0, NULL,
			     partitions_done, NULL);
	if (rc < 0)
		BGL_WARN("CDR partitions: not queued: %s", strerror(-rc));
}

static void pool_state(void *arg, bool up, const char *error)
{
	struct cp_ctx *ctx = arg;
	/* Postgres was down at start: migrate before anyone uses the pool (this blocks the loop
	 * for as long as the migrations take, once). */
	if (up && !ctx->pg_migrated && migrate(ctx) < 0)
		return;
	cp_health_report(&ctx->health, ctx->pg_dep, up, error);
	if (up)
		maintenance(&ctx->pg_maintenance);
}

static int store_init(struct cp_ctx *ctx)
{
	ctx->pg_dep = cp_health_register(&ctx->health, "postgres");
	if (ctx->pg_dep < 0)
		return ctx->pg_dep;
	int rc = migrate(ctx);
	if (rc < 0 && rc != -ENOTCONN)
		return rc;
	struct cp_pg_pool_options opt = {
		.conninfo = ctx->cfg.pg_conninfo,
		.size = (unsigned)ctx->cfg.pg_pool_size,
		.queue_max = 4096,
		.reconnect_max_ms = (uint64_t)ctx->cfg.pg_reconnect_max_ms,
		.on_state = pool_state,
		.state_arg = ctx,
	};
	ctx->pg = cp_pg_pool_new(ctx->loop, &opt);
	return ctx->pg ? 0 : -ENOMEM;
}

static int store_start(struct cp_ctx *ctx)
{
	uv_timer_init(ctx->loop, &ctx->pg_maintenance);
	ctx->pg_maintenance.data = ctx;
	ctx->pg_maintenance_open = true;
	uv_timer_start(&ctx->pg_maintenance, maintenance, MAINTENANCE_EVERY_MS,
		       MAINTENANCE_EVERY_MS);
	return cp_pg_pool_start(ctx->pg);
}

static void store_stop(struct cp_ctx *ctx)
{
	if (ctx->pg_maintenance_open)
		uv_close((uv_handle_t *)&ctx->pg_maintenance, NULL);
	ctx->pg_maintenance_open = false;
	if (ctx->pg)
		cp_pg_pool_close(ctx->pg);
	ctx->pg = NULL;
}

const struct cp_module cp_module_store = {
	.name = "store",
	.init = store_init,
	.start = store_start,
	.stop = store_stop,
};
