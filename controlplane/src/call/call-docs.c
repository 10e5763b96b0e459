/* Documents for the callflow engine: rows of the documents table as JSON with "id" and
 * "pvt_type" added. Every query runs on the pool; answers come back on the loop thread. */
#include "call-docs.h"

#include "cp/pg-pool.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define DOC_COLUMNS "SELECT id, type, data FROM documents WHERE account_id = $1 AND NOT deleted"

static const char load_sql[] = DOC_COLUMNS " AND id = $2";
static const char callflows_sql[] =
	DOC_COLUMNS " AND type = 'callflow' AND (data->'numbers' ?| $2::text[]"
		    " OR data->'numbers' ? 'no_match'"
		    " OR jsonb_array_length(COALESCE(data->'patterns', '[]')) > 0) ORDER BY id";
static const char list_sql[] = DOC_COLUMNS " AND type = $2 ORDER BY id";
static const char owned_sql[] = DOC_COLUMNS " AND type = $2 AND data->>'owner_id' = $3 ORDER BY id";
static const char save_sql[] =
	"UPDATE documents SET data = $3::jsonb"
	" WHERE account_id = $1 AND id = $2 AND NOT deleted RETURNING id, type, data";

struct doc_query {
	cf_doc_cb cb;
	void *arg;
	bool many;			/* a JSON array of rows, else exactly one row */
};

static json_t *row_doc(const PGresult *res, int i)
{
	json_t *doc = json_loads(PQgetvalue(res, i, 2), 0, NULL);
	if (!json_is_object(doc)) {
		json_decref(doc);
		return NULL;
	}
	json_object_set_new(doc, "id", json_string(PQgetvalue(res, i, 0)));
	json_object_set_new(doc, "pvt_type", json_string(PQgetvalue(res, i, 1)));
	return doc;
}

static void answered(void *arg, const PGresult *res, const char *error)
{
	struct doc_query *q = arg;
	int err = 0;
	json_t *out = NULL;
	if (error || !res) {
		err = -EIO;
	} else if (q->many) {
		out = json_array();
		for (int i = 0; out && i < PQntuples(res); i++) {
			json_t *d = row_doc(res, i);
			if (d)
				json_array_append_new(out, d);
		}
		if (!out)
			err = -ENOMEM;
	} else if (PQntuples(res) != 1) {
		err = -ENOENT;
	} else if (!(out = row_doc(res, 0))) {
		err = -EBADMSG;
	}
	q->cb(q->arg, err, out);
	free(q);
}

static void run(struct cp_pg_pool *pg, const char *sql, int n, const char *const *params,
		bool many, cf_doc_cb cb, void *arg)
{
	struct doc_query *q = calloc(1, sizeof(*q));
	if (!q) {
		cb(arg, -ENOMEM, NULL);
		return;
	}
	q->cb = cb;
	q->arg = arg;
	q->many = many;
	int rc = pg ? cp_pg_query(pg, sql, n, params, answered, q) : -ENOTCONN;
	if (rc < 0) {
		free(q);
		cb(arg, rc, NULL);
	}
}

static void load(void *docs, const char *account_id, const char *id, cf_doc_cb cb, void *arg)
{
	const char *p[2] = { account_id, id };
	run(docs, load_sql, 2, p, false, cb, arg);
}

/* A text[] literal: every element quoted, quotes and backslashes escaped. */
static char *text_array(const char *const *v, size_t n)
{
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += 2 * strlen(v[i]) + 3;
	char *out = malloc(cap);
	if (!out)
		return NULL;
	size_t o = 0;
	out[o++] = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			out[o++] = ',';
		out[o++] = '"';
		for (const char *s = v[i]; *s; s++) {
			if (*s == '"' || *s == '\\')
				out[o++] = '\\';
			out[o++] = *s;
		}
		out[o++] = '"';
	}
	out[o++] = '}';
	out[o] = '\0';
	return out;
}

static void find_callflows(void *docs, const char *account_id, const char *const *numbers,
			   size_t n_numbers, cf_doc_cb cb, void *arg)
{
	char *arr = text_array(numbers, n_numbers);
	if (!arr) {
		cb(arg, -ENOMEM, NULL);
		return;
	}
	const char *p[2] = { account_id, arr };
	/* libpq copies the parameters when the query is queued. */
	run(docs, callflows_sql, 2, p, true, cb, arg);
	free(arr);
}

static void list(void *docs, const char *account_id, const char *type, cf_doc_cb cb, void *arg)
{
	const char *p[2] = { account_id, type };
	run(docs, list_sql, 2, p, true, cb, arg);
}

static void owned_by(void *docs, const char *account_id, const char *type,
		     const char *owner_id, cf_doc_cb cb, void *arg)
{
	const char *p[3] = { account_id, type, owner_id };
	run(docs, owned_sql, 3, p, true, cb, arg);
}

static void save(void *docs, const char *account_id, const char *id, const json_t *doc,
		 cf_doc_cb cb, void *arg)
{
	json_t *copy = json_deep_copy(doc);
	char *text = NULL;
	if (copy) {
		json_object_del(copy, "id");
		json_object_del(copy, "pvt_type");
		text = json_dumps(copy, JSON_COMPACT);
	}
	json_decref(copy);
	if (!text) {
		cb(arg, -ENOMEM, NULL);
		return;
	}
	const char *p[3] = { account_id, id, text };
	run(docs, save_sql, 3, p, false, cb, arg);
	free(text);
}

const struct cf_doc_ops call_doc_ops = {
	.load = load,
	.find_callflows = find_callflows,
	.list = list,
	.owned_by = owned_by,
	.save = save,
};
