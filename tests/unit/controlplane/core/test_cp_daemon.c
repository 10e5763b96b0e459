/* The whole daemon in-process against throwaway PostgreSQL and RabbitMQ (and a data-plane
 * address where nothing listens): start-up with migrations, status file, SIGHUP reload, SIGTERM orderly shutdown (loop closed, no handle
 * left: ASan/LSan builds check for leaks), and a start-up failure that still shuts down. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bugle/log.h"
#include "cp/config.h"
#include "cp/daemon.h"
#include "cp/health.h"
#include "cp/modules.h"
#include "throwaway.h"

#include <errno.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The core's modules (the program adds the API and others). */
static const struct cp_module *const core_modules[] = {
	&cp_module_log, &cp_module_store, &cp_module_bus, &cp_module_dataplanes, &cp_module_status,
};
static const struct cp_module_table core_table = {
	.items = core_modules,
	.count = sizeof(core_modules) / sizeof(core_modules[0]),
};

static void write_config(const char *path, const char *level, int pool, const char *migrations)
{
	const struct throwaway *tw = throwaway_group();
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f,
		"[node]\nname = test-node\nstatus_file = %s/status.json\n"
		"[postgres]\nconninfo = %s\npool_size = %d\nmigrations_dir = %s\n"
		"[rabbitmq]\nurl = %s\nexchange_prefix = dtest.\n"
		"[dataplane]\ncontrol = 127.0.0.1:1\n"
		"[log]\nlevel = %s\n",
		tw->dir, tw->pg_conninfo, pool, migrations, tw->rabbit_url, level);
	fclose(f);
}

struct script {
	struct cp_ctx *ctx;
	uv_timer_t timer;
	int step;
	int ticks;
	char config[300];
	char migrations[300];
	bool saw_all_up;
	bool saw_status_file;
	bool reload_applied;
	bool reload_refused;
};

static const char *dep_state(json_t *doc, const char *name)
{
	json_t *d = json_object_get(json_object_get(doc, "dependencies"), name);
	return d ? json_string_value(json_object_get(d, "state")) : NULL;
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* postgres and rabbitmq up; the data plane (nothing listens there) down. */
static bool status_as_expected(const char *dir)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/status.json", dir);
	json_error_t err;
	json_t *doc = json_load_file(path, 0, &err);
	if (!doc)
		return false;
	bool ok = streq(json_string_value(json_object_get(doc, "state")), "degraded") &&
		  streq(json_string_value(json_object_get(doc, "node")), "test-node") &&
		  json_object_size(json_object_get(doc, "dependencies")) == 3 &&
		  streq(dep_state(doc, "postgres"), "up") && streq(dep_state(doc, "rabbitmq"), "up") &&
		  streq(dep_state(doc, "dataplane 127.0.0.1:1"), "down");
	json_decref(doc);
	return ok;
}

/* Drives the running daemon from inside its own loop, then closes itself. */
static void step(uv_timer_t *t)
{
	struct script *s = t->data;
	struct cp_ctx *ctx = s->ctx;
	s->ticks++;
	switch (s->step) {
	case 0: /* wait until both dependencies are up */
		if (ctx->pg_dep >= 0 && ctx->bus_dep >= 0 && ctx->health.deps[ctx->pg_dep].up &&
		    ctx->health.deps[ctx->bus_dep].up) {
			s->saw_all_up = true;
			s->saw_status_file = status_as_expected(throwaway_group()->dir);
			write_config(s->config, "debug", 3, s->migrations);
			uv_kill(getpid(), SIGHUP);
			s->step = 1;
		}
		break;
	case 1: /* the reload has been handled */
		if (ctx->cfg.log_level == BGL_LOG_DEBUG) {
			s->reload_applied = true;
			s->reload_refused = ctx->cfg.pg_pool_size == 2;
			uv_kill(getpid(), SIGTERM);
			s->step = 2;
			uv_close((uv_handle_t *)t, NULL);
			return;
		}
		break;
	}
	if (s->ticks > 1000) { /* 20 s: give up, but still stop the daemon */
		uv_kill(getpid(), SIGTERM);
		uv_close((uv_handle_t *)t, NULL);
	}
}

static void test_run_reload_stop(void **state)
{
	(void)state;
	static struct script s;
	static struct cp_ctx ctx;
	memset(&s, 0, sizeof(s));
	memset(&ctx, 0, sizeof(ctx));
	snprintf(s.config, sizeof(s.config), "%s/cp.ini", throwaway_group()->dir);
	snprintf(s.migrations, sizeof(s.migrations), "%s/schemas/sql", getenv("BUGLE_SOURCE_DIR"));
	write_config(s.config, "warning", 2, s.migrations);

	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&ctx.cfg, s.config, NULL, 0, &err), 0);
	ctx.config_path = s.config;
	ctx.modules = &core_table;
	uv_loop_t loop;
	assert_int_equal(uv_loop_init(&loop), 0);
	ctx.loop = &loop;
	cp_daemon_init(&ctx);

	s.ctx = &ctx;
	uv_timer_init(&loop, &s.timer);
	s.timer.data = &s;
	uv_timer_start(&s.timer, step, 20, 20);

	assert_int_equal(cp_daemon_run(&ctx), 0);
	assert_true(s.saw_all_up);
	assert_true(s.saw_status_file);
	assert_true(s.reload_applied);
	assert_true(s.reload_refused);
	assert_true(ctx.pg_migrated);
	/* Orderly stop removed the status file. */
	char path[400];
	snprintf(path, sizeof(path), "%s/status.json", throwaway_group()->dir);
	assert_int_equal(access(path, F_OK), -1);
	bgl_log_set_level(BGL_LOG_ERR);
}

/* A migration that cannot be applied stops start-up with exit code 1, cleanly. */
static void test_start_failure(void **state)
{
	(void)state;
	static struct cp_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	char dir[300], cfg[300];
	snprintf(dir, sizeof(dir), "%s/badsql", throwaway_group()->dir);
	char cmd[800];
	snprintf(cmd, sizeof(cmd),
		 "mkdir -p '%s' && echo 'SELECT broken(' > '%s/0001_broken.sql' && echo ok", dir, dir);
	assert_int_equal(throwaway_run(cmd, NULL, 0), 0);
	snprintf(cfg, sizeof(cfg), "%s/bad.ini", throwaway_group()->dir);
	write_config(cfg, "error", 1, dir);
	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&ctx.cfg, cfg, NULL, 0, &err), 0);
	/* A database of its own, so the good schema of the other test does not interfere. */
	int n = snprintf(ctx.cfg.pg_conninfo, sizeof(ctx.cfg.pg_conninfo), "%.400s dbname=postgres",
			 throwaway_group()->pg_conninfo);
	assert_true(n > 0 && (size_t)n < sizeof(ctx.cfg.pg_conninfo));
	ctx.modules = &core_table;
	uv_loop_t loop;
	assert_int_equal(uv_loop_init(&loop), 0);
	ctx.loop = &loop;
	cp_daemon_init(&ctx);
	assert_int_equal(cp_daemon_run(&ctx), 1);
	assert_false(ctx.pg_migrated);
}

int main(void)
{
	bgl_log_setup("test", BGL_LOG_TEXT, BGL_LOG_ERR, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_reload_stop),
		cmocka_unit_test(test_start_failure),
	};
	return cmocka_run_group_tests(tests, throwaway_group_pg_rabbit, throwaway_group_teardown);
}
