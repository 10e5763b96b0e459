/* The generic document handlers every resource in the route table shares: create (PUT),
 * read, list, replace (POST), merge (PATCH) and delete, with schema validation and defaults,
 * optimistic revisions, cache upkeep and change announcements. */
#include "api-int.h"
#include "api-numbers.h"
#include <sodium.h>
#include <stdlib.h>
#include <errno.h>
#include <microhttpd.h>
#include "cache.h"
#include "jschema.h"
#include "store-batch.h"
#include "store-events.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

static json_t *revision_extra(const json_t *row)
{
	char rev[24];
	snprintf(rev, sizeof(rev), "%lld",
		 (long long)json_integer_value(json_object_get(row, "rev")));
	return json_pack("{s:s}", "revision", rev);
}

static void reply_doc(struct api_req *r, unsigned status, const json_t *row)
{
	api_reply(r, status, api_doc_public(row), revision_extra(row));
}

/* Validates data against the resource's schema (filling defaults); replies 400 and returns
 * false when it is not valid. */
static bool validate(struct api_req *r, const char *schema, json_t *data)
{
	json_t *errors = NULL;
	int rc = jschema_validate(r->api->opt.schemas, schema, data, &errors);
	if (rc == 0)
		return true;
	if (rc == -EINVAL)
		api_reply_invalid(r, errors);
	else
		api_reply_error(r, 500, "schema unavailable", json_pack("{s:s}", "schema", schema));
	return false;
}

/* Users' passwords become hashes. argon2id is slow on purpose, so it runs on libuv's worker
 * pool and the request continues with its next step when it is done. */
struct hash_job {
	uv_work_t work;
	struct api_req *r;
	char *username, *password;
	struct api_credentials out;
	int rc;
};

static void hash_run(uv_work_t *w)
{
	struct hash_job *j = w->data;
	j->rc = api_credentials_compute(j->username, j->password, &j->out);
}

static void hash_done(uv_work_t *w, int status)
{
	struct hash_job *j = w->data;
	struct api_req *r = j->r;
	struct api_server *api = r->api;
	api->inflight--;
	if (!r->gone && !r->response) {
		if (status < 0 || j->rc < 0) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:{s:{s:s}}}", "password", "maxLength", "message",
						  "String must not be more than 1024 characters"));
		} else {
			api_credentials_apply(r->work, &j->out);
			r->route->handler(r);
		}
	}
	sodium_memzero(j->password, strlen(j->password));
	sodium_memzero(&j->out, sizeof(j->out));
	free(j->username);
	free(j->password);
	free(j);
	api_req_unref(r);
	api_maybe_free(api);
}

/* 0: nothing to hash (go on), 1: hashing started (the handler runs again when done), -1:
 * replied 400. data is r->work. */
static int hash_password(struct api_req *r, const char *type, json_t *data)
{
	json_t *pw = json_object_get(data, "password");
	if (strcmp(type, "user") != 0 || !pw)
		return 0;
	const char *user = json_string_value(json_object_get(data, "username"));
	if (!json_is_string(pw) || !user) {
		api_reply_error(r, 400, "invalid data",
				json_pack("{s:{s:{s:s}}}", "username", "required", "message",
					  "a password needs a username"));
		return -1;
	}
	struct hash_job *j = calloc(1, sizeof(*j));
	if (j) {
		j->username = strdup(user);
		j->password = strdup(json_string_value(pw));
	}
	if (!j || !j->username || !j->password) {
		if (j) {
			free(j->username);
			free(j->password);
		}
		free(j);
		api_reply_error(r, 500, "out of memory", NULL);
		return -1;
	}
	j->r = r;
	j->work.data = j;
	if (uv_queue_work(r->api->loop, &j->work, hash_run, hash_done) < 0) {
		free(j->username);
		free(j->password);
		free(j);
		api_reply_error(r, 503, "busy", NULL);
		return -1;
	}
	r->refs++;
	r->api->inflight++;
	return 1;
}

static void reply_write_error(struct api_req *r)
{
	/* A callflow naming a DID another account holds (schemas/sql/0007_numbers.sql). */
	if (r->res.status == STORE_DUPLICATE && strcmp(r->res.constraint, "numbers_holder") == 0) {
		api_reply_number_taken(r, r->res.detail);
		return;
	}
	if (r->res.status == STORE_DUPLICATE && r->resource &&
	    strcmp(r->resource->type, "callflow") == 0) {
		api_reply_error(r, 400, "invalid data",
				json_pack("{s:{s:{s:s}}}", "numbers", "unique", "message",
					  r->res.error));
		return;
	}
	api_reply_store_error(r);
}

static void after_write(struct api_req *r, int kind, unsigned status)
{
	const json_t *row = json_array_get(r->res.rows, 0);
	const char *id = json_string_value(json_object_get(row, "id"));
	char key[128];
	api_doc_key(key, sizeof(key), r->account_id, id);
	api_announce(r->api, kind, r->account_id, r->resource->type, id);
	cache_put(r->api->docs, key, row);
	reply_doc(r, status, row);
}

