/* Internal to the registrar's files: its state, one REGISTER in flight, and the pieces the
 * flow, the events and the sweep share.
 * Return convention: 0 or a negative errno.
 *
 * Owner: the loop thread writes everything.
 */
#ifndef CSIP_REGISTRAR_INT_H
#define CSIP_REGISTRAR_INT_H

#include "auth-fail.h"
#include "auth.h"
#include "ban.h"
#include "contact.h"
#include "nc-table.h"
#include "registrar.h"

#include <stdbool.h>

struct csip_registrar {
	uv_loop_t *loop;
	struct csip_config cfg;
	struct cp_pg_pool *pg;
	struct cp_bus *bus;
	char node[64];
	struct csip_nonce_key key;
	uint64_t (*now_s)(void *arg);
	void *now_arg;
	uint64_t salt;				/* next nonce salt (unique per nonce) */

	struct csip_nc_table *nc;
	struct csip_auth_fail *fails;
	struct csip_ban *ban;

	uv_timer_t sweep;
	bool sweep_open, sweeping, closing;
	unsigned busy;				/* REGISTERs and sweeps waiting on the store */

	struct csip_registrar_counters c;
};

/* One authenticated-or-not REGISTER while the store is asked. */
struct reg_op {
	struct csip_registrar *r;
	struct csip_tx *tx;
	osip_message_t *req;			/* a clone: the transaction may end first */
	struct csip_credentials cred;
	char aor_realm[256];			/* the To host, the challenge's realm */
	char source_ip[64];			/* the phone, as the edge saw it */
	int source_port;
	char dataplane[64];			/* who relayed it (datagram source) */
	char path[1024];
	uint64_t nonce_issued;
	/* from the store */
	char account_id[64];
	char device_id[160];
	char realm[256];			/* the account's realm as stored */
	char username[128];
	struct csip_contact_set contacts;
};

/* register-flow.c */
uint64_t csip_reg_now(struct csip_registrar *r);
void csip_reg_release(struct csip_registrar *r);

/* reg-events.c: reg_success for a binding, reg_deregister for a removed one. */
void csip_reg_event(struct csip_registrar *r, const char *event, const char *account_id,
		    const char *device_id, const char *realm, const char *username,
		    const char *contact, int64_t expires_s, const char *source_ip, int source_port,
		    const char *call_id, const char *user_agent, const char *reason);

/* reg-sweep.c */
int csip_reg_sweep_start(struct csip_registrar *r);
void csip_reg_sweep_stop(struct csip_registrar *r);

#endif
