/* Internal to the validator: "$id" (draft 7) / "id" (draft 4) base URIs and the schemas they
 * name, so "$ref"s written as URIs ("node", "http://x/tree#/definitions/a", "#foo") find their
 * target. References are resolved as RFC 3986 says, without dot-segment removal; nothing is
 * ever fetched: a URI resolves only to a schema already indexed.
 *
 * Return convention: 0 or a negative errno; lookups return the node or NULL; uri_resolve is a
 * creator (malloc'd string or NULL).
 */
#ifndef BUGLE_JSCHEMA_URI_SCOPE_H
#define BUGLE_JSCHEMA_URI_SCOPE_H

#include <jansson.h>
#include <stddef.h>

struct jschema_uri_entry {
	char *uri;	    /* absolute as far as the base allows, fragment only for anchors */
	const json_t *node; /* borrowed from the schema document */
};

struct jschema_uri_index {
	struct jschema_uri_entry *entries;
	size_t count, cap;
};

/* ref resolved against base (either may be ""); malloc'd. */
char *jschema_uri_resolve(const char *base, const char *ref);

/* The identifier a schema object declares, or NULL ("$ref" siblings are ignored, as both
 * drafts say). */
const char *jschema_schema_id(const json_t *schema);

/* Indexes root under base_uri and every identified subschema under its resolved URI. */
int jschema_uri_index_add(struct jschema_uri_index *ix, const json_t *root, const char *base_uri);
const json_t *jschema_uri_index_find(const struct jschema_uri_index *ix, const char *uri);
void jschema_uri_index_release(struct jschema_uri_index *ix);

#endif
