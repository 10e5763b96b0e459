/* The daemon's life: set up the context, start the modules, run the loop until SIGTERM/SIGINT,
 * reload on SIGHUP, stop the modules in reverse order and close every handle.
 * Return convention: 0 or a negative errno (cp_daemon_run returns the process exit code).
 */
#ifndef CP_DAEMON_H
#define CP_DAEMON_H

#include "cp/context-t.h"

/* ctx->cfg, config_path, overrides and modules must be set; ctx->loop must be initialised. */
void cp_daemon_init(struct cp_ctx *ctx);

/* Start, run until shut down, then drain the loop. Exit code: 0 after an orderly shutdown,
 * 1 when start-up failed. */
int cp_daemon_run(struct cp_ctx *ctx);

/* Begin an orderly shutdown (what SIGTERM does). */
void cp_daemon_shutdown(struct cp_ctx *ctx);

/* Re-read the configuration file and apply what may change while running (what SIGHUP does).
 * Returns the number of settings applied, or a negative errno when the file is bad (nothing
 * is applied then). */
int cp_daemon_reload(struct cp_ctx *ctx);

#endif
