/* Base URIs from "$id"/"id" and an index of the schemas they identify. */
#include "uri-scope.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Length of the "scheme:" prefix of uri (0 if none). */
static size_t scheme_len(const char *uri)
{
	size_t i = 0;

	if (!isalpha((unsigned char)uri[0]))
		return 0;
	while (isalnum((unsigned char)uri[i]) || uri[i] == '+' || uri[i] == '-' || uri[i] == '.')
		i++;
	return uri[i] == ':' ? i + 1 : 0;
}

/* Length of "scheme://authority" at the start of uri (the scheme alone if no authority). */
static size_t authority_end(const char *uri)
{
	size_t i = scheme_len(uri);

	if (uri[i] == '/' && uri[i + 1] == '/') {
		i += 2;
		while (uri[i] && !strchr("/?#", uri[i]))
			i++;
	}
	return i;
}

static char *concat(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	char *s = malloc(alen + blen + 1);

	if (!s)
		return NULL;
	memcpy(s, a, alen);
	memcpy(s + alen, b, blen + 1);
	return s;
}

char *jschema_uri_resolve(const char *base, const char *ref)
{
	size_t hash = strcspn(base, "#");

	if (scheme_len(ref))
		return strdup(ref);
	if (ref[0] == '#' || ref[0] == 0)
		return concat(base, hash, ref);
	if (ref[0] == '/' && ref[1] == '/')
		return concat(base, scheme_len(base), ref);
	size_t auth = authority_end(base);
	if (ref[0] == '/')
		return concat(base, auth, ref);
	if (ref[0] == '?')
		return concat(base, strcspn(base, "?#"), ref);
	/* Merge: keep the base up to its last '/', then the reference. */
	size_t end = strcspn(base, "?#"), cut = end;
	while (cut > auth && base[cut - 1] != '/')
		cut--;
	if (cut == auth && auth > scheme_len(base)) { /* authority with an empty path */
		char *withslash = concat(base, auth, "/");
		char *s = withslash ? concat(withslash, strlen(withslash), ref) : NULL;

		free(withslash);
		return s;
	}
	return concat(base, cut, ref);
}

const char *jschema_schema_id(const json_t *schema)
{
	const json_t *id;

	if (!json_is_object(schema) || json_object_get(schema, "$ref"))
		return NULL;
	id = json_object_get(schema, "$id");
	if (!json_is_string(id))
		id = json_object_get(schema, "id");
	return json_string_value(id);
}

static int add_entry(struct jschema_uri_index *ix, const char *uri, const json_t *node)
{
	/* "x#" names the same schema as "x". */
	size_t n = strlen(uri);
	if (n && uri[n - 1] == '#')
		n--;
	if (ix->count == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 16;
		struct jschema_uri_entry *e = realloc(ix->entries, cap * sizeof(*e));

		if (!e)
			return -ENOMEM;
		ix->entries = e;
		ix->cap = cap;
	}
	char *copy = strndup(uri, n);
	if (!copy)
		return -ENOMEM;
	ix->entries[ix->count++] = (struct jschema_uri_entry){ .uri = copy, .node = node };
	return 0;
}

/* Keywords whose values are data, not schemas: identifiers inside them are not identifiers. */
static bool is_data_keyword(const char *key)
{
	return !strcmp(key, "enum") || !strcmp(key, "const") || !strcmp(key, "default") ||
	       !strcmp(key, "examples");
}

/* Keywords whose value is a map from names to schemas. */
static bool is_schema_map(const char *key)
{
	return !strcmp(key, "properties") || !strcmp(key, "patternProperties") ||
	       !strcmp(key, "definitions") || !strcmp(key, "dependencies");
}

static int walk(struct jschema_uri_index *ix, const json_t *node, const char *base,
		unsigned depth)
{
	const char *key, *id;
	json_t *v;
	char *own = NULL;
	int rc = 0;

	if (depth > 256)
		return -ELOOP;
	if (json_is_array(node)) {
		size_t i;
		json_array_foreach((json_t *)node, i, v)
			if ((rc = walk(ix, v, base, depth + 1)))
				return rc;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	if ((id = jschema_schema_id(node))) {
		own = jschema_uri_resolve(base, id);
		if (!own || (rc = add_entry(ix, own, node))) {
			free(own);
			return rc ? rc : -ENOMEM;
		}
		base = own;
	}
	json_object_foreach((json_t *)node, key, v) {
		if (is_data_keyword(key))
			continue;
		if (is_schema_map(key) && json_is_object(v)) {
			const char *name;
			json_t *sub;

			json_object_foreach(v, name, sub)
				if ((rc = walk(ix, sub, base, depth + 1)))
					goto out;
		} else if ((rc = walk(ix, v, base, depth + 1))) {
			goto out;
		}
	}
out:
	free(own);
	return rc;
}

int jschema_uri_index_add(struct jschema_uri_index *ix, const json_t *root, const char *base_uri)
{
	int rc = add_entry(ix, base_uri, root);

	return rc ? rc : walk(ix, root, base_uri, 0);
}

const json_t *jschema_uri_index_find(const struct jschema_uri_index *ix, const char *uri)
{
	size_t n = strlen(uri);

	if (n && uri[n - 1] == '#')
		n--;
	/* Latest first: an identifier inside a schema outranks the name it was loaded under. */
	for (size_t i = ix->count; i-- > 0;)
		if (strlen(ix->entries[i].uri) == n && !memcmp(ix->entries[i].uri, uri, n))
			return ix->entries[i].node;
	return NULL;
}

void jschema_uri_index_release(struct jschema_uri_index *ix)
{
	for (size_t i = 0; i < ix->count; i++)
		free(ix->entries[i].uri);
	free(ix->entries);
	*ix = (struct jschema_uri_index){ 0 };
}
