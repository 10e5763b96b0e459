/* The one table of every control-plane setting: name, type, default, bounds, reloadable. */
#include "cp/config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#ifndef CP_DEFAULT_MIGRATIONS_DIR
#define CP_DEFAULT_MIGRATIONS_DIR "/usr/share/bugle/sql"
#endif

#define C struct cp_config
static const struct bgl_setting cp_settings[] = {
	BGL_SETTING_STRING_DEF("node.name", C, node_name, "", false,
			       "Name of this control plane in the cluster (empty: the host name)"),
	BGL_SETTING_STRING_DEF("node.status_file", C, node_status_file, "", false,
			       "Where to write the dependency status as JSON (empty: nowhere)"),
	BGL_SETTING_STRING_DEF("api.listen", C, api_listen, "127.0.0.1:8000", false,
			       "REST API listen address (host:port)"),
	BGL_SETTING_INT_DEF("api.max_body_bytes", C, api_max_body_bytes, 1048576, 1024,
			    268435456, true, "Largest request body the API accepts"),
	BGL_SETTING_STRING_DEF("postgres.conninfo", C, pg_conninfo,
			       "host=127.0.0.1 port=5432 dbname=bugle user=bugle connect_timeout=5",
			       false, "libpq connection string"),
	BGL_SETTING_INT_DEF("postgres.pool_size", C, pg_pool_size, 4, 1, 64, false,
			    "Connections in the PostgreSQL pool"),
	BGL_SETTING_STRING_DEF("postgres.migrations_dir", C, pg_migrations_dir,
			       CP_DEFAULT_MIGRATIONS_DIR, false,
			       "Directory of NNNN_name.sql migrations applied at start"),
	BGL_SETTING_INT_DEF("postgres.reconnect_max_ms", C, pg_reconnect_max_ms, 5000, 100,
			    600000, false, "Longest back-off between PostgreSQL reconnect attempts"),
	BGL_SETTING_STRING_DEF("rabbitmq.url", C, rmq_url, "amqp://guest:guest@127.0.0.1:5672/",
			       false, "AMQP URL of the RabbitMQ broker"),
	BGL_SETTING_STRING_DEF("rabbitmq.exchange_prefix", C, rmq_exchange_prefix, "bugle.", false,
			       "Prefix of the exchange names (configuration, callevt, registrar)"),
	BGL_SETTING_INT_DEF("rabbitmq.heartbeat_s", C, rmq_heartbeat_s, 10, 0, 600, false,
			    "AMQP heartbeat interval (0: none)"),
	BGL_SETTING_INT_DEF("rabbitmq.pending_max", C, rmq_pending_max, 1000, 0, 1000000, false,
			    "Messages kept while disconnected (oldest dropped and counted)"),
	BGL_SETTING_INT_DEF("rabbitmq.reconnect_max_ms", C, rmq_reconnect_max_ms, 5000, 100,
			    600000, false, "Longest back-off between RabbitMQ reconnect attempts"),
	BGL_SETTING_STRING_DEF("sip.listen", C, sip.listen, "198.51.100.2:5060", false,
			       "SIP listen address facing the data planes' internal port"),
	BGL_SETTING_STRING_DEF("sip.outbound_proxy", C, sip.outbound_proxy, "198.51.100.1:5060", false,
			       "Data-plane internal address every request toward a phone goes to"),
	BGL_SETTING_INT_DEF("sip.max_transactions", C, sip.max_transactions, 8192, 16, 1048576, false,
			    "Live SIP transactions; beyond, new requests get a stateless 503"),
	BGL_SETTING_INT_DEF("sip.nonce_ttl_s", C, sip.nonce_ttl_s, 300, 5, 86400, false,
			    "Seconds a digest nonce stays valid before it is stale"),
	BGL_SETTING_INT_DEF("sip.nonce_table_size", C, sip.nonce_table_size, 65536, 64, 16777216,
			    false, "Nonce-count slots kept for replay protection"),
	BGL_SETTING_INT_DEF("sip.min_expires_s", C, sip.min_expires_s, 60, 1, 86400, false,
			    "Shortest registration accepted (else 423 with Min-Expires)"),
	BGL_SETTING_INT_DEF("sip.max_expires_s", C, sip.max_expires_s, 3600, 60, 604800, false,
			    "Longest registration granted (longer requests are lowered)"),
	BGL_SETTING_INT_DEF("sip.default_expires_s", C, sip.default_expires_s, 300, 1, 604800, false,
			    "Registration length when the device document sets no sip.expire_seconds"),
	BGL_SETTING_INT_DEF("sip.sweep_interval_s", C, sip.sweep_interval_s, 10, 1, 3600, false,
			    "How often expired registrations are deleted"),
	BGL_SETTING_INT_DEF("sip.auth_fail_max", C, sip.auth_fail_max, 10, 1, 100000, false,
			    "Failed authentications from one source that trigger a ban"),
	BGL_SETTING_INT_DEF("sip.auth_fail_window_s", C, sip.auth_fail_window_s, 60, 1, 86400, false,
			    "Window in which sip.auth_fail_max failures trigger a ban"),
	BGL_SETTING_INT_DEF("sip.auth_fail_table_size", C, sip.auth_fail_table_size, 16384, 64,
			    16777216, false, "Sources whose failed authentications are counted"),
	BGL_SETTING_INT_DEF("sip.ban_seconds", C, sip.ban_seconds, 600, 1, 604800, false,
			    "Ban asked of every data plane for a source over the failure limit"),
	BGL_SETTING_BOOL_DEF("sip.register_sha256", C, sip.register_sha256, "true", false,
			     "Challenge REGISTER with SHA-256 beside MD5 (off for phones that refuse "
			     "a challenge naming an algorithm they lack, e.g. baresip 1.0)"),
	BGL_SETTING_INT_DEF("calls.cdr_queue_max", C, calls.cdr_queue_max, 100000, 1, 10000000, false,
			    "CDRs kept while PostgreSQL is away; beyond, the oldest are dropped"),
	BGL_SETTING_INT_DEF("calls.webhook_max_in_flight", C, calls.webhook_max_in_flight, 32, 1, 4096,
			    false, "Webhook requests in progress at once"),
	BGL_SETTING_INT_DEF("calls.webhook_queue_max", C, calls.webhook_queue_max, 10000, 1, 1000000,
			    false, "Webhook deliveries waiting or scheduled; beyond, dropped"),
	BGL_SETTING_INT_DEF("calls.webhook_timeout_ms", C, calls.webhook_timeout_ms, 10000, 100, 120000,
			    false, "Whole-request time-out of a webhook"),
	BGL_SETTING_INT_DEF("calls.webhook_backoff_base_ms", C, calls.webhook_backoff_base_ms, 1000, 1,
			    600000, false, "Delay before the first retry; doubles each retry"),
	BGL_SETTING_INT_DEF("calls.webhook_backoff_cap_ms", C, calls.webhook_backoff_cap_ms, 30000, 1,
			    3600000, false, "Longest delay between retries"),
	BGL_SETTING_INT_DEF("calls.webhook_disable_failures", C, calls.webhook_disable_failures, 6, 1, 16,
			    false, "Failures within the window that switch a webhook off"),
	BGL_SETTING_INT_DEF("calls.webhook_disable_window_s", C, calls.webhook_disable_window_s, 60, 1,
			    86400, false, "Window of calls.webhook_disable_failures"),
	BGL_SETTING_INT_DEF("calls.webhook_reload_s", C, calls.webhook_reload_s, 300, 1, 86400, false,
			    "Full reload of the webhooks (besides reloads on change events)"),
	BGL_SETTING_INT_DEF("calls.channel_remote_ttl_s", C, calls.channel_remote_ttl_s, 90, 1,
			    86400, false,
			    "Other nodes' channels are forgotten after this long without news"),
	BGL_SETTING_INT_DEF("calls.channel_announce_s", C, calls.channel_announce_s, 30, 1, 3600, false,
			    "How often this node announces its channels to the others"),
	BGL_SETTING_STRING_DEF("dataplane.control", C, dp_control, "127.0.0.1:7010", false,
			       "Comma-separated data-plane control addresses (host:port or unix:/path)"),
	BGL_SETTING_INT_DEF("dataplane.heartbeat_ms", C, dp_heartbeat_ms, 1000, 100, 60000, false,
			    "Control-channel heartbeat interval"),
	BGL_SETTING_ENUM_DEF("log.level", C, log_level, "info", "error|warning|info|debug", true,
			     "Least severe level logged"),
	BGL_SETTING_ENUM_DEF("log.format", C, log_format, "text", "text|json", false,
			     "Log line format on stderr"),
	BGL_SETTING_BOOL_DEF("log.syslog", C, log_syslog, "false", false, "Also log to syslog"),
};
#undef C

