/* Counters for the control channel's GetStats. Return convention: 0 or a negative errno. */
#ifndef BUGLE_DP_STATS_H
#define BUGLE_DP_STATS_H

#include <stdbool.h>

#include "dataplane.pb.h"
#include "dp_app-t.h"

/* Fill out: every counter by name summed over the lcores (then the control channel's, named
 * "ctl_*"), mbufs in use, and per port / per lcore figures when asked for. Runs on the main
 * lcore while the workers run. */
int dp_stats_fill(const struct dp_app *app, bool ports, bool lcores, bugle_dp_StatsReply *out);

#endif
