/* The data plane's operator features in one context the app owns: the /metrics endpoint and the
 * run-time settings (with their apply hooks). Main lcore only.
 *
 * Return convention: ops_new returns a pointer or NULL (reason in err); ops_poll returns what
 * the metrics server served; the rest return nothing.
 */
#ifndef BUGLE_OPS_H
#define BUGLE_OPS_H

#include <stddef.h>
#include <stdint.h>

#include "bugle/settings.h"
#include "dataplane.pb.h"
#include "ops_metrics.h"
#include "ops_settings.h"

struct dp_config;
struct edge_dp;
struct ops;

/* Fills the stats and the info of one scrape (the app's GetStats code); below 0 answers 500. */
typedef int (*ops_stats_fn)(void *arg, bugle_dp_StatsReply *out, struct ops_metrics_info *info);

struct ops_params {
	const struct bgl_settings_table *table;
	const struct dp_config *startup;	/* RO; metrics.listen comes from here */
	struct edge_dp *edge;			/* filter.* hooks; NULL when SIP is off */
	ops_stats_fn stats;
	void *stats_arg;
};

struct ops *ops_new(const struct ops_params *p, char *err, size_t err_cap);
void ops_free(struct ops *ops);

/* From the main loop, every iteration (it polls its sockets at most once a millisecond). */
int ops_poll(struct ops *ops, uint64_t now_ms);

/* The settings state, the ctx of the ops_ctl_*_settings methods. */
struct ops_settings *ops_settings(struct ops *ops);

/* The port /metrics listens on, 0 when off. */
uint16_t ops_metrics_port(const struct ops *ops);

#endif
