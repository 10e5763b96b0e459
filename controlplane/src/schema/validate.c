/* The validator's core: keyword dispatch by table, "$ref" resolution, limits, entry points. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jschema.h"
#include "json-pointer.h"
#include "registry-store.h"
#include "uri-scope.h"
#include "validate-ctx.h"

/* Evaluation order matters: "properties" fills defaults before "required" and the counting
 * keywords look, so (as in KAZOO, whose sorted schema files put "properties" first) a required
 * field that has a default is never reported missing. */
static const struct {
	const char *name;
	jschema_keyword_fn check;
} keywords[] = {
	{ "type", jschema_kw_type },
	{ "enum", jschema_kw_enum },
	{ "const", jschema_kw_const },
	{ "properties", jschema_kw_properties },
	{ "required", jschema_kw_required },
	{ "patternProperties", jschema_kw_pattern_properties },
	{ "additionalProperties", jschema_kw_additional_properties },
	{ "dependencies", jschema_kw_dependencies },
	{ "propertyNames", jschema_kw_property_names },
	{ "minProperties", jschema_kw_min_properties },
	{ "maxProperties", jschema_kw_max_properties },
	{ "items", jschema_kw_items }, /* also applies additionalItems */
	{ "minItems", jschema_kw_min_items },
	{ "maxItems", jschema_kw_max_items },
	{ "uniqueItems", jschema_kw_unique_items },
	{ "contains", jschema_kw_contains },
	{ "minLength", jschema_kw_min_length },
	{ "maxLength", jschema_kw_max_length },
	{ "pattern", jschema_kw_pattern },
	{ "format", jschema_kw_format },
	{ "minimum", jschema_kw_minimum },
	{ "maximum", jschema_kw_maximum },
	{ "exclusiveMinimum", jschema_kw_exclusive_minimum },
	{ "exclusiveMaximum", jschema_kw_exclusive_maximum },
	{ "multipleOf", jschema_kw_multiple_of },
	{ "allOf", jschema_kw_all_of },
	{ "anyOf", jschema_kw_any_of },
	{ "oneOf", jschema_kw_one_of },
	{ "not", jschema_kw_not },
	{ "if", jschema_kw_if }, /* also applies then/else */
};

struct jschema_limits jschema_limits_default(void)
{
	/* Depth: our deepest schema chain (callflow children) is far below 64 levels of documents;
	 * steps: about a second of work on a slow core. */
	return (struct jschema_limits){ .max_depth = 256, .max_steps = 20000000, .max_errors = 200 };
}

void jschema_fail(struct jschema_ctx *ctx, const char *rule, json_t *fields)
{
	jschema_fail_at(ctx, NULL, rule, fields);
}

void jschema_fail_at(struct jschema_ctx *ctx, const char *key, const char *rule, json_t *fields)
{
	if (ctx->muted) {
		json_decref(fields);
		return;
	}
	jschema_report_add(&ctx->report, key, rule, fields);
}

/* A fault stops the whole run; it is also reported so the caller can say why. */
bool jschema_fault(struct jschema_ctx *ctx, int err, const char *message)
{
	if (!ctx->fault) {
		ctx->fault = err;
		unsigned muted = ctx->muted;
		ctx->muted = 0;
		jschema_fail(ctx, "schema", json_pack("{s:s}", "message", message));
		ctx->muted = muted;
	}
	return false;
}

const regex_t *jschema_ctx_regex(struct jschema_ctx *ctx, const char *pattern)
{
	const regex_t *re = ctx->reg ? jschema_regex_cache_find(&ctx->reg->regex, pattern) : NULL;

	if (!re && jschema_regex_cache_add(&ctx->local_regex, pattern, &re))
		re = NULL;
	return re;
}

static const json_t *find_uri(const struct jschema_ctx *ctx, const char *uri)
{
	const json_t *node = jschema_uri_index_find(&ctx->local_ids, uri);

	if (!node && ctx->reg)
		node = jschema_uri_index_find(&ctx->reg->ids, uri);
	return node;
}

/* KAZOO writes refs by schema id, sometimes as a file ("./devices.sip.json"); returns the
 * registry id in ref, or NULL. */
static char *registry_name(const struct jschema_ctx *ctx, const char *ref)
{
	size_t len = strcspn(ref, "#");

	if (!ctx->reg)
		return NULL;
	if (len >= 2 && ref[0] == '.' && ref[1] == '/') {
		ref += 2;
		len -= 2;
	}
	if (len > 5 && memcmp(ref + len - 5, ".json", 5) == 0)
		len -= 5;
	char *id = strndup(ref, len);
	if (id && !jschema_registry_get(ctx->reg, id)) {
		free(id);
		id = NULL;
	}
	return id;
}

