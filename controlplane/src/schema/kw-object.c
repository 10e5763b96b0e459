/* Object keywords: required, properties (and the defaults it fills), patternProperties,
 * additionalProperties, dependencies, propertyNames, minProperties, maxProperties. */
#include <errno.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "validate-ctx.h"

/* Objects created only to carry defaults nest at most this deep, so a recursive schema (a
 * callflow's children are callflows) cannot grow a document without end. */
#define IMPLICIT_OBJECT_DEPTH 4
#define REF_HOPS 16

bool jschema_kw_required(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			 json_t *inst)
{
	size_t i;
	json_t *name;
	bool ok = true;

	(void)schema;
	if (!json_is_object(inst))
		return true;
	json_array_foreach((json_t *)value, i, name) {
		if (!json_is_string(name) || json_object_get(inst, json_string_value(name)))
			continue;
		jschema_fail_at(ctx, json_string_value(name), "required",
				json_pack("{s:s}", "message", "Field is required but missing"));
		ok = false;
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

/* The schema a "$ref" chain ends at (NULL if it does not resolve). */
static const json_t *follow_refs(struct jschema_ctx *ctx, const json_t *sub)
{
	const char *saved = ctx->base;
	char *owned = NULL;

	for (int hops = 0; json_is_object(sub) && json_is_string(json_object_get(sub, "$ref"));
	     hops++) {
		char *base;

		if (hops == REF_HOPS) {
			sub = NULL;
			break;
		}
		sub = jschema_resolve_ref(ctx, sub, &base);
		free(owned);
		owned = base;
		ctx->base = base ? base : saved; /* the next hop starts where this one landed */
	}
	ctx->base = saved;
	free(owned);
	return sub;
}

/* Fills key in inst from sub's "default", or, for an object schema without one, with an object
 * holding its members' defaults. The filled value is then walked (errors muted) so defaults
 * nested inside it are filled too. Explicit defaults are trusted as the schema's author wrote
 * them (the test suite's "invalid default" cases expect no complaint). */
static void fill_default(struct jschema_ctx *ctx, json_t *inst, const char *key, const json_t *sub)
{
	const json_t *target = follow_refs(ctx, sub);
	const json_t *def = json_object_get(target, "default");
	json_t *value;

	if (def) {
		value = json_deep_copy(def);
	} else if (json_is_object(json_object_get(target, "properties")) &&
		   ctx->implicit_objects < IMPLICIT_OBJECT_DEPTH) {
		value = json_object();
	} else {
		return;
	}
	if (!value || json_object_set_new(inst, key, value)) {
		jschema_fault(ctx, -ENOMEM, "Out of memory");
		return;
	}
	ctx->muted++;
	ctx->implicit_objects += !def;
	jschema_check_member(ctx, sub, inst, key);
	ctx->implicit_objects -= !def;
	ctx->muted--;
	/* An object we made up must not stand in for a member that is really missing: keep it
	 * only if it holds something and is valid as it is (a callflow without "flow" must still
	 * be refused, not get a half-made flow). */
	if (!def && (json_object_size(value) == 0 || !jschema_probe(ctx, sub, value)))
		json_object_del(inst, key);
}

bool jschema_kw_properties(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			   json_t *inst)
{
	const char *key;
	json_t *sub;
	bool ok = true;

	(void)schema;
	if (!json_is_object(inst) || !json_is_object(value))
		return true;
	json_object_foreach((json_t *)value, key, sub) {
		if (json_object_get(inst, key))
			ok = jschema_check_member(ctx, sub, inst, key) && ok;
		else if (ctx->flags & JSCHEMA_FILL_DEFAULTS)
			fill_default(ctx, inst, key, sub);
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

/* Does key match one of the patternProperties patterns? -1 when a pattern does not compile. */
static int matches_pattern(struct jschema_ctx *ctx, const json_t *patterns, const char *key)
{
	const char *pat;
	json_t *sub;

	json_object_foreach((json_t *)patterns, pat, sub) {
		const regex_t *re = jschema_ctx_regex(ctx, pat);

		if (!re)
			return -1;
		if (regexec(re, key, 0, NULL, 0) == 0)
			return 1;
	}
	return 0;
}

static void fail_bad_pattern(struct jschema_ctx *ctx, const char *pat)
{
	jschema_fail(ctx, "schema",
		     json_pack("{s:s, s:s}", "message", "schema is invalid", "schema", pat));
}

bool jschema_kw_pattern_properties(struct jschema_ctx *ctx, const json_t *schema,
				   const json_t *value, json_t *inst)
{
	const char *key, *pat;
	json_t *v, *sub;
	bool ok = true;

	(void)schema;
	if (!json_is_object(inst) || !json_is_object(value))
		return true;
	json_object_foreach(inst, key, v) {
		json_object_foreach((json_t *)value, pat, sub) {
			const regex_t *re = jschema_ctx_regex(ctx, pat);

			if (!re) {
				fail_bad_pattern(ctx, pat);
				return false;
			}
			if (regexec(re, key, 0, NULL, 0) == 0)
				ok = jschema_check_member(ctx, sub, inst, key) && ok;
			if (jschema_stop(ctx, ok))
				return ok;
		}
	}
	return ok;
}

bool jschema_kw_additional_properties(struct jschema_ctx *ctx, const json_t *schema,
				      const json_t *value, json_t *inst)
{
	const json_t *props = json_object_get(schema, "properties");
	const json_t *patterns = json_object_get(schema, "patternProperties");
	const char *key;
	json_t *v;
	bool ok = true;

	if (!json_is_object(inst) || json_is_true(value))
		return true;
	json_object_foreach(inst, key, v) {
		if (json_object_get(props, key))
			continue;
		int m = json_is_object(patterns) ? matches_pattern(ctx, patterns, key) : 0;
		if (m < 0) {
			fail_bad_pattern(ctx, "patternProperties");
			return false;
		}
		if (m)
			continue;
		if (json_is_false(value)) {
			jschema_fail_at(ctx, key, "additionalProperties",
					json_pack("{s:s, s:O}", "message",
						  "Strict checking of data is enabled; only include "
						  "schema-defined properties",
						  "value", v));
			ok = false;
		} else {
			ok = jschema_check_member(ctx, value, inst, key) && ok;
		}
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

bool jschema_kw_dependencies(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			     json_t *inst)
{
	const char *key;
	json_t *dep;
	bool ok = true;

	(void)schema;
	if (!json_is_object(inst) || !json_is_object(value))
		return true;
	json_object_foreach((json_t *)value, key, dep) {
		if (!json_object_get(inst, key))
			continue;
		if (json_is_array(dep)) {
			size_t i;
			json_t *name;

			json_array_foreach(dep, i, name) {
				if (!json_is_string(name) ||
				    json_object_get(inst, json_string_value(name)))
					continue;
				jschema_fail_at(ctx, json_string_value(name), "dependencies",
						json_pack("{s:s, s:s}", "message",
							  "Dependencies were not validated", "target",
							  key));
				ok = false;
			}
		} else {
			ok = jschema_check(ctx, dep, inst) && ok;
		}
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

bool jschema_kw_property_names(struct jschema_ctx *ctx, const json_t *schema,
			       const json_t *value, json_t *inst)
{
	const char *key;
	json_t *v;
	bool ok = true;

	(void)schema;
	if (!json_is_object(inst))
		return true;
	json_object_foreach(inst, key, v) {
		json_t *name = json_string(key);

		if (!name || jschema_path_push_key(&ctx->report, key)) {
			json_decref(name);
			return jschema_fault(ctx, -ENOMEM, "Out of memory");
		}
		ok = jschema_check(ctx, value, name) && ok;
		jschema_path_pop(&ctx->report);
		json_decref(name);
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}


bool jschema_kw_min_properties(struct jschema_ctx *ctx, const json_t *schema,
			       const json_t *value, json_t *inst)
{
	double min;

	(void)schema;
	if (!json_is_object(inst) || !jschema_count_bound(value, &min) ||
	    (double)json_object_size(inst) >= min)
		return true;
	jschema_fail_count(ctx, "minProperties", "The object must have at least %s keys",
			   value, inst);
	return false;
}

bool jschema_kw_max_properties(struct jschema_ctx *ctx, const json_t *schema,
			       const json_t *value, json_t *inst)
{
	double max;

	(void)schema;
	if (!json_is_object(inst) || !jschema_count_bound(value, &max) ||
	    (double)json_object_size(inst) <= max)
		return true;
	jschema_fail_count(ctx, "maxProperties", "The object must have at most %s keys",
			   value, inst);
	return false;
}
