/* Numbers in keyword values and error messages, and the error of a broken count bound. */
#include <math.h>
#include <stdio.h>

#include "validate-ctx.h"

/* KAZOO prints 2, not 2.0. */
const char *jschema_number_text(const json_t *n, char *buf, size_t len)
{
	double d = json_number_value(n);

	if (json_is_integer(n))
		snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(n));
	else if (isfinite(d) && d == floor(d) && fabs(d) < 9007199254740992.0)
		snprintf(buf, len, "%.0f", d);
	else
		snprintf(buf, len, "%.15g", d);
	return buf;
}

bool jschema_count_bound(const json_t *value, double *out)
{
	double d = json_number_value(value);

	if (!json_is_number(value) || !isfinite(d) || d < 0)
		return false;
	*out = d;
	return true;
}

void jschema_fail_count(struct jschema_ctx *ctx, const char *rule, const char *fmt,
			const json_t *value, json_t *inst)
{
	char num[32];

	jschema_fail(ctx, rule,
		     json_pack("{s:o, s:O, s:O}", "message",
			       json_sprintf(fmt, jschema_number_text(value, num, sizeof(num))),
			       "target", value, "value", inst));
}
