/* Start-up and shutdown of the data plane after the EAL is up.
 * Return convention: 0 or a negative errno (logged).
 */
#ifndef BUGLE_DP_APP_H
#define BUGLE_DP_APP_H

#include "dp_app-t.h"

/* Pools, ports, neighbour tables, lcore contexts and the control channel, from cfg. */
int dp_app_start(struct dp_app *app, const struct dp_config *cfg);

/* Launch the workers, run the main loop until stop() is true, then stop the workers. */
int dp_app_run(struct dp_app *app, bool (*stop)(void));

/* Undo dp_app_start (safe on a partial start). */
void dp_app_stop(struct dp_app *app);

#endif
