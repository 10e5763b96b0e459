/* Start-up, signals, reload and orderly shutdown of bugle-controlplane. */
#include "cp/daemon.h"

#include "bugle/log.h"
#include "cp/config.h"
#include "cp/health.h"
#include "cp/modules.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

void cp_daemon_init(struct cp_ctx *ctx)
{
	if (!ctx->cfg.node_name[0]) {
		char host[64] = "";
		gethostname(host, sizeof(host) - 1);
		snprintf(ctx->cfg.node_name, sizeof(ctx->cfg.node_name), "%s",
			 host[0] ? host : "controlplane");
	}
	cp_health_init(&ctx->health, ctx->cfg.node_name, ctx->cfg.node_status_file);
	ctx->pg_dep = ctx->bus_dep = -1;
}

int cp_daemon_reload(struct cp_ctx *ctx)
{
	const struct bgl_settings_table *t = cp_config_table();
	struct cp_config fresh;
	struct bgl_settings_error err = { .msg = "" };
	int rc = cp_config_build(&fresh, ctx->config_path, ctx->overrides, ctx->n_overrides, &err);
	if (rc < 0) {
		BGL_WARN("reload: configuration not applied: %s", err.msg);
		return rc;
	}
	if (!fresh.node_name[0]) /* filled at start from the host name */
		memcpy(fresh.node_name, ctx->cfg.node_name, sizeof(fresh.node_name));
	struct cp_config old = ctx->cfg;
	int applied = 0;
	for (size_t i = 0; i < t->count; i++) {
		const struct bgl_setting *s = &t->items[i];
		char was[600], now[600];
		if (bgl_settings_get(t, &old, s->name, was, sizeof(was)) < 0 ||
		    bgl_settings_get(t, &fresh, s->name, now, sizeof(now)) < 0 ||
		    strcmp(was, now) == 0)
			continue;
		if (!s->reloadable) {
			BGL_WARN("reload: %s changed (%s -> %s) but needs a restart; keeping %s",
				 s->name, was, now, was);
			continue;
		}
		if (bgl_settings_set(t, &ctx->cfg, s->name, now, true, &err) < 0) {
			BGL_WARN("reload: %s", err.msg);
			continue;
		}
		BGL_INFO("reload: %s: %s -> %s", s->name, was, now);
		applied++;
	}
	if (applied)
		cp_modules_reload(ctx, &old);
	else
		BGL_INFO("reload: nothing to change");
	return applied;
}

static void signal_closed(uv_handle_t *h)
{
	(void)h;
}

void cp_daemon_shutdown(struct cp_ctx *ctx)
{
	if (ctx->stopping)
		return;
	ctx->stopping = true;
	BGL_INFO("shutting down");
	cp_modules_stop(ctx);
	if (ctx->signals.open) {
		uv_close((uv_handle_t *)&ctx->signals.term, signal_closed);
		uv_close((uv_handle_t *)&ctx->signals.intr, signal_closed);
		uv_close((uv_handle_t *)&ctx->signals.hup, signal_closed);
		ctx->signals.open = false;
	}
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct cp_ctx *ctx = h->data;
	if (signum == SIGHUP) {
		BGL_INFO("SIGHUP: reloading %s", ctx->config_path ? ctx->config_path : "(no file)");
		cp_daemon_reload(ctx);
		return;
	}
	BGL_INFO("%s received", signum == SIGTERM ? "SIGTERM" : "SIGINT");
	cp_daemon_shutdown(ctx);
}

static int signals_open(struct cp_ctx *ctx)
{
	struct cp_signals *s = &ctx->signals;
	uv_signal_t *hs[] = { &s->term, &s->intr, &s->hup };
	int nums[] = { SIGTERM, SIGINT, SIGHUP };
	for (int i = 0; i < 3; i++) {
		uv_signal_init(ctx->loop, hs[i]);
		hs[i]->data = ctx;
	}
	s->open = true;
	for (int i = 0; i < 3; i++) {
		int rc = uv_signal_start(hs[i], on_signal, nums[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void close_leftover(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h)) {
		BGL_ERR("handle of type %s still open at exit", uv_handle_type_name(h->type));
		uv_close(h, NULL);
	}
}

int cp_daemon_run(struct cp_ctx *ctx)
{
	static const struct cp_module_table none = { 0 };
	if (!ctx->modules) {
		BGL_ERR("no module table");
		ctx->modules = &none;
		ctx->exit_code = 1;
	}
	int rc = signals_open(ctx);
	if (ctx->exit_code) {
		cp_daemon_shutdown(ctx);
	} else if (rc < 0) {
		BGL_ERR("signals: %s", uv_strerror(rc));
		ctx->exit_code = 1;
		cp_daemon_shutdown(ctx);
	} else if ((rc = cp_modules_start(ctx)) < 0) {
		ctx->exit_code = 1;
		cp_daemon_shutdown(ctx);
	} else {
		BGL_INFO("bugle-controlplane %s running", ctx->cfg.node_name);
	}
	uv_run(ctx->loop, UV_RUN_DEFAULT);
	/* Every module closes its own handles; anything left is a bug, reported and closed so
	 * the loop can still be closed. */
	if (uv_loop_close(ctx->loop) == UV_EBUSY) {
		uv_walk(ctx->loop, close_leftover, NULL);
		uv_run(ctx->loop, UV_RUN_DEFAULT);
		if (uv_loop_close(ctx->loop) < 0 && ctx->exit_code == 0)
			ctx->exit_code = 1;
	}
	BGL_INFO("stopped");
	return ctx->exit_code;
}
