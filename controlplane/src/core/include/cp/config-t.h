/* Types only: the control plane's configuration, filled from the settings table (config.c).
 * Return convention: none (types only).
 *
 * Owner: the loop thread. Read-only everywhere else; SIGHUP rewrites the reloadable fields from
 * the loop thread only.
 */
#ifndef CP_CONFIG_T_H
#define CP_CONFIG_T_H

#include <stdbool.h>

#include "cp/calls-config-t.h"
#include "cp/sip-config-t.h"
#include <stdint.h>

struct cp_config {
	char node_name[64];		/* empty: the host name */
	char node_status_file[256];	/* empty: no status file */

	char api_listen[64];
	int64_t api_max_body_bytes;

	char pg_conninfo[512];
	int64_t pg_pool_size;
	char pg_migrations_dir[256];
	int64_t pg_reconnect_max_ms;

	char rmq_url[256];
	char rmq_exchange_prefix[32];
	int64_t rmq_heartbeat_s;
	int64_t rmq_pending_max;
	int64_t rmq_reconnect_max_ms;

	struct csip_config sip;		/* the "sip." rows */
	struct calls_config calls;	/* the "calls." rows */

	char dp_control[512];		/* comma-separated host:port or unix:/path */
	int64_t dp_heartbeat_ms;

	int log_level;			/* enum bgl_log_level */
	int log_format;			/* enum bgl_log_format */
	bool log_syslog;
};

#endif
