/* The phone-number registry: listing, reading, assigning and releasing an account's numbers.
 * The claims and releases that callflow writes make run inside PostgreSQL (0007_numbers.sql),
 * in the callflow write's own transaction. */
#include "store-exec.h"

#include <stdio.h>

#define NUMBER_COLUMNS \
	"id, account_id AS assigned_to, state, auto_assigned, used_by, created, modified"

int store_number_list(struct cp_pg_pool *pg, const char *account_id, const char *start_key,
		      unsigned limit, store_cb cb, void *arg)
{
	char more[16];
	/* One row more than the page: its id is the next page's start_key. */
	snprintf(more, sizeof(more), "%u", limit + 1);
	const char *p[] = { account_id, start_key, more };
	return store_exec(pg,
			  "SELECT " NUMBER_COLUMNS " FROM numbers_api "
			  "WHERE account_id = $1 AND ($2::text IS NULL OR id >= $2::text) "
			  "ORDER BY id LIMIT $3::int",
			  3, p, STORE_SHAPE_PAGE, limit, cb, arg);
}

int store_number_get(struct cp_pg_pool *pg, const char *account_id, const char *number,
		     store_cb cb, void *arg)
{
	const char *p[] = { account_id, number };
	return store_exec(pg,
			  "SELECT " NUMBER_COLUMNS " FROM numbers_api "
			  "WHERE account_id = $1 AND id = $2",
			  2, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_number_assign(struct cp_pg_pool *pg, const char *account_id, const char *number,
			const char *state, store_cb cb, void *arg)
{
	const char *p[] = { account_id, number, state };
	return store_exec(pg,
			  "SELECT outcome, " NUMBER_COLUMNS
			  " FROM bugle_number_assign($1, $2, $3::text)",
			  3, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_number_release(struct cp_pg_pool *pg, const char *account_id, const char *number,
			 store_cb cb, void *arg)
{
	const char *p[] = { account_id, number };
	return store_exec(pg, "SELECT bugle_number_release($1, $2) AS outcome", 2, p,
			  STORE_SHAPE_ONE, 0, cb, arg);
}
