/* `branch_variable`: continues with the child named by a value. data.variable is a dotted path
 * ("call_forward.enabled"); data.scope says where to look: "call" (call variables), "account",
 * "device" / "user" (the caller's), or "merged" (default: call, device, user, account in that
 * order). Strings are keys as they are, booleans "true"/"false", integers in decimal; anything
 * else (or nothing) goes to "_". */
#include <stdio.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"

static const json_t *path_get(const json_t *doc, const char *path)
{
	char key[128];
	const char *p = path;

	while (doc && *p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);

		if (n == 0 || n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		doc = json_object_get(doc, key);
		p = dot ? dot + 1 : p + n;
	}
	return doc;
}

void cf_mod_branch_variable_run(struct cf_flow *f, const json_t *data)
{
	const char *var = json_string_value(json_object_get(data, "variable"));
	const char *scope = json_string_value(json_object_get(data, "scope"));
	const json_t *merged[] = {f->vars, f->caller_device, f->caller_user, f->account};
	const json_t *v = NULL;
	char key[64];

	if (!var || !*var) {
		cf_flow_stop(f, CF_END_ERROR, "branch_variable: data.variable missing");
		return;
	}
	if (!scope || strcmp(scope, "merged") == 0) {
		for (int i = 0; i < 4 && !v; i++)
			v = path_get(merged[i], var);
	} else if (strcmp(scope, "call") == 0) {
		v = path_get(f->vars, var);
	} else if (strcmp(scope, "account") == 0) {
		v = path_get(f->account, var);
	} else if (strcmp(scope, "device") == 0) {
		v = path_get(f->caller_device, var);
	} else if (strcmp(scope, "user") == 0) {
		v = path_get(f->caller_user, var);
	}
	if (json_is_string(v))
		snprintf(key, sizeof(key), "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(key, sizeof(key), "%s", json_is_true(v) ? "true" : "false");
	else if (json_is_integer(v))
		snprintf(key, sizeof(key), "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else
		key[0] = '\0';
	cf_flow_next(f, key[0] ? key : "_");
}
