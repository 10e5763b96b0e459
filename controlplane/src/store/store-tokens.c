/* Auth tokens live in PostgreSQL so that every control plane honours every token. */
#include "store-exec.h"

#include <errno.h>
#include <stdio.h>

int store_token_create(struct cp_pg_pool *pg, const char *token, const char *account_id,
		       const char *owner_id, const char *method, unsigned ttl_s, store_cb cb,
		       void *arg)
{
	char ttl[16];
	snprintf(ttl, sizeof(ttl), "%u", ttl_s);
	const char *p[] = { token, account_id, owner_id, method, ttl };
	return store_exec(pg,
			  "INSERT INTO auth_tokens (token, account_id, owner_id, method, expires) "
			  "VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5::int)) "
			  "RETURNING token",
			  5, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_token_touch(struct cp_pg_pool *pg, const char *token, unsigned ttl_s, store_cb cb,
		      void *arg)
{
	char ttl[16];
	snprintf(ttl, sizeof(ttl), "%u", ttl_s);
	const char *p[] = { token, ttl };
	return store_exec(pg,
			  "UPDATE auth_tokens t SET expires = now() + make_interval(secs => $2::int) "
			  "FROM accounts a WHERE t.token = $1 AND t.expires > now() "
			  "AND a.id = t.account_id AND NOT a.deleted "
			  "RETURNING t.account_id, t.owner_id, t.method, ltree2text(a.path) AS path",
			  2, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_token_delete(struct cp_pg_pool *pg, const char *token, store_cb cb, void *arg)
{
	const char *p[] = { token };
	return store_exec(pg, "DELETE FROM auth_tokens WHERE token = $1 RETURNING token", 1, p,
			  STORE_SHAPE_ONE, 0, cb, arg);
}

/* Keyset paging on (created, id): stable while new CDRs arrive. */
const char store_cdr_page_sql[] =
	"SELECT id, call_id, extract(epoch from created)::bigint AS created, "
	"direction, caller_id_number, caller_id_name, callee_id_number, request, "
	"hangup_cause, duration_seconds, billing_seconds, node, data FROM cdrs "
	"WHERE account_id = $1 AND created >= to_timestamp($2::bigint) "
	"AND created < to_timestamp($3::bigint) AND ($4::text IS NULL OR "
	"(created, id) <= (SELECT c.created, c.id FROM cdrs c WHERE "
	"c.account_id = $1 AND c.id = $4 AND c.created >= to_timestamp($2::bigint) "
	"AND c.created < to_timestamp($3::bigint))) "
	"ORDER BY created DESC, id DESC LIMIT $5::int";

int store_cdr_list(struct cp_pg_pool *pg, const char *account_id, int64_t from, int64_t to,
		   const char *start_key, unsigned limit, store_cb cb, void *arg)
{
	char f[24], t[24], l[16];
	if (!limit || limit > STORE_UNPAGED_MAX)
		return -EINVAL;
	snprintf(f, sizeof(f), "%lld", (long long)from);
	snprintf(t, sizeof(t), "%lld", (long long)to);
	snprintf(l, sizeof(l), "%u", limit + 1); /* the extra row names the next page */
	const char *p[] = { account_id, f, t, start_key, l };
	return store_exec(pg, store_cdr_page_sql, 5, p, STORE_SHAPE_PAGE, limit, cb, arg);
}

int store_registration_list(struct cp_pg_pool *pg, const char *account_id, store_cb cb,
			    void *arg)
{
	const char *p[] = { account_id };
	return store_exec(pg,
			  "SELECT realm, username, contact, call_id, user_agent, source, node, "
			  "extract(epoch from expires)::bigint AS expires FROM registrations "
			  "WHERE account_id = $1 AND expires > now() ORDER BY username, contact",
			  1, p, STORE_SHAPE_ROWS, 0, cb, arg);
}
