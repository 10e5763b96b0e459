/* Authentication, Crossbar style: user_auth (md5 or sha1 of "user:password" with the
 * account's name or realm), api_auth (the account's API key), and logging out. Tokens are
 * 64 random hex digits kept in PostgreSQL, so every control plane honours them. */
#include "api-int.h"
#include "cache.h"
#include "store-events.h"
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *data_string(struct api_req *r, const char *key)
{
	return json_string_value(json_object_get(r->req_data, key));
}

static void new_token(struct api_req *r, const char *account_id, const char *owner_id,
		      const char *method)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	char token[65];
	sodium_bin2hex(token, sizeof(token), raw, sizeof(raw));
	r->work = json_pack("{s:s, s:s?, s:s}", "account_id", account_id, "owner_id", owner_id,
			    "method", method);
	json_object_set_new(r->work, "token", json_string(token));
	api_issued(r, store_token_create(r->api->opt.pg, token, account_id, owner_id, method,
					 r->api->opt.token_ttl_s, api_store_cb, r));
}

static void token_made(struct api_req *r)
{
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	snprintf(r->token, sizeof(r->token), "%s",
		 json_string_value(json_object_get(r->work, "token")));
	json_t *out = json_deep_copy(r->work);
	json_object_del(out, "token");
	api_reply(r, 201, out, NULL);
}

static void refuse(struct api_req *r)
{
	r->api->counters.unauthorized++;
	api_reply_error(r, 401, "invalid credentials", NULL);
}

void api_h_user_auth(struct api_req *r)
{
	switch (r->step++) {
	case 0: {
		const char *cred = data_string(r, "credentials");
		const char *name = data_string(r, "account_name");
		const char *realm = data_string(r, "account_realm");
		if (!cred || (strlen(cred) != 32 && strlen(cred) != 40) || (!name && !realm)) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:{s:{s:s}}}", "credentials", "required",
						  "message",
						  "credentials (md5 or sha1 hex) and account_name or "
						  "account_realm are required"));
			return;
		}
		api_issued(r, store_account_find(r->api->opt.pg, realm ? realm : name, realm != NULL,
						 api_store_cb, r));
		return;
	}
	case 1: {
		if (r->res.status != STORE_OK) {
			api_reply_store_error(r);
			return;
		}
		if (json_array_size(r->res.rows) == 0) {
			refuse(r);
			return;
		}
		json_t *ids = json_array();
		size_t i;
		json_t *row;
		json_array_foreach(r->res.rows, i, row)
			json_array_append(ids, json_object_get(row, "id"));
		char *ids_text = json_dumps(ids, JSON_COMPACT);
		json_decref(ids);
		const char *cred = data_string(r, "credentials");
		char lower[41];
		size_t n = strlen(cred);
		for (size_t k = 0; k <= n; k++)
			lower[k] = (char)((cred[k] >= 'A' && cred[k] <= 'F') ? cred[k] + 32 : cred[k]);
		api_issued(r, store_user_by_credentials(r->api->opt.pg,
							n == 32 ? "pvt_md5_auth" : "pvt_sha1_auth",
							lower, ids_text ? ids_text : "[]",
							api_store_cb, r));
		free(ids_text);
		return;
	}
	case 2: {
		if (r->res.status != STORE_OK) {
			api_reply_store_error(r);
			return;
		}
		const json_t *user = json_array_get(r->res.rows, 0);
		const json_t *enabled = json_object_get(json_object_get(user, "data"), "enabled");
		if (json_array_size(r->res.rows) != 1 || json_is_false(enabled)) {
			refuse(r);
			return;
		}
		new_token(r, json_string_value(json_object_get(user, "account_id")),
			  json_string_value(json_object_get(user, "id")), "user_auth");
		return;
	}
	default:
		token_made(r);
	}
}

void api_h_api_auth(struct api_req *r)
{
	switch (r->step++) {
	case 0: {
		const char *key = data_string(r, "api_key");
		if (!key || strlen(key) != 64) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:{s:{s:s}}}", "api_key", "required", "message",
						  "Field is required but missing"));
			return;
		}
		api_issued(r, store_account_by_api_key(r->api->opt.pg, key, api_store_cb, r));
		return;
	}
	case 1:
		if (r->res.status == STORE_NOT_FOUND) {
			refuse(r);
			return;
		}
		if (r->res.status != STORE_OK) {
			api_reply_store_error(r);
			return;
		}
		new_token(r, json_string_value(json_object_get(json_array_get(r->res.rows, 0), "id")),
			  NULL, "api_auth");
		return;
	default:
		token_made(r);
	}
}

void api_h_token_delete(struct api_req *r)
{
	if (r->step++ == 0) {
		api_issued(r, store_token_delete(r->api->opt.pg, r->token, api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	/* Other nodes forget the session by the token's digest, never the token itself. */
	char digest[41];
	api_sha1_hex(r->token, digest);
	api_announce(r->api, STORE_EVENT_DELETED,
		     json_string_value(json_object_get(r->session, "account_id")), "auth_token",
		     digest);
	cache_drop(r->api->tokens, digest);
	r->token[0] = '\0';
	api_reply(r, 200, json_object(), NULL);
}
