/* Internal to the validator: the state of one validation run and the keyword checkers.
 *
 * Return convention: keyword checkers return true when the instance satisfies the keyword
 * (having recorded an error otherwise); the rest 0 or a negative errno.
 *
 * One context lives on the caller's stack for one jschema_validate_with() call and is touched by
 * that thread only.
 */
#ifndef BUGLE_JSCHEMA_VALIDATE_CTX_H
#define BUGLE_JSCHEMA_VALIDATE_CTX_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "error-report.h"
#include "jschema-t.h"
#include "regex-ecma.h"
#include "uri-scope.h"

struct jschema_ctx {
	const struct jschema_registry *reg; /* may be NULL: only local refs resolve */
	const char *base;		    /* URI refs resolve against (owned by a caller frame) */
	unsigned flags;			    /* enum jschema_flags */
	struct jschema_limits limits;
	unsigned depth;		     /* current schema nesting */
	unsigned implicit_objects;   /* nesting of objects created only to hold defaults */
	unsigned muted;		     /* >0 while probing anyOf/oneOf/not branches */
	unsigned long steps;	     /* work done so far, bounded by limits.max_steps */
	int fault;		     /* first fault (negative errno) that stops the run */
	struct jschema_report report;	/* errors and the current document path */
	struct jschema_regex_cache local_regex; /* patterns not precompiled in the registry */
	struct jschema_uri_index local_ids;	/* identifiers of a schema not in the registry */
};

/* Evaluates schema against inst; may fill defaults into inst when allowed. */
bool jschema_check(struct jschema_ctx *ctx, const json_t *schema, json_t *inst);

/* A child of inst at key / index (pushes the path segment around the check). */
bool jschema_check_member(struct jschema_ctx *ctx, const json_t *schema, json_t *inst,
			  const char *key);
bool jschema_check_index(struct jschema_ctx *ctx, const json_t *schema, json_t *inst,
			 size_t index);

/* Evaluates without recording errors or filling defaults: "does it match?". */
bool jschema_probe(struct jschema_ctx *ctx, const json_t *schema, json_t *inst);

/* Follows one "$ref" hop from schema; returns the target or NULL (ctx->fault may be set).
 * *base_out receives (malloc'd, even on failure, possibly NULL) the URI the target's own refs
 * resolve against. */
const json_t *jschema_resolve_ref(struct jschema_ctx *ctx, const json_t *schema,
				  char **base_out);

/* Compiled regex for an ECMA-262-style pattern, from the registry or the local cache. */
const regex_t *jschema_ctx_regex(struct jschema_ctx *ctx, const char *pattern);

/* Records a fault (negative errno) that ends the run, with message; returns false. */
bool jschema_fault(struct jschema_ctx *ctx, int err, const char *message);

/* True when evaluation can stop early: a fault, or a failed probe (which only needs yes or no;
 * a muted pass that fills defaults must go on to reach every default). */
static inline bool jschema_stop(const struct jschema_ctx *ctx, bool ok)
{
	return ctx->fault || (!ok && ctx->muted && !(ctx->flags & JSCHEMA_FILL_DEFAULTS));
}

/* Records one error at the current path unless muted. fields may be NULL (stolen). */
void jschema_fail(struct jschema_ctx *ctx, const char *rule, json_t *fields);
void jschema_fail_at(struct jschema_ctx *ctx, const char *key, const char *rule, json_t *fields);

/* Writes a JSON number as message text into buf; returns buf. */
const char *jschema_number_text(const json_t *n, char *buf, size_t len);

/* A length or count bound (minLength, maxItems, ...) as a double: true when value is a finite
 * non-negative number; anything else disables the keyword. */
bool jschema_count_bound(const json_t *value, double *out);
/* Records a broken count bound (minItems, maxProperties, ...): fmt has one %s for the bound. */
void jschema_fail_count(struct jschema_ctx *ctx, const char *rule, const char *fmt,
			const json_t *value, json_t *inst);

/* Keyword checkers: ctx, the whole schema object (for sibling keywords), the keyword's value,
 * the instance. Each is registered in the table in validate.c. */
typedef bool (*jschema_keyword_fn)(struct jschema_ctx *ctx, const json_t *schema,
				   const json_t *value, json_t *inst);

bool jschema_kw_type(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_enum(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_const(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

bool jschema_kw_min_length(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_max_length(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_pattern(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_format(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

bool jschema_kw_minimum(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_maximum(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_exclusive_minimum(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_exclusive_maximum(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_multiple_of(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

bool jschema_kw_items(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_min_items(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_max_items(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_unique_items(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_contains(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

bool jschema_kw_required(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_properties(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_pattern_properties(struct jschema_ctx *, const json_t *, const json_t *,
				   json_t *);
bool jschema_kw_additional_properties(struct jschema_ctx *, const json_t *, const json_t *,
				      json_t *);
bool jschema_kw_dependencies(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_property_names(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_min_properties(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_max_properties(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

bool jschema_kw_all_of(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_any_of(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_one_of(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_not(struct jschema_ctx *, const json_t *, const json_t *, json_t *);
bool jschema_kw_if(struct jschema_ctx *, const json_t *, const json_t *, json_t *);

#endif
