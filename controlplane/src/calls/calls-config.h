/* The "calls." settings (CDR queue, webhook limits and timing, remote channel expiry) come from
 * the control plane's one settings table; this checks what one row alone cannot.
 * Return convention: 0 or a negative errno (err says which setting failed).
 */
#ifndef CALLS_CONFIG_H
#define CALLS_CONFIG_H

#include "bugle/settings.h"
#include "cp/calls-config-t.h"

#include <stddef.h>

struct cp_config;
/* Copies the "calls." settings of a built configuration and checks them together. */
int calls_config_from(struct calls_config *out, const struct cp_config *cfg,
		      struct bgl_settings_error *err);
/* Defaults plus "calls.key=value" overrides, through the control plane's table (tools, tests). */
int calls_config_build(struct calls_config *cfg, const char *const *overrides, size_t n,
		       struct bgl_settings_error *err);

#endif
