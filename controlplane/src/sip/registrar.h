/* The registrar: REGISTER with digest authentication against the device documents (account by
 * realm, device by sip.username), bindings in PostgreSQL (one function call per REGISTER), a
 * bus event per change, a periodic sweep of expired bindings, and failed authentications
 * counted per source with a ban asked of the data planes past the limit.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread.
 */
#ifndef CSIP_REGISTRAR_H
#define CSIP_REGISTRAR_H

#include "cp/sip-config-t.h"
#include "nonce.h"
#include "sip-stack-t.h"

#include <stdint.h>
#include <uv.h>

struct cp_pg_pool;
struct cp_bus;
struct csip_registrar;

struct csip_registrar_options {
	const struct csip_config *cfg;		/* copied */
	struct cp_pg_pool *pg;
	struct cp_bus *bus;			/* NULL: no events */
	const char *node;			/* this control plane's name */
	const char *dp_control;			/* data planes to ask for bans ("" none) */
	struct csip_nonce_key key;
	uint64_t seed;				/* hash seed for the per-source table */
	uint64_t (*now_s)(void *arg);		/* NULL: the wall clock */
	void *now_arg;
};

#define CSIP_REGISTRAR_COUNTERS(X)                                                           \
	X(registers, "REGISTER requests handled")                                           \
	X(challenges, "401 challenges sent")                                                \
	X(stale_nonces, "401 with stale=TRUE (expired nonce)")                              \
	X(replays, "nonce-count replays refused")                                           \
	X(nc_table_full, "nonces refused because the nonce-count table had no room")        \
	X(auth_failures, "failed authentications (wrong password, unknown user, bad nonce)")\
	X(bans, "sources over the failure limit handed to the data planes")                 \
	X(bad_requests, "REGISTER answered 400")                                            \
	X(too_brief, "REGISTER answered 423")                                               \
	X(successes, "REGISTER answered 200")                                               \
	X(store_errors, "REGISTER answered 500 because the store failed")                   \
	X(swept, "expired bindings deleted by the sweep")

struct csip_registrar_counters {
#define CSIP_REG_COUNTER_FIELD(name, doc) uint64_t name;
	CSIP_REGISTRAR_COUNTERS(CSIP_REG_COUNTER_FIELD)
#undef CSIP_REG_COUNTER_FIELD
};

struct csip_registrar *csip_registrar_new(uv_loop_t *loop, const struct csip_registrar_options *o);

/* Start the sweep timer. */
int csip_registrar_start(struct csip_registrar *r);

/* Handle one REGISTER in its transaction (answers now or when the store replies). */
void csip_registrar_handle(struct csip_registrar *r, struct csip_tx *tx, osip_message_t *req);

void csip_registrar_counters(const struct csip_registrar *r, struct csip_registrar_counters *out);

/* Stops the sweep; requests in flight end with the transaction refusing their answer; the
 * registrar frees itself when the last one completes. NULL is a no-op. */
void csip_registrar_close(struct csip_registrar *r);

#endif
