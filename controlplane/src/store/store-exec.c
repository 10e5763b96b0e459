/* Running one statement and decoding its rows by column type, so that each query only has to
 * name its columns. */
#include "store-exec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* PostgreSQL type OIDs (pg_type.h is server-side only). */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_JSON 114
#define OID_JSONB 3802

struct exec_op {
	store_cb cb;
	void *arg;
	enum store_shape shape;
	unsigned limit;
};

char *store_json_text(const json_t *v)
{
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

static json_t *cell(const PGresult *res, int row, int col)
{
	if (PQgetisnull(res, row, col))
		return json_null();
	const char *v = PQgetvalue(res, row, col);
	switch (PQftype(res, col)) {
	case OID_BOOL:
		return json_boolean(v[0] == 't');
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return json_integer(strtoll(v, NULL, 10));
	case OID_JSON:
	case OID_JSONB: {
		json_t *j = json_loads(v, JSON_DECODE_ANY, NULL);
		return j ? j : json_null();
	}
	default:
		return json_string(v);
	}
}

json_t *store_rows_decode(const PGresult *res)
{
	json_t *rows = json_array();
	int nr = PQntuples(res), nc = PQnfields(res);
	for (int r = 0; r < nr; r++) {
		json_t *o = json_object();
		for (int c = 0; c < nc; c++)
			json_object_set_new(o, PQfname(res, c), cell(res, r, c));
		json_array_append_new(rows, o);
	}
	return rows;
}

/* Unique violations are the caller's fault (409); a missing referenced row is a 404. */
enum store_status store_status_of_error(const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!res)
		return STORE_UNAVAILABLE;
	if (state && strcmp(state, "23505") == 0)
		return STORE_DUPLICATE;
	if (state && strcmp(state, "23503") == 0)
		return STORE_NOT_FOUND;
	if (state && strncmp(state, "08", 2) == 0)
		return STORE_UNAVAILABLE;
	return STORE_ERROR;
}

static void shape_rows(struct exec_op *op, struct store_result *r)
{
	size_t n = json_array_size(r->rows);
	switch (op->shape) {
	case STORE_SHAPE_ROWS:
		break;
	case STORE_SHAPE_ONE:
		if (n != 1)
			r->status = STORE_NOT_FOUND;
		break;
	case STORE_SHAPE_OUTCOME: {
		const char *o = json_string_value(
			json_object_get(json_array_get(r->rows, 0), "outcome"));
		if (!o || strcmp(o, "missing") == 0)
			r->status = STORE_NOT_FOUND;
		else if (strcmp(o, "stale") == 0)
			r->status = STORE_STALE;
		break;
	}
	case STORE_SHAPE_PAGE:
		if (n > op->limit) {
			json_t *extra = json_array_get(r->rows, op->limit);
			r->next_start_key = json_string_value(json_object_get(extra, "id"));
		}
		break;
	}
}

static void done(void *arg, const PGresult *res, const char *error)
{
	struct exec_op *op = arg;
	struct store_result r = { .status = STORE_OK };
	json_t *extra = NULL;
	if (error) {
		r.status = store_status_of_error(res);
		r.error = error;
		r.constraint = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
		r.detail = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL) : NULL;
		r.rows = json_array();
	} else {
		r.rows = store_rows_decode(res);
		shape_rows(op, &r);
		/* The next page's first row is not part of this page. */
		if (op->shape == STORE_SHAPE_PAGE && json_array_size(r.rows) > op->limit) {
			extra = json_incref(json_array_get(r.rows, op->limit));
			while (json_array_size(r.rows) > op->limit)
				json_array_remove(r.rows, op->limit);
		}
	}
	if (!r.rows)
		r = (struct store_result){ .status = STORE_ERROR, .error = "out of memory" };
	op->cb(op->arg, &r);
	json_decref(extra);
	json_decref(r.rows);
	free(op);
}

int store_exec(struct cp_pg_pool *pg, const char *sql, int n, const char *const *params,
	       enum store_shape shape, unsigned limit, store_cb cb, void *arg)
{
	if (!pg || !cb)
		return -EINVAL;
	struct exec_op *op = malloc(sizeof(*op));
	if (!op)
		return -ENOMEM;
	*op = (struct exec_op){ .cb = cb, .arg = arg, .shape = shape, .limit = limit };
	int rc = cp_pg_query(pg, sql, n, params, done, op);
	if (rc < 0)
		free(op);
	return rc;
}
