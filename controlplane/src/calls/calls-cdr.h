/* CDR rows: one per leg, built on CHANNEL_DESTROY, for the cdrs table (monthly partitions by
 * `created`, the hangup time) with KAZOO's whole CDR document in `data`; and the paged read the
 * API serves as /v2/accounts/{ID}/cdrs.
 * Return convention: 0 or a negative errno (-EINVAL: a leg without call_id/account_id/end).
 */
#ifndef CALLS_CDR_H
#define CALLS_CDR_H

#include "calls-leg-t.h"
#include "cp/pg-pool.h"

#include <stdint.h>

/* Parameters of CALLS_CDR_INSERT_SQL, in order. */
enum calls_cdr_param {
	CALLS_CDR_ACCOUNT_ID, CALLS_CDR_ID, CALLS_CDR_CALL_ID, CALLS_CDR_CREATED,
	CALLS_CDR_DIRECTION, CALLS_CDR_CALLER_ID_NUMBER, CALLS_CDR_CALLER_ID_NAME,
	CALLS_CDR_CALLEE_ID_NUMBER, CALLS_CDR_REQUEST, CALLS_CDR_HANGUP_CAUSE,
	CALLS_CDR_DURATION, CALLS_CDR_BILLING, CALLS_CDR_NODE, CALLS_CDR_DATA,
	CALLS_CDR_NPARAMS
};

/* Idempotent: a retried insert of the same leg changes nothing. */
#define CALLS_CDR_INSERT_SQL                                                                     \
	"INSERT INTO cdrs (account_id, id, call_id, created, direction, caller_id_number, "      \
	"caller_id_name, callee_id_number, request, hangup_cause, duration_seconds, "             \
	"billing_seconds, node, data) VALUES ($1, $2, $3, to_timestamp($4::double precision), "  \
	"$5, $6, $7, $8, $9, $10, $11::int, $12::int, $13, $14::jsonb) ON CONFLICT DO NOTHING"

/* CALLS_CDR_INSERT_SQL for `rows` rows in one statement: the parameters row after row,
 * CALLS_CDR_NPARAMS each (rows 1 gives CALLS_CDR_INSERT_SQL). malloc'ed; NULL without memory
 * or for 0 rows. */
char *calls_cdr_insert_sql(unsigned rows);

/* Owns its strings (the writer keeps rows while PostgreSQL is away). */
struct calls_cdr_row {
	char *params[CALLS_CDR_NPARAMS];	/* NULL: SQL NULL */
};

/* id is KAZOO's "YYYYMM-<call-id>" (the month of created, UTC). */
int calls_cdr_build(const struct calls_leg *leg, const char *node, struct calls_cdr_row *row);
void calls_cdr_row_clear(struct calls_cdr_row *row);

/* One page of an account's CDRs created in [from_s, to_s) (unix seconds), newest first.
 * start_key: NULL for the first page, else a CDR id from the previous page's extra row. The
 * result holds up to page_size + 1 rows: when there are page_size + 1, the last one's id is the
 * next start_key and it is not part of this page. Columns: id, call_id, created (unix s),
 * direction, caller_id_number, caller_id_name, callee_id_number, request, hangup_cause,
 * duration_seconds, billing_seconds, node, data. */
int calls_cdr_list(struct cp_pg_pool *pg, const char *account_id, int64_t from_s, int64_t to_s,
		   const char *start_key, unsigned page_size, cp_pg_result_cb cb, void *arg);

#endif