void api_h_doc_create(struct api_req *r)
{
	switch (r->step++) {
	case 0: {
		if (!r->req_data) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:s}", "message", "\"data\" is required"));
			return;
		}
		json_t *data = r->work = api_doc_next_body(NULL, r->req_data, false);
		if (!data) {
			api_reply_error(r, 500, "out of memory", NULL);
			return;
		}
		if (!validate(r, r->resource->schema, data))
			return;
		api_doc_seal_secrets(r->resource->type, data);
		if (hash_password(r, r->resource->type, data) != 0)
			return;
	}
		/* fall through - nothing to hash */
	case 1: {
		char id[33];
		store_id_new(id);
		r->step = 2;
		api_issued(r, store_batch_doc_create(r->api->creates, r->account_id,
						     r->resource->type, id, r->work, api_store_cb, r));
		return;
	}
	default:
		if (r->res.status != STORE_OK) {
			reply_write_error(r);
			return;
		}
		after_write(r, STORE_EVENT_CREATED, 201);
	}
}

static bool is_my_type(struct api_req *r)
{
	const json_t *row = json_array_get(r->res.rows, 0);
	if (r->res.status == STORE_OK &&
	    strcmp(json_string_value(json_object_get(row, "type")), r->resource->type) != 0)
		r->res.status = STORE_NOT_FOUND;
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return false;
	}
	return true;
}

void api_h_doc_get(struct api_req *r)
{
	if (r->step++ == 0) {
		api_load_doc(r, r->account_id, r->doc_id);
		return;
	}
	if (is_my_type(r))
		reply_doc(r, 200, json_array_get(r->res.rows, 0));
}

/* The new body for POST (the client's) or PATCH (the current one merged with the client's),
 * with the current private fields carried over. NULL after replying 400. */
static json_t *updated_body(struct api_req *r, const json_t *current, const char *schema)
{
	if (!r->req_data) {
		api_reply_error(r, 400, "invalid data",
				json_pack("{s:s}", "message", "\"data\" is required"));
		return NULL;
	}
	json_t *data = api_doc_next_body(current, r->req_data, r->method == API_PATCH);
	if (!data) {
		api_reply_error(r, 500, "out of memory", NULL);
		return NULL;
	}
	if (!validate(r, schema, data)) {
		json_decref(data);
		return NULL;
	}
	api_doc_keep_private(data, current);
	return data;
}

void api_h_doc_update(struct api_req *r)
{
	switch (r->step++) {
	case 0:
		api_load_doc(r, r->account_id, r->doc_id);
		return;
	case 1: {
		if (!is_my_type(r))
			return;
		const json_t *row = json_array_get(r->res.rows, 0);
		json_t *data = updated_body(r, json_object_get(row, "data"), r->resource->schema);
		if (!data)
			return;
		r->work = data;
		r->expect_rev = api_client_rev(r);
		if (!r->expect_rev)
			r->expect_rev = (int)json_integer_value(json_object_get(row, "rev"));
		api_doc_seal_secrets(r->resource->type, data);
		if (hash_password(r, r->resource->type, data) != 0)
			return;
	}
		/* fall through - nothing to hash */
	case 2:
		r->step = 3;
		api_issued(r, store_doc_replace(r->api->opt.pg, r->account_id, r->resource->type,
						r->doc_id, r->expect_rev, r->work, api_store_cb, r));
		return;
	default:
		if (r->res.status != STORE_OK) {
			reply_write_error(r);
			return;
		}
		after_write(r, STORE_EVENT_EDITED, 200);
	}
}

void api_h_doc_delete(struct api_req *r)
{
	if (r->step++ == 0) {
		api_issued(r, store_doc_delete(r->api->opt.pg, r->account_id, r->resource->type,
					       r->doc_id, api_client_rev(r), api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	api_announce(r->api, STORE_EVENT_DELETED, r->account_id, r->resource->type, r->doc_id);
	api_reply(r, 200, json_pack("{s:s, s:b}", "id", r->doc_id, "_deleted", 1), NULL);
}

void api_h_doc_list(struct api_req *r)
{
	if (r->step++ == 0) {
		struct store_list_query q;
		const char *why = NULL;
		if (api_list_query(r, &q, &why) < 0) {
			api_reply_error(r, 400, "invalid query string",
					json_pack("{s:s}", "message", why));
			return;
		}
		r->page_size = q.unpaged ? 0 : (q.page_size ? q.page_size : STORE_PAGE_DEFAULT);
		api_issued(r, store_doc_list_json(r->api->opt.pg, r->account_id, r->resource->type,
						  &q, api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	/* PostgreSQL built the page as text: no row is parsed or re-encoded here. */
	const json_t *row = json_array_get(r->res.rows, 0);
	const char *data = json_string_value(json_object_get(row, "data"));
	const char *next = json_string_value(json_object_get(row, "next_start_key"));
	json_int_t found = json_integer_value(json_object_get(row, "n"));
	if (!data) {
		api_reply_error(r, 500, "listing failed", NULL);
		return;
	}
	json_t *extra = json_object();
	if (r->page_size)
		json_object_set_new(extra, "page_size",
				    json_integer(next ? (json_int_t)r->page_size : found));
	if (next)
		json_object_set_new(extra, "next_start_key", json_string(next));
	const char *start = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "start_key");
	if (start)
		json_object_set_new(extra, "start_key", json_string(start));
	api_reply_data_text(r, 200, data, extra);
}

void api_h_vmbox_messages(struct api_req *r)
{
	if (r->step++ == 0) {
		r->resource = api_resource_by_path("vmboxes");
		api_load_doc(r, r->account_id, r->doc_id);
		return;
	}
	if (!is_my_type(r))
		return;
	json_t *msgs = json_object_get(json_object_get(json_array_get(r->res.rows, 0), "data"),
				       "messages");
	api_reply(r, 200, json_is_array(msgs) ? json_deep_copy(msgs) : json_array(), NULL);
}
