/* Types shared by the JSON Schema validator and its callers (no functions here).
 *
 * The validator understands the draft-04 keywords KAZOO's Crossbar schemas use plus the draft-07
 * additions (const, contains, propertyNames, if/then/else, boolean schemas, number-form
 * exclusiveMinimum/exclusiveMaximum). Schemas reference each other by registry id
 * ("$ref": "devices.sip") or by local JSON pointer ("$ref": "#/definitions/x").
 */
#ifndef BUGLE_JSCHEMA_T_H
#define BUGLE_JSCHEMA_T_H

#include <stddef.h>

/* A set of schemas keyed by id (file name without ".json"). Read-only once loaded, so any number
 * of threads may validate against one registry at the same time. */
struct jschema_registry;

enum jschema_flags {
	/* Write each absent property's "default" into the document (KAZOO's use_defaults and
	 * apply_defaults_to_empty_objects). */
	JSCHEMA_FILL_DEFAULTS = 1u << 0,
};

/* Bounds that keep hostile schemas and documents from running away. Zero means "use the
 * built-in value" (see jschema_limits_default in jschema.h). */
struct jschema_limits {
	unsigned max_depth;	 /* nesting of schema evaluation, $ref hops included */
	unsigned long max_steps; /* total work units (nodes visited, pairs compared) */
	size_t max_errors;	 /* errors kept; more are counted but not reported */
};

#endif
