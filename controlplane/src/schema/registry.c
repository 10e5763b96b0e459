/* Schemas by id, loaded from a directory; regexes compiled at load so validation never does. */
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jschema.h"
#include "registry-store.h"

struct jschema_registry *jschema_registry_new(void)
{
	struct jschema_registry *reg = calloc(1, sizeof(*reg));

	if (!reg)
		return NULL;
	reg->schemas = json_object();
	if (!reg->schemas) {
		free(reg);
		errno = ENOMEM;
		return NULL;
	}
	return reg;
}

void jschema_registry_free(struct jschema_registry *reg)
{
	if (!reg)
		return;
	json_decref(reg->schemas);
	jschema_regex_cache_release(&reg->regex);
	jschema_uri_index_release(&reg->ids);
	free(reg);
}

/* Compiles every "pattern" string and "patternProperties" key found anywhere in node. Values
 * under "properties"/"definitions" are schemas keyed by name, so a property that happens to be
 * called "pattern" is recursed into, not compiled. */
static int compile_patterns(struct jschema_registry *reg, const json_t *node, unsigned depth,
			    const char **bad)
{
	const char *key;
	json_t *v;
	const regex_t *re;
	int rc;

	if (depth > 512)
		return -ELOOP;
	if (json_is_array(node)) {
		size_t i;
		json_array_foreach((json_t *)node, i, v)
			if ((rc = compile_patterns(reg, v, depth + 1, bad)))
				return rc;
		return 0;
	}
	if (!json_is_object(node))
		return 0;
	json_object_foreach((json_t *)node, key, v) {
		/* Data, not schemas: a default may well hold a member called "pattern". */
		if (!strcmp(key, "enum") || !strcmp(key, "const") || !strcmp(key, "default") ||
		    !strcmp(key, "examples"))
			continue;
		bool named = !strcmp(key, "properties") || !strcmp(key, "definitions");

		if (!strcmp(key, "pattern") && json_is_string(v)) {
			if ((rc = jschema_regex_cache_add(&reg->regex, json_string_value(v), &re))) {
				*bad = json_string_value(v);
				return rc;
			}
			continue;
		}
		if (!strcmp(key, "patternProperties") && json_is_object(v)) {
			const char *pat;
			json_t *sub;

			json_object_foreach(v, pat, sub) {
				if ((rc = jschema_regex_cache_add(&reg->regex, pat, &re))) {
					*bad = pat;
					return rc;
				}
			}
		}
		if (named && json_is_object(v)) {
			const char *name;
			json_t *sub;

			json_object_foreach(v, name, sub)
				if ((rc = compile_patterns(reg, sub, depth + 1, bad)))
					return rc;
			continue;
		}
		if ((rc = compile_patterns(reg, v, depth + 1, bad)))
			return rc;
	}
	return 0;
}

int jschema_registry_add(struct jschema_registry *reg, const char *id, json_t *schema,
			 char *err, size_t errlen)
{
	const char *bad = NULL;
	int rc;

	if (json_object_get(reg->schemas, id)) {
		/* Replacing would free nodes the identifier index still points at. */
		if (err)
			snprintf(err, errlen, "%s: already loaded", id);
		return -EEXIST;
	}
	if (!json_is_object(schema) && !json_is_boolean(schema)) {
		if (err)
			snprintf(err, errlen, "%s: a schema must be an object or a boolean", id);
		return -EINVAL;
	}
	rc = compile_patterns(reg, schema, 0, &bad);
	if (rc) {
		if (err)
			snprintf(err, errlen, "%s: %s %s", id,
				 rc == -EINVAL ? "unsupported or invalid pattern" : strerror(-rc),
				 bad ? bad : "");
		return rc;
	}
	if (json_object_set(reg->schemas, id, schema))
		return -ENOMEM;
	/* The index borrows nodes from the schema the registry now holds a reference to. */
	rc = jschema_uri_index_add(&reg->ids, schema, id);
	if (rc && err)
		snprintf(err, errlen, "%s: %s", id, strerror(-rc));
	return rc;
}

static bool is_schema_file(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && name[0] != '.' && strcmp(name + n - 5, ".json") == 0;
}

static int load_file(struct jschema_registry *reg, const char *dir, const char *name, char *err,
		     size_t errlen)
{
	char path[4096], id[256];
	json_error_t jerr;
	size_t n = strlen(name) - 5;
	int rc;

	if (n >= sizeof(id) || (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path)) {
		if (err)
			snprintf(err, errlen, "%s: name too long", name);
		return -ENAMETOOLONG;
	}
	memcpy(id, name, n);
	id[n] = 0;
	json_t *schema = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!schema) {
		if (err)
			snprintf(err, errlen, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
		return -EINVAL;
	}
	rc = jschema_registry_add(reg, id, schema, err, errlen);
	json_decref(schema);
	return rc;
}

struct jschema_registry *jschema_registry_load_dir(const char *dir, char *err, size_t errlen)
{
	struct jschema_registry *reg;
	struct dirent *de;
	DIR *d = opendir(dir);
	int rc = 0;

	if (!d) {
		rc = -errno;
		if (err)
			snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		errno = -rc;
		return NULL;
	}
	reg = jschema_registry_new();
	if (!reg) {
		closedir(d);
		errno = ENOMEM;
		return NULL;
	}
	while (!rc && (de = readdir(d)))
		if (is_schema_file(de->d_name))
			rc = load_file(reg, dir, de->d_name, err, errlen);
	closedir(d);
	if (rc) {
		jschema_registry_free(reg);
		errno = -rc;
		return NULL;
	}
	return reg;
}

const json_t *jschema_registry_get(const struct jschema_registry *reg, const char *id)
{
	return json_object_get(reg->schemas, id);
}

size_t jschema_registry_count(const struct jschema_registry *reg)
{
	return json_object_size(reg->schemas);
}

int jschema_registry_foreach(const struct jschema_registry *reg,
			     int (*fn)(const char *id, const json_t *schema, void *arg), void *arg)
{
	const char *id;
	json_t *schema;
	int rc;

	json_object_foreach(reg->schemas, id, schema)
		if ((rc = fn(id, schema, arg)))
			return rc;
	return 0;
}
