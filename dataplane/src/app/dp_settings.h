/* The data plane's settings table and the checks the table's types cannot express.
 * Return convention: 0 or a negative errno with the reason in the bgl_settings_error.
 */
#ifndef BUGLE_DP_SETTINGS_H
#define BUGLE_DP_SETTINGS_H

#include "bugle/settings.h"
#include "dp_config-t.h"

const struct bgl_settings_table *dp_settings_table(void);

/* Addresses and devices that must parse; origin names the file in the message. */
int dp_config_check(const struct dp_config *cfg, const char *origin,
		    struct bgl_settings_error *err);

#endif
