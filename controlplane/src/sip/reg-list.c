/* Listing an account's registrations. */
#include "reg-list.h"

#include "cp/pg-pool.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char csip_reg_list_sql[] =
	"SELECT account_id, device_id, username, realm, contact, expires_in, source, user_agent,"
	" call_id, path, node, extract(epoch FROM modified)::bigint"
	" FROM registrations_live WHERE account_id = $1 ORDER BY username, contact";

struct list_req {
	csip_reg_list_cb cb;
	void *arg;
};

static void set_text(json_t *o, const char *key, const PGresult *res, int row, int col)
{
	if (!PQgetisnull(res, row, col))
		json_object_set_new(o, key, json_string(PQgetvalue(res, row, col)));
}

json_t *csip_reg_list_json(const void *pgresult)
{
	const PGresult *res = pgresult;
	json_t *rows = json_array();
	if (!rows)
		return NULL;
	for (int i = 0; i < PQntuples(res); i++) {
		json_t *o = json_object();
		if (!o) {
			json_decref(rows);
			return NULL;
		}
		set_text(o, "account_id", res, i, 0);
		set_text(o, "authorizing_id", res, i, 1);
		set_text(o, "username", res, i, 2);
		set_text(o, "realm", res, i, 3);
		set_text(o, "contact", res, i, 4);
		json_object_set_new(o, "expires", json_integer(atoll(PQgetvalue(res, i, 5))));
		/* source is "ip:port" of the phone as the edge saw it. */
		const char *src = PQgetvalue(res, i, 6);
		const char *colon = strrchr(src, ':');
		if (colon) {
			json_object_set_new(o, "network_ip", json_stringn(src, (size_t)(colon - src)));
			json_object_set_new(o, "network_port", json_integer(atoi(colon + 1)));
		}
		set_text(o, "user_agent", res, i, 7);
		set_text(o, "call_id", res, i, 8);
		set_text(o, "path", res, i, 9);
		set_text(o, "node", res, i, 10);
		json_object_set_new(o, "event_timestamp",
				    json_integer(atoll(PQgetvalue(res, i, 11))));
		json_array_append_new(rows, o);
	}
	return rows;
}

static void listed(void *arg, const PGresult *res, const char *error)
{
	struct list_req *lr = arg;
	if (error) {
		lr->cb(lr->arg, NULL, error);
	} else {
		json_t *rows = csip_reg_list_json(res);
		lr->cb(lr->arg, rows, rows ? NULL : "out of memory");
		json_decref(rows);
	}
	free(lr);
}

int csip_reg_list(struct cp_pg_pool *pg, const char *account_id, csip_reg_list_cb cb, void *arg)
{
	struct list_req *lr = malloc(sizeof(*lr));
	if (!lr)
		return -ENOMEM;
	lr->cb = cb;
	lr->arg = arg;
	const char *params[1] = { account_id };
	int rc = cp_pg_query(pg, csip_reg_list_sql, 1, params, listed, lr);
	if (rc < 0)
		free(lr);
	return rc;
}
