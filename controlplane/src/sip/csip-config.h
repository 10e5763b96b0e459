/* The sip module's settings table: the rows to merge into the control plane's one table, and
 * building a csip_config from defaults plus "sip.key=value" overrides.
 * Return convention: 0 or a negative errno; err says which setting failed.
 */
#ifndef CSIP_CONFIG_H
#define CSIP_CONFIG_H

#include "bugle/settings.h"
#include "csip-config-t.h"

#include <stddef.h>

const struct bgl_settings_table *csip_config_table(void);

/* Defaults, then every override whose name is one of the table's (others are ignored: they
 * belong to other modules and were checked by the core). */
int csip_config_build(struct csip_config *cfg, const char *listen, const char *const *overrides,
		      size_t n_overrides, struct bgl_settings_error *err);

#endif
