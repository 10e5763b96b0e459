/* Crossbar's envelope around every answer, and how documents look to clients. */
#include "api-int.h"

#include "jschema.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void count(struct api_server *api, unsigned status)
{
	if (status < 300)
		api->counters.responses_2xx++;
	else if (status < 500)
		api->counters.responses_4xx++;
	else
		api->counters.responses_5xx++;
}

static void set_response(struct api_req *r, unsigned status, struct MHD_Response *resp)
{
	if (r->response) {
		/* A handler answered twice: keep the first answer. */
		MHD_destroy_response(resp);
		return;
	}
	r->status = status;
	r->response = resp;
	count(r->api, status);
	api_metrics_observe(r->api, r->started_ns);
	api_flush(r);
}

static void send_json(struct api_req *r, unsigned status, json_t *env)
{
	char *text = json_dumps(env, JSON_COMPACT);
	json_decref(env);
	if (!text) {
		text = strdup("{\"status\":\"error\",\"error\":\"500\",\"message\":\"out of memory\"}");
		status = 500;
		if (!text)
			return;
	}
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	set_response(r, status, resp);
}

static json_t *envelope(struct api_req *r)
{
	return json_pack("{s:s, s:s}", "request_id", r->request_id, "auth_token", r->token);
}

void api_reply(struct api_req *r, unsigned status, json_t *data, json_t *extra)
{
	json_t *env = envelope(r);
	json_object_set_new(env, "data", data ? data : json_object());
	json_object_set_new(env, "status", json_string("success"));
	if (extra)
		json_object_update(env, extra);
	json_decref(extra);
	send_json(r, status, env);
}

void api_reply_data_text(struct api_req *r, unsigned status, const char *data_json,
			 json_t *extra)
{
	json_t *env = envelope(r);
	json_object_set_new(env, "status", json_string("success"));
	if (extra)
		json_object_update(env, extra);
	json_decref(extra);
	char *rest = json_dumps(env, JSON_COMPACT);
	json_decref(env);
	size_t dlen = strlen(data_json), rlen = rest ? strlen(rest) : 0;
	char *text = rest ? malloc(dlen + rlen + 16) : NULL;
	if (!text) {
		free(rest);
		api_reply_error(r, 500, "out of memory", NULL);
		return;
	}
	/* {"data":<data_json>,<the envelope's other members> */
	size_t n = (size_t)sprintf(text, "{\"data\":%s,", data_json);
	memcpy(text + n, rest + 1, rlen); /* rest is "{...}": skip its brace, keep its NUL */
	free(rest);
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
	if (!resp) {
		free(text);
		return;
	}
	MHD_add_response_header(resp, "Content-Type", "application/json");
	set_response(r, status, resp);
}

void api_reply_error(struct api_req *r, unsigned status, const char *message, json_t *data)
{
	char code[8];
	snprintf(code, sizeof(code), "%u", status);
	json_t *env = envelope(r);
	json_object_set_new(env, "data", data ? data : json_object());
	json_object_set_new(env, "error", json_string(code));
	json_object_set_new(env, "message", json_string(message));
	json_object_set_new(env, "status", json_string("error"));
	send_json(r, status, env);
}

void api_reply_invalid(struct api_req *r, json_t *errors)
{
	json_t *env = jschema_error_envelope(errors);
	json_decref(errors);
	if (!env) {
		api_reply_error(r, 500, "out of memory", NULL);
		return;
	}
	json_t *ids = envelope(r);
	json_object_update_missing(env, ids);
	json_decref(ids);
	send_json(r, 400, env);
}

void api_reply_store_error(struct api_req *r)
{
	switch (r->res.status) {
	case STORE_NOT_FOUND:
		api_reply_error(r, 404, "bad identifier", NULL);
		return;
	case STORE_STALE:
		api_reply_error(r, 409, "conflicting documents",
				json_pack("{s:s}", "message", "the document changed; read it again"));
		return;
	case STORE_DUPLICATE:
		api_reply_error(r, 409, "conflicting documents",
				json_pack("{s:s}", "message", r->res.error));
		return;
	case STORE_UNAVAILABLE:
		api_reply_error(r, 503, "datastore unavailable", NULL);
		return;
	default:
		api_reply_error(r, 500, "datastore fault", NULL);
		return;
	}
}

void api_reply_store_page(struct api_req *r)
{
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	json_t *extra = json_object();
	if (r->page_size)
		json_object_set_new(extra, "page_size",
				    json_integer((json_int_t)json_array_size(r->res.rows)));
	if (r->res.has_next)
		json_object_set_new(extra, "next_start_key", json_string(r->res.next_start_key));
	const char *start = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "start_key");
	if (start)
		json_object_set_new(extra, "start_key", json_string(start));
	api_reply(r, 200, json_incref(r->res.rows), extra);
}

void api_reply_raw(struct api_req *r, unsigned status, const char *content_type,
		   const void *bytes, size_t len)
{
	struct MHD_Response *resp =
		MHD_create_response_from_buffer(len, (void *)bytes, MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return;
	MHD_add_response_header(resp, "Content-Type", content_type);
	set_response(r, status, resp);
}

json_t *api_doc_public(const json_t *row)
{
	json_t *data = json_deep_copy(json_object_get(row, "data"));
	if (!json_is_object(data)) {
		json_decref(data);
		data = json_object();
	}
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(data, tmp, key, v)
		if (strncmp(key, "pvt_", 4) == 0)
			json_object_del(data, key);
	json_object_set(data, "id", json_object_get(row, "id"));
	return data;
}

static int rev_of(const char *s)
{
	if (!s)
		return 0;
	long v = strtol(s, NULL, 10);
	return v > 0 && v < 1000000000 ? (int)v : 0;
}

int api_client_rev(struct api_req *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "If-Match");
	if (h)
		return rev_of(h[0] == '"' ? h + 1 : h);
	json_t *v = json_object_get(r->req_envelope, "revision");
	if (!v)
		v = json_object_get(r->req_data, "_rev");
	if (json_is_integer(v)) {
		json_int_t x = json_integer_value(v);
		return x > 0 && x < 1000000000 ? (int)x : 0;
	}
	return rev_of(json_string_value(v));
}
