/* Combining keywords: allOf, anyOf, oneOf, not, if/then/else. Branches that may not hold are
 * probed (errors muted, no defaults); the branch that holds is then walked again to fill its
 * defaults. */
#include "validate-ctx.h"

bool jschema_kw_all_of(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		       json_t *inst)
{
	size_t i;
	json_t *sub;
	bool ok = true;

	(void)schema;
	json_array_foreach((json_t *)value, i, sub) {
		ok = jschema_check(ctx, sub, inst) && ok;
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

static void fill_from(struct jschema_ctx *ctx, const json_t *branch, json_t *inst)
{
	if (!(ctx->flags & JSCHEMA_FILL_DEFAULTS))
		return;
	ctx->muted++;
	jschema_check(ctx, branch, inst);
	ctx->muted--;
}

bool jschema_kw_any_of(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		       json_t *inst)
{
	size_t i;
	json_t *sub;

	(void)schema;
	json_array_foreach((json_t *)value, i, sub) {
		if (jschema_probe(ctx, sub, inst)) {
			fill_from(ctx, sub, inst);
			return true;
		}
		if (ctx->fault)
			return false;
	}
	jschema_fail(ctx, "anyOf",
		     json_pack("{s:s, s:O}", "message", "Value did not match any of the schemas",
			       "value", inst));
	return false;
}

bool jschema_kw_one_of(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		       json_t *inst)
{
	size_t i, matched = 0;
	json_t *sub;
	const json_t *match = NULL;

	(void)schema;
	json_array_foreach((json_t *)value, i, sub) {
		if (jschema_probe(ctx, sub, inst)) {
			match = sub;
			if (++matched > 1)
				break;
		}
		if (ctx->fault)
			return false;
	}
	if (matched == 1) {
		fill_from(ctx, match, inst);
		return true;
	}
	/* KAZOO reports this rule under jesse's name for it. */
	jschema_fail(ctx, "not_one_schema_valid",
		     json_pack("{s:s, s:O}", "message",
			       matched ? "Value matched more than one schema"
				       : "Value did not match any of the schemas",
			       "value", inst));
	return false;
}

bool jschema_kw_not(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		    json_t *inst)
{
	(void)schema;
	if (!jschema_probe(ctx, value, inst))
		return !ctx->fault;
	jschema_fail(ctx, "not",
		     json_pack("{s:s, s:O}", "message", "Value matched a schema it must not match",
			       "value", inst));
	return false;
}

bool jschema_kw_if(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		   json_t *inst)
{
	bool cond = jschema_probe(ctx, value, inst);
	const json_t *next = json_object_get(schema, cond ? "then" : "else");

	if (ctx->fault)
		return false;
	return next ? jschema_check(ctx, next, inst) : true;
}
