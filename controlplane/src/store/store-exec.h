/* Internal to the store: running one statement on the pool and turning its result into rows.
 * Return convention: 0 or a negative errno (the callback then never runs).
 */
#ifndef STORE_EXEC_H
#define STORE_EXEC_H

#include "store.h"

/* The columns of a document row. */
#define DOC_COLUMNS                                                                                \
	"id, type, rev, extract(epoch from created)::bigint AS created, "                          \
	"extract(epoch from modified)::bigint AS modified, data"

enum store_shape {
	STORE_SHAPE_ROWS,	/* every row, as is */
	STORE_SHAPE_ONE,	/* exactly one row, else STORE_NOT_FOUND */
	STORE_SHAPE_OUTCOME,	/* one row whose "outcome" column says ok / missing / stale */
	STORE_SHAPE_PAGE,	/* up to limit rows; a further one gives next_start_key (its id) */
};

int store_exec(struct cp_pg_pool *pg, const char *sql, int n, const char *const *params,
	       enum store_shape shape, unsigned limit, store_cb cb, void *arg);

/* The rows of a result as JSON objects keyed by column name (see store-t.h). */
json_t *store_rows_decode(const PGresult *res);
/* What a failed statement means to callers (duplicate, missing parent, unreachable, other). */
enum store_status store_status_of_error(const PGresult *res);

/* Text of a JSON value for a jsonb parameter; caller frees. NULL on failure. */
char *store_json_text(const json_t *v);

#endif