const json_t *jschema_resolve_ref(struct jschema_ctx *ctx, const json_t *schema,
				  char **base_out)
{
	const char *ref = json_string_value(json_object_get(schema, "$ref"));
	char *abs = jschema_uri_resolve(ctx->base, ref), *hash;
	const json_t *node = NULL, *doc;

	*base_out = NULL;
	if (!abs) {
		jschema_fault(ctx, -ENOMEM, "Out of memory");
		return NULL;
	}
	hash = strchr(abs, '#');
	const char *frag = hash ? hash + 1 : "";
	if (*frag && *frag != '/') {
		node = find_uri(ctx, abs); /* a plain-name anchor: "#foo" */
		*hash = 0;
		*base_out = abs;
		return node;
	}
	if (hash)
		*hash = 0;
	doc = find_uri(ctx, abs);
	if (!doc) {
		char *id = registry_name(ctx, ref);

		if (id) {
			const char *h = strchr(ref, '#');

			frag = h ? h + 1 : ""; /* the old one lived in abs */
			free(abs);
			abs = id;
			doc = jschema_registry_get(ctx->reg, id);
		}
	}
	*base_out = abs;
	return doc ? jschema_pointer_get(doc, frag) : NULL;
}

static bool check_ref(struct jschema_ctx *ctx, const json_t *schema, json_t *inst)
{
	char *base;
	const json_t *target = jschema_resolve_ref(ctx, schema, &base);
	bool ok;

	if (!target) {
		free(base);
		if (ctx->fault)
			return false;
		jschema_fail_at(ctx, NULL, "schema",
				json_pack("{s:s, s:O}", "message", "schema not found", "schema",
					  json_object_get(schema, "$ref")));
		return false;
	}
	const char *saved = ctx->base;
	ctx->base = base;
	ok = jschema_check(ctx, target, inst);
	ctx->base = saved;
	free(base);
	return ok;
}

#define KEYWORD_COUNT (sizeof(keywords) / sizeof(keywords[0]))

/* What one schema object holds, found in a single pass over its members: a schema has a handful
 * of members, the table has thirty keywords, so this beats looking each keyword up. */
struct schema_scan {
	uint64_t present;		    /* bit i: keywords[i] is a member */
	const json_t *value[KEYWORD_COUNT]; /* its value, when present */
	const json_t *ref;		    /* "$ref" */
	const char *id;			    /* "$id" (draft 7) or "id" (draft 4) */
};

static int keyword_index(const char *name)
{
	for (size_t i = 0; i < KEYWORD_COUNT; i++)
		if (name[0] == keywords[i].name[0] && !strcmp(name, keywords[i].name))
			return (int)i;
	return -1;
}

static void scan_schema(const json_t *schema, struct schema_scan *sc)
{
	const char *key;
	json_t *v;
	const char *draft4_id = NULL;

	_Static_assert(KEYWORD_COUNT <= 64, "the keyword mask is 64 bits");
	sc->present = 0;
	sc->ref = NULL;
	sc->id = NULL;
	json_object_foreach((json_t *)schema, key, v) {
		if (key[0] == '$') {
			if (!strcmp(key, "$ref") && json_is_string(v))
				sc->ref = v;
			else if (!strcmp(key, "$id") && json_is_string(v))
				sc->id = json_string_value(v);
			continue;
		}
		if (!strcmp(key, "id") && json_is_string(v)) {
			draft4_id = json_string_value(v);
			continue;
		}
		int i = keyword_index(key);
		if (i >= 0) {
			sc->present |= UINT64_C(1) << i;
			sc->value[i] = v;
		}
	}
	if (!sc->id)
		sc->id = draft4_id;
}

static bool check_keywords(struct jschema_ctx *ctx, const json_t *schema,
			   const struct schema_scan *sc, json_t *inst)
{
	bool ok = true;

	for (size_t i = 0; i < KEYWORD_COUNT; i++) {
		if (!(sc->present & (UINT64_C(1) << i)))
			continue;
		if (!keywords[i].check(ctx, schema, sc->value[i], inst)) {
			ok = false;
			if (jschema_stop(ctx, ok))
				break; /* a probe only needs yes or no */
		}
	}
	return ok;
}

