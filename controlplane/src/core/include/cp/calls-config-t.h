/* Types only: the call-records, channels and webhooks settings: the "calls." rows of the
 * control plane's one settings table (controlplane/src/core/config.c), kept together for the
 * calls module. Return convention: none (types only).
 */
#ifndef CP_CALLS_CONFIG_T_H
#define CP_CALLS_CONFIG_T_H

#include <stdint.h>

struct calls_config {
	int64_t cdr_queue_max;
	int64_t webhook_max_in_flight;
	int64_t webhook_queue_max;
	int64_t webhook_timeout_ms;
	int64_t webhook_backoff_base_ms;
	int64_t webhook_backoff_cap_ms;
	int64_t webhook_disable_failures;
	int64_t webhook_disable_window_s;
	int64_t webhook_reload_s;
	int64_t channel_remote_ttl_s;
	int64_t channel_announce_s;
};

#endif
