/* Internal to the store: running one statement on the pool and turning its result into rows.
 * Return convention: 0 or a negative errno (the callback then never runs).
 */
#ifndef STORE_EXEC_H
#define STORE_EXEC_H

#include "store.h"

enum store_shape {
	STORE_SHAPE_ROWS,	/* every row, as is */
	STORE_SHAPE_ONE,	/* exactly one row, else STORE_NOT_FOUND */
	STORE_SHAPE_OUTCOME,	/* one row whose "outcome" column says ok / missing / stale */
	STORE_SHAPE_PAGE,	/* up to limit rows; a further one gives next_start_key (its id) */
};

int store_exec(struct cp_pg_pool *pg, const char *sql, int n, const char *const *params,
	       enum store_shape shape, unsigned limit, store_cb cb, void *arg);

/* Text of a JSON value for a jsonb parameter; caller frees. NULL on failure. */
char *store_json_text(const json_t *v);

#endif
