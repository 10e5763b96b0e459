/* The account tree (ltree paths) and the lookups authentication needs. */
#include "store-exec.h"

#include <errno.h>
#include <stdlib.h>

int store_account_create(struct cp_pg_pool *pg, const char *id, const char *parent_id,
			 const char *name, const char *realm, const char *api_key,
			 const json_t *data, store_cb cb, void *arg)
{
	char *text = store_json_text(data);
	if (!text)
		return -ENOMEM;
	const char *p[] = { id, parent_id, name, realm, api_key, text };
	int rc = store_exec(pg, "SELECT bugle_account_create($1, $2, $3, $4, $5, $6::jsonb) AS path",
			    6, p, STORE_SHAPE_ONE, 0, cb, arg);
	free(text);
	return rc;
}

int store_account_get(struct cp_pg_pool *pg, const char *id, store_cb cb, void *arg)
{
	const char *p[] = { id };
	return store_exec(pg,
			  "SELECT a.id, ltree2text(a.path) AS path, a.parent_id, a.name, a.realm, "
			  "a.enabled, a.api_key, d.rev, extract(epoch from d.created)::bigint AS created, "
			  "extract(epoch from d.modified)::bigint AS modified, d.data "
			  "FROM accounts a JOIN documents d ON d.account_id = a.id AND d.id = a.id "
			  "WHERE a.id = $1 AND NOT a.deleted AND NOT d.deleted",
			  1, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_account_delete(struct cp_pg_pool *pg, const char *id, store_cb cb, void *arg)
{
	const char *p[] = { id };
	return store_exec(pg, "SELECT bugle_account_delete($1) AS id", 1, p, STORE_SHAPE_ROWS, 0,
			  cb, arg);
}

#define RELATIVE_COLUMNS "a.id, a.name, a.realm, ltree2text(a.path) AS path, a.parent_id"

int store_account_relatives(struct cp_pg_pool *pg, const char *id, enum store_relatives which,
			    store_cb cb, void *arg)
{
	static const char *const sql[] = {
		[STORE_CHILDREN] = "SELECT " RELATIVE_COLUMNS " FROM accounts a "
				   "WHERE a.parent_id = $1 AND NOT a.deleted ORDER BY a.path",
		[STORE_DESCENDANTS] = "SELECT " RELATIVE_COLUMNS " FROM accounts a, accounts me "
				      "WHERE me.id = $1 AND NOT me.deleted AND a.path <@ me.path "
				      "AND a.id <> me.id AND NOT a.deleted ORDER BY a.path",
		[STORE_PARENTS] = "SELECT " RELATIVE_COLUMNS " FROM accounts a, accounts me "
				  "WHERE me.id = $1 AND NOT me.deleted AND a.path @> me.path "
				  "AND a.id <> me.id ORDER BY a.path",
	};
	if ((unsigned)which > STORE_PARENTS)
		return -EINVAL;
	const char *p[] = { id };
	return store_exec(pg, sql[which], 1, p, STORE_SHAPE_ROWS, 0, cb, arg);
}

int store_account_find(struct cp_pg_pool *pg, const char *name_or_realm, bool by_realm,
		       store_cb cb, void *arg)
{
	const char *p[] = { name_or_realm };
	return store_exec(pg,
			  by_realm ? "SELECT id, ltree2text(path) AS path, name, realm FROM accounts "
				     "WHERE lower(realm) = lower($1) AND NOT deleted"
				   : "SELECT id, ltree2text(path) AS path, name, realm FROM accounts "
				     "WHERE lower(name) = lower($1) AND NOT deleted ORDER BY path",
			  1, p, STORE_SHAPE_ROWS, 0, cb, arg);
}

int store_account_by_api_key(struct cp_pg_pool *pg, const char *api_key, store_cb cb, void *arg)
{
	const char *p[] = { api_key };
	return store_exec(pg,
			  "SELECT id, ltree2text(path) AS path, name, realm FROM accounts "
			  "WHERE api_key = $1 AND NOT deleted AND enabled",
			  1, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_account_set_api_key(struct cp_pg_pool *pg, const char *id, const char *api_key,
			      store_cb cb, void *arg)
{
	const char *p[] = { id, api_key };
	return store_exec(pg,
			  "UPDATE accounts SET api_key = $2 WHERE id = $1 AND NOT deleted "
			  "RETURNING id, api_key",
			  2, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_user_by_credentials(struct cp_pg_pool *pg, const char *field, const char *hash,
			      const char *account_ids_json, store_cb cb, void *arg)
{
	const char *p[] = { field, hash, account_ids_json };
	/* Containment on the body uses the GIN index. */
	return store_exec(pg,
			  "SELECT account_id, id, data FROM documents "
			  "WHERE type = 'user' AND NOT deleted "
			  "AND data @> jsonb_build_object($1::text, $2::text) "
			  "AND account_id IN (SELECT jsonb_array_elements_text($3::jsonb))",
			  3, p, STORE_SHAPE_ROWS, 0, cb, arg);
}
