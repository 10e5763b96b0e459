/* Documents: read, create, replace with an expected revision, soft delete. */
#include "store-exec.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>


int store_doc_get(struct cp_pg_pool *pg, const char *account_id, const char *type,
		  const char *id, store_cb cb, void *arg)
{
	const char *p[] = { account_id, type, id };
	return store_exec(pg,
			  "SELECT " DOC_COLUMNS " FROM documents "
			  "WHERE account_id = $1 AND type = $2 AND id = $3 AND NOT deleted",
			  3, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_doc_get_any(struct cp_pg_pool *pg, const char *account_id, const char *id,
		      store_cb cb, void *arg)
{
	const char *p[] = { account_id, id };
	return store_exec(pg,
			  "SELECT " DOC_COLUMNS " FROM documents "
			  "WHERE account_id = $1 AND id = $2 AND NOT deleted",
			  2, p, STORE_SHAPE_ONE, 0, cb, arg);
}

int store_doc_create(struct cp_pg_pool *pg, const char *account_id, const char *type,
		     const char *id, const json_t *data, store_cb cb, void *arg)
{
	char *text = store_json_text(data);
	if (!text)
		return -ENOMEM;
	const char *p[] = { account_id, type, id, text };
	int rc = store_exec(pg,
			    "INSERT INTO documents (account_id, type, id, data) "
			    "VALUES ($1, $2, $3, $4::jsonb) RETURNING " DOC_COLUMNS,
			    4, p, STORE_SHAPE_ONE, 0, cb, arg);
	free(text);
	return rc;
}

/* One statement tells "no such document" from "revision moved on": cur sees the row as it is,
 * and the UPDATE re-checks the revision under the row lock, so a concurrent writer in between
 * makes this one stale rather than silently overwritten. */
#define REPLACE_CTES(set_clause)                                                                  \
	"WITH cur AS (SELECT rev FROM documents "                                                  \
	"  WHERE account_id = $1 AND type = $2 AND id = $3 AND NOT deleted), "                     \
	"upd AS (UPDATE documents SET " set_clause " "                                             \
	"  WHERE account_id = $1 AND type = $2 AND id = $3 AND NOT deleted "                       \
	"  AND ($4::int = 0 OR rev = $4::int) RETURNING " DOC_COLUMNS ") "
#define REPLACE_OUTCOME                                                                            \
	"SELECT CASE WHEN upd.id IS NOT NULL THEN 'ok' "                                           \
	"  WHEN (SELECT count(*) FROM cur) = 0 THEN 'missing' ELSE 'stale' END AS outcome, upd.* " \
	"FROM (SELECT 1) one LEFT JOIN upd ON true"
#define REPLACE_SQL(set_clause) REPLACE_CTES(set_clause) REPLACE_OUTCOME

int store_doc_replace(struct cp_pg_pool *pg, const char *account_id, const char *type,
		      const char *id, int expect_rev, const json_t *data, store_cb cb, void *arg)
{
	char *text = store_json_text(data);
	char rev[16];
	if (!text)
		return -ENOMEM;
	snprintf(rev, sizeof(rev), "%d", expect_rev);
	const char *p[] = { account_id, type, id, rev, text };
	int rc = store_exec(pg, REPLACE_SQL("data = $5::jsonb"), 5, p, STORE_SHAPE_OUTCOME, 0, cb,
			    arg);
	free(text);
	return rc;
}

int store_doc_delete(struct cp_pg_pool *pg, const char *account_id, const char *type,
		     const char *id, int expect_rev, store_cb cb, void *arg)
{
	char rev[16];
	snprintf(rev, sizeof(rev), "%d", expect_rev);
	const char *p[] = { account_id, type, id, rev };
	return store_exec(pg, REPLACE_SQL("deleted = true"), 4, p, STORE_SHAPE_OUTCOME, 0, cb,
			  arg);
}

int store_doc_list(struct cp_pg_pool *pg, const char *account_id, const char *type,
		   const struct store_list_query *q, store_cb cb, void *arg)
{
	struct store_sql *s = malloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	int rc = store_list_sql(account_id, type, q, s);
	if (rc == 0)
		rc = store_exec(pg, s->sql, s->n_params, s->params, STORE_SHAPE_PAGE, s->limit, cb,
				arg);
	free(s);
	return rc;
}

/* The page built by PostgreSQL as the text clients get: pvt_* keys removed, "id" added, in id
 * order; the page's extra row only names the next page. */
int store_doc_list_json(struct cp_pg_pool *pg, const char *account_id, const char *type,
			const struct store_list_query *q, store_cb cb, void *arg)
{
	struct store_sql *s = malloc(sizeof(*s));
	char sql[sizeof(s->sql) + 1024], limit[16];
	if (!s)
		return -ENOMEM;
	int rc = store_list_sql(account_id, type, q, s);
	if (rc == 0 && s->n_params >= STORE_SQL_MAX_PARAMS)
		rc = -E2BIG;
	if (rc == 0) {
		snprintf(limit, sizeof(limit), "%u", s->limit);
		s->params[s->n_params++] = limit;
		int n = snprintf(sql, sizeof(sql),
			"WITH page AS (%s) SELECT "
			"(SELECT '[' || coalesce(string_agg(((p.data - coalesce((SELECT array_agg(k) "
			"  FROM jsonb_object_keys(p.data) k WHERE left(k, 4) = 'pvt_'), '{}'::text[])) "
			"  || jsonb_build_object('id', p.id))::text, ',' ORDER BY p.id), '') || ']' "
			"  FROM (SELECT * FROM page ORDER BY id LIMIT $%d::int) p) AS data, "
			"(SELECT id FROM page ORDER BY id OFFSET $%d::int LIMIT 1) AS next_start_key, "
			"(SELECT count(*) FROM page) AS n",
			s->sql, s->n_params, s->n_params);
		rc = n < 0 || (size_t)n >= sizeof(sql) ? -ENOSPC : 0;
	}
	if (rc == 0)
		rc = store_exec(pg, sql, s->n_params, s->params, STORE_SHAPE_ONE, 0, cb, arg);
	free(s);
	return rc;
}

int store_account_replace(struct cp_pg_pool *pg, const char *id, int expect_rev,
			  const json_t *data, store_cb cb, void *arg)
{
	char *text = store_json_text(data);
	char rev[16];
	if (!text)
		return -ENOMEM;
	snprintf(rev, sizeof(rev), "%d", expect_rev);
	const char *p[] = { id, "account", id, rev, text };
	/* The tree row follows the document in the same statement (name and realm feed
	 * user_auth and SIP). */
	int rc = store_exec(pg,
			    REPLACE_CTES("data = $5::jsonb")
			    ", t AS (UPDATE accounts SET name = COALESCE($5::jsonb->>'name', name), "
			    "  realm = COALESCE($5::jsonb->>'realm', realm) "
			    "  WHERE id = $1 AND EXISTS (SELECT 1 FROM upd)) " REPLACE_OUTCOME,
			    5, p, STORE_SHAPE_OUTCOME, 0, cb, arg);
	free(text);
	return rc;
}