bool jschema_check(struct jschema_ctx *ctx, const json_t *schema, json_t *inst)
{
	bool ok;

	if (ctx->fault)
		return false;
	if (++ctx->steps > ctx->limits.max_steps)
		return jschema_fault(ctx, -E2BIG, "Document too complex to validate");
	if (json_is_boolean(schema)) {
		if (json_is_true(schema))
			return true;
		jschema_fail(ctx, "false_schema",
			     json_pack("{s:s}", "message", "No value is allowed here"));
		return false;
	}
	if (!json_is_object(schema))
		return true; /* not a schema: nothing to check (load-time linting is the place) */
	if (ctx->depth >= ctx->limits.max_depth)
		return jschema_fault(ctx, -ELOOP, "Schema nesting too deep ($ref loop?)");
	struct schema_scan sc;
	scan_schema(schema, &sc);
	ctx->depth++;
	/* Draft 4 and 7: "$ref" replaces every sibling keyword, "$id" included. */
	if (sc.ref) {
		ok = check_ref(ctx, schema, inst);
	} else if (sc.id) {
		char *base = jschema_uri_resolve(ctx->base, sc.id);
		const char *saved = ctx->base;

		if (!base) {
			ctx->depth--;
			return jschema_fault(ctx, -ENOMEM, "Out of memory");
		}
		ctx->base = base;
		ok = check_keywords(ctx, schema, &sc, inst);
		ctx->base = saved;
		free(base);
	} else {
		ok = check_keywords(ctx, schema, &sc, inst);
	}
	ctx->depth--;
	return ok;
}

bool jschema_check_member(struct jschema_ctx *ctx, const json_t *schema, json_t *inst,
			  const char *key)
{
	if (jschema_path_push_key(&ctx->report, key))
		return jschema_fault(ctx, -ENOMEM, "Out of memory");
	bool ok = jschema_check(ctx, schema, json_object_get(inst, key));
	jschema_path_pop(&ctx->report);
	return ok;
}

bool jschema_check_index(struct jschema_ctx *ctx, const json_t *schema, json_t *inst,
			 size_t index)
{
	if (jschema_path_push_index(&ctx->report, index))
		return jschema_fault(ctx, -ENOMEM, "Out of memory");
	bool ok = jschema_check(ctx, schema, json_array_get(inst, index));
	jschema_path_pop(&ctx->report);
	return ok;
}

bool jschema_probe(struct jschema_ctx *ctx, const json_t *schema, json_t *inst)
{
	unsigned flags = ctx->flags;
	bool ok;

	/* A branch that may not hold must not leave defaults behind. */
	ctx->flags &= ~(unsigned)JSCHEMA_FILL_DEFAULTS;
	ctx->muted++;
	ok = jschema_check(ctx, schema, inst);
	ctx->muted--;
	ctx->flags = flags;
	return ok;
}

/* One run: base is the URI "#..." refs start from; a schema that is not in the registry gets
 * its identifiers indexed for this run only. */
static int run(const struct jschema_registry *reg, const json_t *schema, const char *base,
	       bool index_schema, json_t *doc, unsigned flags, const struct jschema_limits *limits,
	       json_t **errors)
{
	struct jschema_limits def = jschema_limits_default();
	struct jschema_ctx ctx = { .reg = reg, .base = base, .flags = flags, .limits = def };
	int rc = 0;

	if (errors)
		*errors = NULL;
	if (!schema || !doc)
		return -EINVAL;
	if (limits) {
		ctx.limits.max_depth = limits->max_depth ? limits->max_depth : def.max_depth;
		ctx.limits.max_steps = limits->max_steps ? limits->max_steps : def.max_steps;
		ctx.limits.max_errors = limits->max_errors ? limits->max_errors : def.max_errors;
	}
	if (index_schema && (rc = jschema_uri_index_add(&ctx.local_ids, schema, base))) {
		jschema_uri_index_release(&ctx.local_ids);
		return rc;
	}
	jschema_report_init(&ctx.report, ctx.limits.max_errors);
	bool ok = jschema_check(&ctx, schema, doc);

	if (ctx.fault)
		rc = ctx.fault;
	else if (ctx.report.oom)
		rc = -ENOMEM;
	else
		rc = ok ? 0 : -EINVAL;
	if (rc && errors && ctx.report.errors)
		*errors = json_incref(ctx.report.errors);
	jschema_report_release(&ctx.report);
	jschema_regex_cache_release(&ctx.local_regex);
	jschema_uri_index_release(&ctx.local_ids);
	return rc;
}

int jschema_validate_with(const struct jschema_registry *reg, const json_t *schema, json_t *doc,
			  unsigned flags, const struct jschema_limits *limits, json_t **errors)
{
	return run(reg, schema, "", true, doc, flags, limits, errors);
}

int jschema_validate(const struct jschema_registry *reg, const char *id, json_t *doc,
		     json_t **errors)
{
	const json_t *schema = reg ? jschema_registry_get(reg, id) : NULL;

	if (errors)
		*errors = NULL;
	if (!schema)
		return -ENOENT;
	/* Registry schemas were indexed at load, under their ids. */
	return run(reg, schema, id, false, doc, JSCHEMA_FILL_DEFAULTS, NULL, errors);
}

json_t *jschema_error_envelope(json_t *errors)
{
	json_t *body = json_pack("{s:O, s:s, s:s, s:s}", "data", errors ? errors : json_null(),
				 "error", "400", "message", "invalid data", "status", "error");

	if (!body)
		errno = ENOMEM;
	return body;
}
