/* Number keywords: minimum, maximum (draft-04 boolean exclusives), exclusiveMinimum and
 * exclusiveMaximum (draft-07 numbers), multipleOf. Like KAZOO, every bound failure is reported
 * under the rule "minimum" or "maximum". */
#include <math.h>

#include "validate-ctx.h"

/* <0, 0, >0 as a compares to b; integers compare exactly, the rest as doubles. */
static int compare(const json_t *a, const json_t *b)
{
	if (json_is_integer(a) && json_is_integer(b)) {
		json_int_t x = json_integer_value(a), y = json_integer_value(b);
		return (x > y) - (x < y);
	}
	double x = json_number_value(a), y = json_number_value(b);
	return (x > y) - (x < y);
}

static void fail_bound(struct jschema_ctx *ctx, const char *rule, const char *what,
		       const json_t *bound, json_t *inst)
{
	char num[32];
	json_t *msg = json_sprintf("Value must be %s %s", what,
				   jschema_number_text(bound, num, sizeof(num)));

	jschema_fail(ctx, rule,
		     json_pack("{s:o, s:O, s:O}", "message", msg, "target", bound, "value", inst));
}

bool jschema_kw_minimum(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			json_t *inst)
{
	if (!json_is_number(inst) || !json_is_number(value))
		return true;
	bool exclusive = json_is_true(json_object_get(schema, "exclusiveMinimum"));
	int c = compare(inst, value);
	if (c > 0 || (c == 0 && !exclusive))
		return true;
	fail_bound(ctx, "minimum", exclusive ? "greater than" : "at least", value, inst);
	return false;
}

bool jschema_kw_maximum(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			json_t *inst)
{
	if (!json_is_number(inst) || !json_is_number(value))
		return true;
	bool exclusive = json_is_true(json_object_get(schema, "exclusiveMaximum"));
	int c = compare(inst, value);
	if (c < 0 || (c == 0 && !exclusive))
		return true;
	fail_bound(ctx, "maximum", exclusive ? "less than" : "at most", value, inst);
	return false;
}

bool jschema_kw_exclusive_minimum(struct jschema_ctx *ctx, const json_t *schema,
				  const json_t *value, json_t *inst)
{
	(void)schema;
	if (!json_is_number(inst) || !json_is_number(value) || compare(inst, value) > 0)
		return true;
	fail_bound(ctx, "minimum", "greater than", value, inst);
	return false;
}

bool jschema_kw_exclusive_maximum(struct jschema_ctx *ctx, const json_t *schema,
				  const json_t *value, json_t *inst)
{
	(void)schema;
	if (!json_is_number(inst) || !json_is_number(value) || compare(inst, value) < 0)
		return true;
	fail_bound(ctx, "maximum", "less than", value, inst);
	return false;
}

/* Floating division leaves noise (0.0075 / 0.0001 = 75.00000000000001), so a quotient within a
 * relative 1e-9 of a whole number counts as whole; an infinite quotient does not. */
static bool is_multiple(const json_t *inst, const json_t *by)
{
	if (json_is_integer(inst) && json_is_integer(by)) {
		json_int_t d = json_integer_value(by);
		return d == 0 || d == -1 || json_integer_value(inst) % d == 0;
	}
	double q = json_number_value(inst) / json_number_value(by);
	if (!isfinite(q))
		return false;
	return fabs(q - nearbyint(q)) <= 1e-9 * fmax(1.0, fabs(q));
}

bool jschema_kw_multiple_of(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			    json_t *inst)
{
	char num[32];

	(void)schema;
	if (!json_is_number(inst) || !json_is_number(value) || json_number_value(value) <= 0 ||
	    is_multiple(inst, value))
		return true;
	jschema_fail(ctx, "multipleOf",
		     json_pack("{s:s+, s:O, s:O}", "message", "Value not divisible by ",
			       jschema_number_text(value, num, sizeof(num)), "target", value,
			       "value", inst));
	return false;
}
