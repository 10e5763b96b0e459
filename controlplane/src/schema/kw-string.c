/* String keywords: minLength, maxLength (in code points), pattern, format. */

#include "format-check.h"
#include "validate-ctx.h"

/* jansson only holds valid UTF-8, so every byte that is not a continuation starts a code point. */
static size_t code_points(const json_t *s)
{
	const unsigned char *p = (const unsigned char *)json_string_value(s);
	size_t n = json_string_length(s), count = 0;

	for (size_t i = 0; i < n; i++)
		count += (p[i] & 0xC0) != 0x80;
	return count;
}


static void fail_length(struct jschema_ctx *ctx, const char *rule, const char *what,
			const json_t *value, json_t *inst)
{
	char num[32];
	json_t *msg = json_sprintf("String must %s %s characters", what,
				   jschema_number_text(value, num, sizeof(num)));

	jschema_fail(ctx, rule,
		     json_pack("{s:o, s:O, s:O, s:O}", "message", msg, "target", value, "cause",
			       inst, "value", inst));
}

bool jschema_kw_min_length(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			   json_t *inst)
{
	double min;

	(void)schema;
	if (!json_is_string(inst) || !jschema_count_bound(value, &min) || (double)code_points(inst) >= min)
		return true;
	fail_length(ctx, "minLength", "be at least", value, inst);
	return false;
}

bool jschema_kw_max_length(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			   json_t *inst)
{
	double max;

	(void)schema;
	if (!json_is_string(inst) || !jschema_count_bound(value, &max) || (double)code_points(inst) <= max)
		return true;
	fail_length(ctx, "maxLength", "not be more than", value, inst);
	return false;
}

bool jschema_kw_pattern(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			json_t *inst)
{
	(void)schema;
	if (!json_is_string(inst) || !json_is_string(value))
		return true;
	const regex_t *re = jschema_ctx_regex(ctx, json_string_value(value));
	if (!re) {
		jschema_fail(ctx, "schema",
			     json_pack("{s:s, s:O}", "message", "schema is invalid", "schema", value));
		return false;
	}
	/* regexec stops at a NUL; a string with an embedded NUL is matched up to it. */
	if (regexec(re, json_string_value(inst), 0, NULL, 0) == 0)
		return true;
	jschema_fail(ctx, "pattern",
		     json_pack("{s:s++, s:O, s:O}", "message", "Failed to match pattern '",
			       json_string_value(value), "'", "target", value, "value", inst));
	return false;
}

bool jschema_kw_format(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		       json_t *inst)
{
	(void)schema;
	if (!json_is_string(inst) || !json_is_string(value) ||
	    jschema_format_ok(json_string_value(value), json_string_value(inst),
			      json_string_length(inst)))
		return true;
	/* KAZOO names this rule "wrong_format" (from jesse's error), not "format". */
	jschema_fail(ctx, "wrong_format",
		     json_pack("{s:s, s:O, s:O}", "message", "Field is not in the correct format",
			       "value", inst, "format", value));
	return false;
}
