/* The data plane's /metrics exposition, made from the same StatsReply the control channel's
 * GetStats returns (so the metrics, the stats and the CLI read one set of counter tables).
 * Return convention: 0 or a negative errno from the writer (ops_expo.h).
 */
#ifndef BUGLE_OPS_METRICS_H
#define BUGLE_OPS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dataplane.pb.h"
#include "ops_expo.h"

/* What the StatsReply does not carry. */
struct ops_metrics_info {
	const char *node;
	const char *version;
	uint64_t uptime_s;
	bool draining;
	const uint64_t *http;		/* OPS_HTTP_COUNTERS values, or NULL */
	size_t n_http;
};

/* Counter name (as in GetStats) -> its help text from its table, or NULL when unknown. */
const char *ops_counter_help(const char *name);

/* True for a counter that counts packets or messages thrown away: its name says "drop" or
 * "_fail", or its help text says it was dropped. */
bool ops_counter_is_drop(const char *name, const char *help);

int ops_metrics_render(const bugle_dp_StatsReply *st, const struct ops_metrics_info *info,
		       struct ops_expo *w);

#endif
