/* JSON Schema validation with KAZOO Crossbar-shaped error reports.
 *
 * Return convention: creators return a pointer or NULL (errno set); everything else returns 0 or
 * a negative errno. jschema_validate* return 0 when the document is valid and -EINVAL when it is
 * not (the errors object then says why); other negative values are faults (unknown schema id,
 * out of memory, limits hit).
 *
 * Error object shape (what Crossbar puts under "data" in a 400 reply):
 *   {"sip.username": {"minLength": {"message": "String must be at least 2 characters",
 *                                   "target": 2, "value": "a"}},
 *    "name": {"required": {"message": "Field is required but missing"}}}
 * Keys are dotted paths into the document (array indexes are 0-based, a "." inside a key is
 * written %2E, the document itself is ""); rule names and messages follow KAZOO's
 * kz_json_schema. See README.md beside this file for the keywords and rule names.
 */
#ifndef BUGLE_JSCHEMA_H
#define BUGLE_JSCHEMA_H

#include <jansson.h>
#include <stddef.h>

#include "jschema-t.h"

struct jschema_registry *jschema_registry_new(void);
void jschema_registry_free(struct jschema_registry *reg);

/* Adds one schema under id (-EEXIST if taken); the registry takes its own reference to schema.
 * Every "pattern" and "patternProperties" regex inside it is compiled now, so a bad one fails
 * here (-EINVAL), and its "$id"s are indexed for "$ref"s by URI. */
int jschema_registry_add(struct jschema_registry *reg, const char *id, json_t *schema,
			 char *err, size_t errlen);

/* Creator: a registry holding every "*.json" file in dir, each under its file name without
 * ".json". On failure returns NULL, sets errno and, when err is given, says which file failed. */
struct jschema_registry *jschema_registry_load_dir(const char *dir, char *err, size_t errlen);

/* The schema stored under id, or NULL (borrowed reference). */
const json_t *jschema_registry_get(const struct jschema_registry *reg, const char *id);
size_t jschema_registry_count(const struct jschema_registry *reg);
/* Calls fn for every id in the registry, in no particular order; stops at a non-zero return. */
int jschema_registry_foreach(const struct jschema_registry *reg,
			     int (*fn)(const char *id, const json_t *schema, void *arg), void *arg);

struct jschema_limits jschema_limits_default(void);

/* Validates doc against the registry schema id, filling defaults into doc (as Crossbar does).
 * When errors is not NULL, *errors receives a new error object whenever the result is not 0 and
 * there is something to say (always for -EINVAL; a fault reports itself under the rule
 * "schema"), else NULL. Error values refer to (share) the failing parts of doc. */
int jschema_validate(const struct jschema_registry *reg, const char *id, json_t *doc,
		     json_t **errors);

/* The general form: any schema (its "$ref"s to other ids resolve through reg, which may be NULL),
 * chosen flags and limits (NULL for the defaults). */
int jschema_validate_with(const struct jschema_registry *reg, const json_t *schema, json_t *doc,
			  unsigned flags, const struct jschema_limits *limits, json_t **errors);

/* Creator: Crossbar's 400 body for a set of validation errors:
 * {"data": errors, "error": "400", "message": "invalid data", "status": "error"}.
 * Takes its own reference to errors. */
json_t *jschema_error_envelope(json_t *errors);

#endif
