/* SIGTERM/SIGINT handling for the main lcore's loop. Return convention: 0 or a negative errno;
 * the query returns bool.
 */
#ifndef BUGLE_DP_SIGNAL_H
#define BUGLE_DP_SIGNAL_H

#include <stdbool.h>

int dp_signal_install(void);

/* True once SIGTERM or SIGINT has arrived. */
bool dp_signal_stop_requested(void);

#endif
