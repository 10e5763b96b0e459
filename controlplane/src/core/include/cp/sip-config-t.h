/* Types only: the SIP stack's and registrar's settings: the "sip." rows of the control
 * plane's one settings table (controlplane/src/core/config.c), kept together for the sip module.
 * Return convention: none (types only).
 *
 * Owner: the loop thread; read-only after the sip module's init.
 */
#ifndef CP_SIP_CONFIG_T_H
#define CP_SIP_CONFIG_T_H

#include <stdbool.h>
#include <stdint.h>

struct csip_config {
	char listen[64];		/* host:port facing the data planes' internal port */
	char outbound_proxy[64];	/* host:port every request toward a phone goes to */
	int64_t max_transactions;	/* live transactions; more get a stateless 503 */
	int64_t nonce_ttl_s;		/* a nonce older than this is stale */
	int64_t nonce_table_size;	/* nonce-count slots for replay protection */
	int64_t min_expires_s;		/* below: 423 Interval Too Brief */
	int64_t max_expires_s;		/* above: lowered to this */
	int64_t default_expires_s;	/* when the device document says nothing */
	int64_t sweep_interval_s;	/* how often expired bindings are deleted */
	int64_t auth_fail_max;		/* failed authentications per source ... */
	int64_t auth_fail_window_s;	/* ... within this window before a ban */
	int64_t auth_fail_table_size;	/* sources tracked */
	int64_t ban_seconds;		/* ban asked of the data planes */
	bool register_sha256;		/* a SHA-256 challenge beside MD5 to REGISTER */
};

#endif
