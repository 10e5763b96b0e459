/* Read access to registrations for the REST API (GET /v2/accounts/{ID}/registrations): the
 * account's live bindings as a JSON array, from the registrations_live view.
 * Return convention: 0 or a negative errno (then cb is never called).
 *
 * Threading: the loop thread (the pool's).
 */
#ifndef CSIP_REG_LIST_H
#define CSIP_REG_LIST_H

#include <jansson.h>

struct cp_pg_pool;

/* rows: a JSON array (owned by the callee: json_incref to keep it) of objects with KAZOO's
 * registration fields (account_id, authorizing_id, username, realm, contact, expires,
 * network_ip, network_port, user_agent, call_id, path, node, event_timestamp); NULL with
 * error set when the query failed. */
typedef void (*csip_reg_list_cb)(void *arg, json_t *rows, const char *error);

/* The SQL used, for callers that run it themselves: $1 is the account id. */
extern const char csip_reg_list_sql[];

int csip_reg_list(struct cp_pg_pool *pg, const char *account_id, csip_reg_list_cb cb, void *arg);

/* Converts one result (the columns of csip_reg_list_sql) to the JSON array. NULL on no memory. */
json_t *csip_reg_list_json(const void *pgresult);

#endif
