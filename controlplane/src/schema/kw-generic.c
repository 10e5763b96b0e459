/* Keywords for any instance type: type, enum, const. */
#include <math.h>
#include <string.h>

#include "json-equal.h"
#include "validate-ctx.h"

static bool is_type(const json_t *inst, const char *type)
{
	if (!strcmp(type, "string"))
		return json_is_string(inst);
	if (!strcmp(type, "object"))
		return json_is_object(inst);
	if (!strcmp(type, "array"))
		return json_is_array(inst);
	if (!strcmp(type, "boolean"))
		return json_is_boolean(inst);
	if (!strcmp(type, "null"))
		return json_is_null(inst);
	if (!strcmp(type, "number"))
		return json_is_number(inst);
	if (!strcmp(type, "integer")) {
		/* 1.0 is an integer (draft 6 on says so and KAZOO's documents never rely on 1.0
		 * being refused). */
		double d = json_real_value(inst);
		return json_is_integer(inst) || (json_is_real(inst) && isfinite(d) && d == floor(d));
	}
	return !strcmp(type, "any");
}

/* KAZOO's target for a type error is the type names joined by ", ". */
static json_t *type_names(const json_t *value)
{
	if (json_is_string(value))
		return json_incref((json_t *)value);
	json_t *s = json_string("");
	size_t i;
	json_t *t;

	json_array_foreach((json_t *)value, i, t) {
		if (!json_is_string(t) || !s)
			continue;
		json_t *next = json_sprintf("%s%s%s", json_string_value(s),
					    json_string_length(s) ? ", " : "",
					    json_string_value(t));
		json_decref(s);
		s = next;
	}
	return s;
}

bool jschema_kw_type(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		     json_t *inst)
{
	size_t i;
	json_t *t;

	(void)schema;
	if (json_is_string(value) && is_type(inst, json_string_value(value)))
		return true;
	json_array_foreach((json_t *)value, i, t)
		if (json_is_string(t) && is_type(inst, json_string_value(t)))
			return true;
	if (!json_is_string(value) && !json_is_array(value))
		return true; /* malformed "type": ignored */
	json_t *names = type_names(value);
	if (names)
		jschema_fail(ctx, "type",
			     json_pack("{s:s+, s:o, s:O}", "message", "Value did not match type(s): ",
				       json_string_value(names), "target", names, "value", inst));
	return false;
}

bool jschema_kw_enum(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		     json_t *inst)
{
	size_t i;
	json_t *v;

	(void)schema;
	json_array_foreach((json_t *)value, i, v)
		if (jschema_json_equal(v, inst))
			return true;
	jschema_fail(ctx, "enum",
		     json_pack("{s:s, s:O, s:O}", "message",
			       "Value not found in enumerated list of values", "target", value,
			       "value", inst));
	return false;
}

bool jschema_kw_const(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		      json_t *inst)
{
	(void)schema;
	if (jschema_json_equal(value, inst))
		return true;
	jschema_fail(ctx, "const",
		     json_pack("{s:s, s:O, s:O}", "message", "Value is not the constant value",
			       "target", value, "value", inst));
	return false;
}
