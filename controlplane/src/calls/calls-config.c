/* The "calls." settings, taken from the control plane's settings table. */
#include "calls-config.h"

#include <errno.h>
#include <stdio.h>

#include "cp/config.h"

int calls_config_from(struct calls_config *out, const struct cp_config *cfg,
		      struct bgl_settings_error *err)
{
	/* A peer's channel must survive at least two missed announcements. */
	if (cfg->calls.channel_remote_ttl_s < 2 * cfg->calls.channel_announce_s) {
		snprintf(err->msg, sizeof(err->msg),
			 "calls.channel_remote_ttl_s must be at least twice calls.channel_announce_s");
		return -EINVAL;
	}
	*out = cfg->calls;
	return 0;
}

int calls_config_build(struct calls_config *out, const char *const *overrides, size_t n,
		       struct bgl_settings_error *err)
{
	struct cp_config cfg;
	int rc = cp_config_build(&cfg, NULL, overrides, n, err);
	return rc < 0 ? rc : calls_config_from(out, &cfg, err);
}
