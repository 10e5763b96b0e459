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
	BGL_SETTING_STRING_DEF("sip.listen", C, sip_listen, "198.51.100.2:5060", false,
			       "SIP listen address facing the data planes' internal port"),
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
