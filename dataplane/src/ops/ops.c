/* The context: a live copy of the configuration that the run-time settings change (the
 * start-up copy stays as it was, for diff and revert), and the metrics server. */
#include "ops.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bugle/log.h"
#include "dp_config-t.h"
#include "ops_dp_hooks.h"
#include "ops_http_server.h"

struct ops {
	struct dp_config live;			/* main lcore: the values in force */
	struct ops_settings settings;
	struct ops_http_server *http;		/* NULL when metrics.listen is empty */
	ops_stats_fn stats;
	void *stats_arg;
	bugle_dp_StatsReply scrape;		/* main lcore: one scrape at a time */
};

static int render(void *arg, struct ops_expo *w)
{
	struct ops *ops = arg;
	struct ops_metrics_info info = { 0 };
	uint64_t http[OPS_HTTP_COUNTER_COUNT];
	memset(&ops->scrape, 0, sizeof(ops->scrape));
	if (ops->stats(ops->stats_arg, &ops->scrape, &info) < 0)
		return -1;
	info.n_http = ops_http_server_counters(ops->http, http, OPS_HTTP_COUNTER_COUNT);
	info.http = http;
	return ops_metrics_render(&ops->scrape, &info, w);
}

struct ops *ops_new(const struct ops_params *p, char *err, size_t err_cap)
{
	struct ops *ops = calloc(1, sizeof(*ops));
	if (!ops) {
		snprintf(err, err_cap, "operator features: out of memory");
		return NULL;
	}
	ops->live = *p->startup;
	ops->stats = p->stats;
	ops->stats_arg = p->stats_arg;
	ops->settings = (struct ops_settings){ .table = p->table, .startup = p->startup,
					       .live = &ops->live, .hook_ctx = p->edge };
	ops->settings.n_hooks = ops_dp_hooks(&ops->settings.hooks);
	if (p->startup->metrics_listen[0]) {
		ops->http = ops_http_server_new(p->startup->metrics_listen, render, ops, err,
						err_cap);
		/* A malformed address is a configuration error; a port in use only costs the
		 * metrics (the node still carries calls), so it is logged and start-up goes on. */
		if (!ops->http && errno == EINVAL) {
			free(ops);
			return NULL;
		}
		if (!ops->http)
			BGL_ERR("%s: /metrics is off", err);
	}
	return ops;
}

void ops_free(struct ops *ops)
{
	if (!ops)
		return;
	ops_http_server_free(ops->http);
	free(ops);
}

int ops_poll(struct ops *ops, uint64_t now_ms)
{
	return ops && ops->http ? ops_http_server_poll(ops->http, now_ms) : 0;
}

struct ops_settings *ops_settings(struct ops *ops)
{
	return &ops->settings;
}

uint16_t ops_metrics_port(const struct ops *ops)
{
	return ops && ops->http ? ops_http_server_port(ops->http) : 0;
}
