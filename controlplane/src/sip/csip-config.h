/* The sip module's settings come from the control plane's one settings table (the "sip." rows
 * in controlplane/src/core/config.c); this checks what one row alone cannot.
 * Return convention: 0 or a negative errno; err says which setting is at fault.
 */
#ifndef CSIP_CONFIG_H
#define CSIP_CONFIG_H

#include "bugle/settings.h"
#include "cp/sip-config-t.h"

/* Copies the "sip." settings of a built control-plane configuration and checks them together. */
struct cp_config;
int csip_config_from(struct csip_config *out, const struct cp_config *cfg,
		     struct bgl_settings_error *err);

/* The defaults of every "sip." setting (for tests and tools that run the stack alone), with
 * listen replaced when given. */
int csip_config_defaults(struct csip_config *out, const char *listen, struct bgl_settings_error *err);

#endif
