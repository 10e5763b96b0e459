/* libFuzzer target for request bodies without a database: the envelope read from bytes, the
 * body a PUT, POST or PATCH would store (private fields stripped, PATCH merged with nulls
 * deleting), its schema validation with defaults, the private fields carried over and the text
 * sent to PostgreSQL.
 * Input: one selector byte (method and resource), then the current document's JSON, a NUL,
 * and the request body; without a NUL the whole rest is the body and the current document is
 * empty. */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api-int.h"
#include "fuzz-schemas.h"
#include "store-exec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A null as an object member; arrays are values that a patch replaces whole, so nulls inside
 * them are data (RFC 7396). */
static bool has_null_member(const json_t *v)
{
	const char *key;
	json_t *e;
	json_object_foreach((json_t *)v, key, e)
		if (json_is_null(e) || (json_is_object(e) && has_null_member(e)))
			return true;
	return false;
}

static bool client_may_set(const char *key)
{
	return strncmp(key, "pvt_", 4) != 0 && key[0] != '_' && strcmp(key, "id") != 0;
}

/* A \u0000 escape in JSON text (jsonb refuses it); an escaped backslash followed by "u0000"
 * is not one. */
static bool has_nul_escape(const char *text)
{
	for (const char *p = text; *p; p++) {
		if (*p != '\\')
			continue;
		if (p[1] == 'u' && strncmp(p + 2, "0000", 4) == 0)
			return true;
		if (p[1])
			p++; /* the escaped character, a backslash included */
	}
	return false;
}

static void check_body(const json_t *current, const json_t *client, bool patch,
		       const char *schema)
{
	json_t *next = api_doc_next_body(current, client, patch);
	if (!json_is_object(next))
		abort();
	const char *key;
	json_t *v;
	json_object_foreach(next, key, v)
		if (!client_may_set(key))
			abort();
	if (patch) {
		/* RFC 7396: the patch's nulls delete; they never end up stored. */
		if (!has_null_member(current) && has_null_member(next))
			abort();
	} else {
		size_t settable = 0;
		json_object_foreach((json_t *)client, key, v) {
			if (!client_may_set(key))
				continue;
			settable++;
			if (!json_equal(v, json_object_get(next, key)))
				abort();
		}
		if (settable != json_object_size(next))
			abort();
	}
	json_t *errors = NULL;
	int rc = jschema_validate(fuzz_schemas(), schema, next, &errors);
	if (rc == -EINVAL && !json_is_object(errors))
		abort();
	json_decref(errors);
	if (rc == 0) {
		api_doc_keep_private(next, current);
		json_object_foreach((json_t *)current, key, v)
			if (strncmp(key, "pvt_", 4) == 0 && !json_object_get(next, key))
				abort();
		/* What goes to PostgreSQL reads back as the same document, and jsonb can take it. */
		char *text = store_json_text(next);
		if (!text || has_nul_escape(text))
			abort();
		json_t *back = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
		if (!back || !json_equal(back, next))
			abort();
		json_decref(back);
		free(text);
	}
	json_decref(next);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n_res;
	const struct api_resource *res = api_resources(&n_res);
	const struct api_resource *rs = &res[(data[0] >> 2) % n_res];
	bool patch = (data[0] & 3) == 2;
	const char *rest = (const char *)data + 1;
	size_t len = size - 1;
	const char *nul = memchr(rest, '\0', len);
	json_t *current = NULL;
	if (nul) {
		current = json_loadb(rest, (size_t)(nul - rest), 0, NULL);
		len -= (size_t)(nul - rest) + 1;
		rest = nul + 1;
	}
	if (!json_is_object(current)) {
		json_decref(current);
		current = json_object();
	}
	json_t *env, *d, *why;
	int rc = api_envelope_parse(rest, len, &env, &d, &why);
	if (rc == 0) {
		if (!json_is_object(env) || why || (d && !json_is_object(d)))
			abort();
		if (d)
			check_body(current, d, patch, rs->schema);
		json_decref(env);
	} else {
		if ((rc != -EBADMSG && rc != -EINVAL) || env || d || !why)
			abort();
		json_decref(why);
	}
	json_decref(current);
	return 0;
}
