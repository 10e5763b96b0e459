/* Accounts: read, create a child, replace or patch, delete a subtree, and the tree queries. */
#include "api-int.h"
#include "cache.h"
#include "jschema.h"
#include "store-events.h"
#include "store.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

static json_t *account_public(const json_t *row)
{
	json_t *d = api_doc_public(row);
	json_object_set_new(d, "id", json_string(json_string_value(json_object_get(row, "id"))));
	return d;
}

static json_t *rev_extra(json_int_t rev)
{
	char s[24];
	snprintf(s, sizeof(s), "%lld", (long long)rev);
	return json_pack("{s:s}", "revision", s);
}

void api_h_account_get(struct api_req *r)
{
	api_reply(r, 200, account_public(r->account),
		  rev_extra(json_integer_value(json_object_get(r->account, "rev"))));
}

static bool validate_account(struct api_req *r, json_t *data)
{
	json_t *errors = NULL;
	int rc = jschema_validate(r->api->opt.schemas, r->route->schema, data, &errors);
	if (rc == 0)
		return true;
	if (rc == -EINVAL)
		api_reply_invalid(r, errors);
	else
		api_reply_error(r, 500, "schema unavailable", NULL);
	return false;
}

void api_h_account_create(struct api_req *r)
{
	if (r->step++ == 0) {
		if (!r->req_data) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:s}", "message", "\"data\" is required"));
			return;
		}
		json_t *data = r->work = json_deep_copy(r->req_data);
		api_doc_strip_private(data);
		if (!json_is_string(json_object_get(data, "name"))) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:{s:{s:s}}}", "name", "required", "message",
						  "Field is required but missing"));
			return;
		}
		char id[33], key[65];
		store_id_new(id);
		if (!json_object_get(data, "realm")) {
			/* KAZOO makes up a realm when none is given: one under the parent's. */
			char realm[300];
			snprintf(realm, sizeof(realm), "%.8s.%s", id,
				 json_string_value(json_object_get(r->account, "realm")));
			json_object_set_new(data, "realm", json_string(realm));
		}
		if (!validate_account(r, data))
			return;
		unsigned char raw[32];
		randombytes_buf(raw, sizeof(raw));
		sodium_bin2hex(key, sizeof(key), raw, sizeof(raw));
		json_object_set_new(data, "pvt_account_id", json_string(id));
		api_issued(r, store_account_create(r->api->opt.pg, id, r->account_id,
						   json_string_value(json_object_get(data, "name")),
						   json_string_value(json_object_get(data, "realm")),
						   key, data, api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	const char *id = json_string_value(json_object_get(r->work, "pvt_account_id"));
	api_announce(r->api, STORE_EVENT_CREATED, id, "account", id);
	json_t *row = json_pack("{s:O, s:s}", "data", r->work, "id", id);
	api_reply(r, 201, api_doc_public(row), rev_extra(1));
	json_decref(row);
}

void api_h_account_update(struct api_req *r)
{
	if (r->step++ == 0) {
		if (!r->req_data) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:s}", "message", "\"data\" is required"));
			return;
		}
		const json_t *current = json_object_get(r->account, "data");
		json_t *data = api_doc_next_body(current, r->req_data, r->method == API_PATCH);
		if (!data) {
			api_reply_error(r, 500, "out of memory", NULL);
			return;
		}
		r->work = data;
		if (!validate_account(r, data))
			return;
		api_doc_keep_private(data, current);
		int rev = api_client_rev(r);
		if (!rev)
			rev = (int)json_integer_value(json_object_get(r->account, "rev"));
		api_issued(r, store_account_replace(r->api->opt.pg, r->account_id, rev, data,
						    api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	api_announce(r->api, STORE_EVENT_EDITED, r->account_id, "account", r->account_id);
	const json_t *row = json_array_get(r->res.rows, 0);
	api_reply(r, 200, account_public(row),
		  rev_extra(json_integer_value(json_object_get(row, "rev"))));
}

void api_h_account_delete(struct api_req *r)
{
	if (r->step++ == 0) {
		const char *mine = json_string_value(json_object_get(r->session, "account_id"));
		if (mine && strcmp(mine, r->account_id) == 0) {
			api_reply_error(r, 403, "forbidden",
					json_pack("{s:s}", "message",
						  "an account cannot delete itself"));
			return;
		}
		api_issued(r, store_account_delete(r->api->opt.pg, r->account_id, api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	size_t i;
	json_t *row;
	json_array_foreach(r->res.rows, i, row) {
		const char *id = json_string_value(json_object_get(row, "id"));
		if (id)
			api_announce(r->api, STORE_EVENT_DELETED, id, "account", id);
	}
	api_reply(r, 200, account_public(r->account), NULL);
}

/* Ancestors above the caller's own account are not the caller's business. */
static bool visible(const json_t *session, const json_t *row)
{
	const char *mine = json_string_value(json_object_get(session, "account_id"));
	const char *path = json_string_value(json_object_get(row, "path"));
	return mine && path && strstr(path, mine) != NULL;
}

void api_h_account_relatives(struct api_req *r)
{
	if (r->step++ == 0) {
		enum store_relatives which = strcmp(r->sub, "children") == 0	   ? STORE_CHILDREN
					     : strcmp(r->sub, "descendants") == 0 ? STORE_DESCENDANTS
										  : STORE_PARENTS;
		api_issued(r, store_account_relatives(r->api->opt.pg, r->account_id, which,
						      api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	json_t *out = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(r->res.rows, i, row) {
		if (!visible(r->session, row))
			continue;
		json_t *tree = json_array();
		const char *path = json_string_value(json_object_get(row, "path"));
		for (const char *p = path; p && *p;) {
			const char *dot = strchr(p, '.');
			size_t n = dot ? (size_t)(dot - p) : strlen(p);
			json_array_append_new(tree, json_stringn(p, n));
			p = dot ? dot + 1 : NULL;
		}
		json_array_remove(tree, json_array_size(tree) - 1);
		json_array_append_new(out, json_pack("{s:O, s:O, s:O, s:o}", "id",
						     json_object_get(row, "id"), "name",
						     json_object_get(row, "name"), "realm",
						     json_object_get(row, "realm"), "tree", tree));
	}
	api_reply(r, 200, out, NULL);
}

void api_h_account_api_key(struct api_req *r)
{
	api_reply(r, 200, json_pack("{s:O}", "api_key", json_object_get(r->account, "api_key")),
		  NULL);
}
