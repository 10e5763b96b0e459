/* The "sip." settings, taken from the control plane's settings table. */
#include "csip-config.h"

#include <errno.h>
#include <stdio.h>

#include "cp/config.h"

int csip_config_from(struct csip_config *out, const struct cp_config *cfg,
		     struct bgl_settings_error *err)
{
	if (cfg->sip.min_expires_s > cfg->sip.max_expires_s) {
		snprintf(err->msg, sizeof(err->msg), "setting 'sip.min_expires_s': above sip.max_expires_s");
		return -EINVAL;
	}
	*out = cfg->sip;
	return 0;
}

int csip_config_defaults(struct csip_config *out, const char *listen, struct bgl_settings_error *err)
{
	struct cp_config cfg;
	int rc = cp_config_build(&cfg, NULL, NULL, 0, err);
	if (rc < 0)
		return rc;
	if (listen && *listen) {
		rc = bgl_settings_set(cp_config_table(), &cfg, "sip.listen", listen, false, err);
		if (rc < 0)
			return rc;
	}
	return csip_config_from(out, &cfg, err);
}