static const struct bgl_settings_table cp_table = {
	.items = cp_settings,
	.count = sizeof(cp_settings) / sizeof(cp_settings[0]),
};

const struct bgl_settings_table *cp_config_table(void)
{
	return &cp_table;
}

int cp_config_build(struct cp_config *cfg, const char *path, const char *const *overrides,
		    size_t n_overrides, struct bgl_settings_error *err)
{
	memset(cfg, 0, sizeof(*cfg));
	int rc = bgl_settings_defaults(&cp_table, cfg, err);
	if (rc < 0)
		return rc;
	if (path) {
		rc = bgl_settings_load_file(&cp_table, cfg, path, err);
		if (rc < 0)
			return rc;
	}
	for (size_t i = 0; i < n_overrides; i++) {
		const char *eq = strchr(overrides[i], '=');
		char name[128];
		if (!eq || (size_t)(eq - overrides[i]) >= sizeof(name) || eq == overrides[i]) {
			snprintf(err->msg, sizeof(err->msg),
				 "--set '%s': expected section.key=value", overrides[i]);
			return -EINVAL;
		}
		memcpy(name, overrides[i], (size_t)(eq - overrides[i]));
		name[eq - overrides[i]] = '\0';
		rc = bgl_settings_set(&cp_table, cfg, name, eq + 1, false, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
