/* Reading the accounts' CPS limits out of PostgreSQL (see dp-account-rows.h). */
#include "dp-account-rows.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define DP_CPS_MAX 1000000u	/* the data plane's FLT_RATE_MAX */

#define STR_(x) #x
#define STR(x) STR_(x)

const char dp_account_rows_sql[] =
	"SELECT a.id, a.realm, min(floor((d.data->>'calls_per_second')::numeric))::text"
	" FROM accounts a JOIN documents d ON d.account_id = a.id"
	" WHERE NOT a.deleted AND NOT d.deleted AND d.type = 'limits'"
	" AND jsonb_typeof(d.data->'calls_per_second') = 'number'"
	" AND (d.data->>'calls_per_second')::numeric >= 1"
	" AND coalesce(d.data->'enabled', 'true'::jsonb) <> 'false'::jsonb"
	" GROUP BY a.id, a.realm ORDER BY a.id"
	" LIMIT " STR(DP_ACCOUNT_PUSH_MAX) " + 1";

/* The limit as text (a whole number >= 1, possibly huge), capped to DP_CPS_MAX; 0 if not one. */
static unsigned cps_of(const char *text)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
	if (end == text || *end || text[0] == '-')
		return 0;
	if (errno == ERANGE || v > DP_CPS_MAX)
		return DP_CPS_MAX;
	return (unsigned)v;
}

size_t dp_account_rows_parse(const PGresult *res, struct dp_account_limit *out, size_t cap,
			     struct dp_account_rows_skipped *skipped)
{
	size_t n = 0;
	int rows = PQntuples(res);
	for (int i = 0; i < rows; i++) {
		const char *id = PQgetvalue(res, i, 0), *realm = PQgetvalue(res, i, 1);
		unsigned cps = cps_of(PQgetvalue(res, i, 2));
		size_t idn = strlen(id), rn = strlen(realm);
		if (n == cap) {
			skipped->over_max++;
			continue;
		}
		if (rn > DP_REALM_MAX) {
			skipped->realm_too_long++;
			continue;
		}
		if (idn == 0 || idn > DP_ACCOUNT_ID_MAX || rn == 0 || cps == 0) {
			skipped->bad_row++;
			continue;
		}
		struct dp_account_limit *e = &out[n++];
		memcpy(e->account_id, id, idn + 1);
		memcpy(e->realm, realm, rn + 1);
		e->cps = cps;
	}
	return n;
}
