/* The accounts with a calls-per-second limit, as PostgreSQL holds them: every live account
 * whose limits document has a positive `calls_per_second` (and is not `enabled: false`), with
 * the account's realm. An account with several limits documents takes the lowest limit.
 *
 * Return convention: dp_account_rows_parse returns the number of entries written.
 */
#ifndef BUGLE_CP_DP_ACCOUNT_ROWS_H
#define BUGLE_CP_DP_ACCOUNT_ROWS_H

#include <libpq-fe.h>
#include <stddef.h>

#include "dp-account-push.h"

/* Columns: id, realm, cps; at most DP_ACCOUNT_PUSH_MAX + 1 rows (one more tells of overflow). */
extern const char dp_account_rows_sql[];

/* Rows left out of a push, by reason. */
struct dp_account_rows_skipped {
	unsigned long realm_too_long;	/* longer than a data plane's DP_REALM_MAX */
	unsigned long bad_row;		/* an id too long or a limit that is not a number */
	unsigned long over_max;		/* beyond DP_ACCOUNT_PUSH_MAX */
};

/* Fills out[0..cap) from res (the rows of dp_account_rows_sql); limits above the data plane's
 * bound are lowered to it. */
size_t dp_account_rows_parse(const PGresult *res, struct dp_account_limit *out, size_t cap,
			     struct dp_account_rows_skipped *skipped);

#endif
