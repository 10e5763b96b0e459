/* The control plane's typed settings table and how a configuration is built from defaults, an
 * INI file and command-line overrides.
 * Return convention: 0 or a negative errno; err says which file, line and setting failed.
 */
#ifndef CP_CONFIG_H
#define CP_CONFIG_H

#include "bugle/settings.h"
#include "cp/config-t.h"

#include <stddef.h>

const struct bgl_settings_table *cp_config_table(void);

/* Defaults, then path (may be NULL: defaults only), then each "section.key=value" override. */
int cp_config_build(struct cp_config *cfg, const char *path, const char *const *overrides,
		    size_t n_overrides, struct bgl_settings_error *err);

#endif
