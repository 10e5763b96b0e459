/* Array keywords: items (schema and tuple forms, with additionalItems), minItems, maxItems,
 * uniqueItems, contains. */
#include <errno.h>

#include "json-equal.h"
#include "validate-ctx.h"

static bool additional_items(struct jschema_ctx *ctx, const json_t *extra, json_t *inst,
			     size_t from)
{
	bool ok = true;

	for (size_t i = from; i < json_array_size(inst) && !ctx->fault; i++) {
		if (json_is_false(extra)) {
			if (jschema_path_push_index(&ctx->report, i))
				return jschema_fault(ctx, -ENOMEM, "Out of memory");
			jschema_fail(ctx, "additionalItems",
				     json_pack("{s:s, s:O}", "message",
					       "Strict checking of data is enabled; only include "
					       "schema-defined items",
					       "value", json_array_get(inst, i)));
			jschema_path_pop(&ctx->report);
			ok = false;
		} else if (!jschema_check_index(ctx, extra, inst, i)) {
			ok = false;
		}
		if (jschema_stop(ctx, ok))
			break;
	}
	return ok;
}

bool jschema_kw_items(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
		      json_t *inst)
{
	bool ok = true;
	size_t n = json_array_size(inst);

	if (!json_is_array(inst))
		return true;
	if (!json_is_array(value)) {
		for (size_t i = 0; i < n && !jschema_stop(ctx, ok); i++)
			ok = jschema_check_index(ctx, value, inst, i) && ok;
		return ok;
	}
	size_t tuple = json_array_size(value);
	for (size_t i = 0; i < n && i < tuple && !jschema_stop(ctx, ok); i++)
		ok = jschema_check_index(ctx, json_array_get(value, i), inst, i) && ok;
	const json_t *extra = json_object_get(schema, "additionalItems");
	if (extra && n > tuple && !jschema_stop(ctx, ok))
		ok = additional_items(ctx, extra, inst, tuple) && ok;
	return ok;
}


bool jschema_kw_min_items(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			  json_t *inst)
{
	double min;

	(void)schema;
	if (!json_is_array(inst) || !jschema_count_bound(value, &min) ||
	    (double)json_array_size(inst) >= min)
		return true;
	jschema_fail_count(ctx, "minItems", "The list must have at least %s items", value,
			   inst);
	return false;
}

bool jschema_kw_max_items(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			  json_t *inst)
{
	double max;

	(void)schema;
	if (!json_is_array(inst) || !jschema_count_bound(value, &max) ||
	    (double)json_array_size(inst) <= max)
		return true;
	jschema_fail_count(ctx, "maxItems", "The list is more than %s items", value, inst);
	return false;
}

bool jschema_kw_unique_items(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			     json_t *inst)
{
	size_t n = json_array_size(inst);

	(void)schema;
	if (!json_is_true(value) || !json_is_array(inst))
		return true;
	/* Pairwise, since 1 and 1.0 are equal and no canonical form is cheap; the step budget
	 * bounds the quadratic cost of a hostile array. */
	for (size_t i = 0; i + 1 < n; i++) {
		ctx->steps += n - i;
		if (ctx->steps > ctx->limits.max_steps)
			return jschema_fault(ctx, -E2BIG, "Document too complex to validate");
		for (size_t j = i + 1; j < n; j++) {
			if (jschema_json_equal(json_array_get(inst, i), json_array_get(inst, j))) {
				jschema_fail(ctx, "uniqueItems",
					     json_pack("{s:s, s:O}", "message",
						       "List of items is not unique", "value", inst));
				return false;
			}
		}
	}
	return true;
}

bool jschema_kw_contains(struct jschema_ctx *ctx, const json_t *schema, const json_t *value,
			 json_t *inst)
{
	(void)schema;
	if (!json_is_array(inst))
		return true;
	for (size_t i = 0; i < json_array_size(inst) && !ctx->fault; i++)
		if (jschema_probe(ctx, value, json_array_get(inst, i)))
			return true;
	jschema_fail(ctx, "contains",
		     json_pack("{s:s, s:O}", "message", "No item in the list matches the schema",
			       "value", inst));
	return false;
}
