/* What a request body becomes before it is validated and stored: the envelope read from bytes,
 * client-settable fields only, PATCH merged into the current document, and the current private
 * fields carried over. Pure: no connection, no database, so the fuzz target drives it as is. */
#include "api-int.h"

#include <errno.h>
#include <string.h>

/* KAZOO documents are shallow; a deep one is refused here with a 400 rather than by
 * PostgreSQL's stack check with an error. */
#define API_MAX_BODY_DEPTH 32

static bool shallow(const json_t *v, unsigned depth)
{
	if (depth > API_MAX_BODY_DEPTH)
		return false;
	size_t i;
	const char *key;
	json_t *e;
	if (json_is_object(v)) {
		json_object_foreach((json_t *)v, key, e)
			if (!shallow(e, depth + 1))
				return false;
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, e)
			if (!shallow(e, depth + 1))
				return false;
	}
	return true;
}

int api_envelope_parse(const char *body, size_t len, json_t **envelope, json_t **data,
		       json_t **why)
{
	json_error_t err;
	*envelope = *data = *why = NULL;
	/* Without JSON_ALLOW_NUL jansson refuses \u0000, which jsonb could not store either. */
	json_t *env = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
	if (!env) {
		*why = json_pack("{s:s, s:i}", "message", err.text, "position", err.position);
		/* jansson's text may quote the offending bytes, which need not be UTF-8. */
		if (!*why)
			*why = json_pack("{s:s, s:i}", "message", "not valid JSON text", "position",
					 err.position);
		return -EBADMSG;
	}
	if (!json_is_object(env)) {
		json_decref(env);
		*why = json_pack("{s:s}", "message", "the request must be a JSON object");
		return -EBADMSG;
	}
	json_t *d = json_object_get(env, "data");
	if (d && !json_is_object(d)) {
		json_decref(env);
		*why = json_pack("{s:s}", "message", "\"data\" must be an object");
		return -EINVAL;
	}
	if (!shallow(env, 0)) {
		json_decref(env);
		*why = json_pack("{s:s, s:i}", "message", "nested too deeply", "max_depth",
				 API_MAX_BODY_DEPTH);
		return -EINVAL;
	}
	*envelope = env;
	*data = d;
	return 0;
}

void api_merge_patch(json_t *target, const json_t *patch)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)patch, key, v) {
		json_t *cur = json_object_get(target, key);
		if (json_is_null(v)) {
			json_object_del(target, key);
		} else if (json_is_object(v)) {
			/* RFC 7396: a patch object meets an object; nulls inside it delete,
			 * they are never stored, even where the target had nothing. */
			if (!json_is_object(cur)) {
				cur = json_object();
				json_object_set_new(target, key, cur);
			}
			api_merge_patch(cur, v);
		} else {
			json_object_set_new(target, key, json_deep_copy(v));
		}
	}
}

void api_doc_strip_private(json_t *data)
{
	const char *key;
	json_t *v;
	void *tmp;
	json_object_foreach_safe(data, tmp, key, v)
		if (strncmp(key, "pvt_", 4) == 0 || key[0] == '_' || strcmp(key, "id") == 0)
			json_object_del(data, key);
}

json_t *api_doc_next_body(const json_t *current, const json_t *client, bool patch)
{
	json_t *c = json_deep_copy(client);
	if (!json_is_object(c)) {
		json_decref(c);
		return NULL;
	}
	api_doc_strip_private(c);
	if (!patch)
		return c;
	json_t *data = json_is_object(current) ? json_deep_copy(current) : json_object();
	if (data) {
		api_doc_strip_private(data);
		api_merge_patch(data, c);
	}
	json_decref(c);
	return data;
}

void api_doc_keep_private(json_t *data, const json_t *current)
{
	const char *key;
	json_t *v;
	if (!json_is_object(current))
		return;
	json_object_foreach((json_t *)current, key, v)
		if (strncmp(key, "pvt_", 4) == 0 && !json_object_get(data, key))
			json_object_set(data, key, v);
}
