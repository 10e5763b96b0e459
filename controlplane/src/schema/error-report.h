/* Internal to the validator: collects errors keyed by dotted document path and rule, the way
 * KAZOO's kz_json_schema:validation_error/4 builds them.
 *
 * Return convention: 0 or a negative errno.
 */
#ifndef BUGLE_JSCHEMA_ERROR_REPORT_H
#define BUGLE_JSCHEMA_ERROR_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* One step of the path from the document root to the value being checked. */
struct jschema_path_seg {
	const char *key; /* object member name, or NULL for an array index */
	size_t index;
};

struct jschema_report {
	json_t *errors;			/* {"path": {"rule": {...}}}, created on first error */
	size_t count;			/* errors seen, also those beyond max */
	size_t max;			/* distinct paths kept */
	struct jschema_path_seg *path;	/* stack, grown on demand */
	size_t depth, cap;
	bool oom;			/* an allocation failed: report is incomplete */
};

void jschema_report_init(struct jschema_report *r, size_t max_errors);
void jschema_report_release(struct jschema_report *r);

int jschema_path_push_key(struct jschema_report *r, const char *key);
int jschema_path_push_index(struct jschema_report *r, size_t index);
void jschema_path_pop(struct jschema_report *r);

/* Adds {rule: fields} under the current path (plus extra_key when not NULL). Steals fields. */
void jschema_report_add(struct jschema_report *r, const char *extra_key, const char *rule,
			json_t *fields);

#endif
