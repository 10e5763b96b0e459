/* The "sip." settings: name, type, default, bounds, reloadable. */
#include "csip-config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define C struct csip_config
static const struct bgl_setting csip_settings[] = {
	BGL_SETTING_STRING_DEF("sip.listen", C, listen, "198.51.100.2:5060", false,
			       "SIP listen address facing the data planes' internal port"),
	BGL_SETTING_STRING_DEF("sip.outbound_proxy", C, outbound_proxy, "198.51.100.1:5060", false,
			       "Data-plane internal address every request toward a phone goes to"),
	BGL_SETTING_INT_DEF("sip.max_transactions", C, max_transactions, 8192, 16, 1048576, false,
			    "Live SIP transactions; beyond, new requests get a stateless 503"),
	BGL_SETTING_INT_DEF("sip.nonce_ttl_s", C, nonce_ttl_s, 300, 5, 86400, false,
			    "Seconds a digest nonce stays valid before it is stale"),
	BGL_SETTING_INT_DEF("sip.nonce_table_size", C, nonce_table_size, 65536, 64, 16777216,
			    false, "Nonce-count slots kept for replay protection"),
	BGL_SETTING_INT_DEF("sip.min_expires_s", C, min_expires_s, 60, 1, 86400, false,
			    "Shortest registration accepted (else 423 with Min-Expires)"),
	BGL_SETTING_INT_DEF("sip.max_expires_s", C, max_expires_s, 3600, 60, 604800, false,
			    "Longest registration granted (longer requests are lowered)"),
	BGL_SETTING_INT_DEF("sip.default_expires_s", C, default_expires_s, 300, 1, 604800, false,
			    "Registration length when the device document sets no sip.expire_seconds"),
	BGL_SETTING_INT_DEF("sip.sweep_interval_s", C, sweep_interval_s, 10, 1, 3600, false,
			    "How often expired registrations are deleted"),
	BGL_SETTING_INT_DEF("sip.auth_fail_max", C, auth_fail_max, 10, 1, 100000, false,
			    "Failed authentications from one source that trigger a ban"),
	BGL_SETTING_INT_DEF("sip.auth_fail_window_s", C, auth_fail_window_s, 60, 1, 86400, false,
			    "Window in which sip.auth_fail_max failures trigger a ban"),
	BGL_SETTING_INT_DEF("sip.auth_fail_table_size", C, auth_fail_table_size, 16384, 64,
			    16777216, false, "Sources whose failed authentications are counted"),
	BGL_SETTING_INT_DEF("sip.ban_seconds", C, ban_seconds, 600, 1, 604800, false,
			    "Ban asked of every data plane for a source over the failure limit"),
};
#undef C

static const struct bgl_settings_table csip_table = {
	.items = csip_settings,
	.count = sizeof(csip_settings) / sizeof(csip_settings[0]),
};

const struct bgl_settings_table *csip_config_table(void)
{
	return &csip_table;
}

int csip_config_build(struct csip_config *cfg, const char *listen, const char *const *overrides,
		      size_t n_overrides, struct bgl_settings_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	int rc = bgl_settings_defaults(&csip_table, cfg, err);
	if (rc < 0)
		return rc;
	if (listen && *listen) {
		rc = bgl_settings_set(&csip_table, cfg, "sip.listen", listen, false, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < n_overrides; i++) {
		const char *eq = strchr(overrides[i], '=');
		char name[128];
		if (!eq || (size_t)(eq - overrides[i]) >= sizeof(name))
			continue;
		memcpy(name, overrides[i], (size_t)(eq - overrides[i]));
		name[eq - overrides[i]] = '\0';
		if (!bgl_settings_find(&csip_table, name) || strcmp(name, "sip.listen") == 0)
			continue;
		rc = bgl_settings_set(&csip_table, cfg, name, eq + 1, false, err);
		if (rc < 0)
			return rc;
	}
	if (cfg->min_expires_s > cfg->max_expires_s) {
		snprintf(err->msg, sizeof(err->msg), "sip.min_expires_s is above sip.max_expires_s");
		return -EINVAL;
	}
	return 0;
}
