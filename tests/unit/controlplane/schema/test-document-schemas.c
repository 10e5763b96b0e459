/* Every document schema in schemas/ loads, takes a realistic good document of its type without
 * complaint (filling the expected defaults) and refuses a bad one with exactly the expected
 * field/rule errors. The documents live in documents.json beside this file. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jschema.h"

/* The document types the API serves; each must have a schema and a fixture. */
static const char *const document_types[] = {
	"accounts",	  "users",	   "devices",	   "callflows",	       "vmboxes",
	"menus",	  "media",	   "temporal_rules", "temporal_rules_sets", "conferences",
	"groups",	  "resources",	   "lists",	   "limits",	       "webhooks",
	"faxboxes",
};

struct fixture {
	struct jschema_registry *reg;
	json_t *docs;
};

static int setup(void **state)
{
	const char *src = getenv("BUGLE_SOURCE_DIR");
	char dir[4096], path[4096], err[512] = "";
	json_error_t jerr;
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || !src)
		return -1;
	snprintf(dir, sizeof(dir), "%s/schemas", src);
	f->reg = jschema_registry_load_dir(dir, err, sizeof(err));
	if (!f->reg) {
		print_error("loading %s: %s\n", dir, err);
		free(f);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/tests/unit/controlplane/schema/documents.json", src);
	f->docs = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!f->docs) {
		print_error("%s:%d: %s\n", path, jerr.line, jerr.text);
		jschema_registry_free(f->reg);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	jschema_registry_free(f->reg);
	json_decref(f->docs);
	free(f);
	return 0;
}

/* Dotted path lookup ("sip.expire_seconds", "gateways.0.port"). */
static const json_t *get_dotted(const json_t *doc, const char *dotted)
{
	char buf[256];
	const json_t *cur = doc;

	snprintf(buf, sizeof(buf), "%s", dotted);
	for (char *save = NULL, *tok = strtok_r(buf, ".", &save); tok && cur;
	     tok = strtok_r(NULL, ".", &save)) {
		char *end;
		unsigned long idx = strtoul(tok, &end, 10);

		cur = json_is_array(cur) && !*end ? json_array_get(cur, idx) : json_object_get(cur, tok);
	}
	return cur;
}

static int count_rules(const json_t *errors)
{
	const char *key;
	json_t *rules;
	int n = 0;

	json_object_foreach((json_t *)errors, key, rules)
		n += (int)json_object_size(rules);
	return n;
}

static void test_every_schema_file_loads(void **state)
{
	struct fixture *f = *state;
	/* Shared sub-schemas referenced by name, besides the document types. */
	static const char *const shared[] = { "caller_id", "callflows.action", "devices.sip",
					      "endpoint.call_forward", "endpoint.media" };

	for (size_t i = 0; i < sizeof(document_types) / sizeof(document_types[0]); i++)
		assert_non_null(jschema_registry_get(f->reg, document_types[i]));
	for (size_t i = 0; i < sizeof(shared) / sizeof(shared[0]); i++)
		assert_non_null(jschema_registry_get(f->reg, shared[i]));
	assert_int_equal(jschema_registry_count(f->reg),
			 sizeof(document_types) / sizeof(document_types[0]) +
				 sizeof(shared) / sizeof(shared[0]));
}

static void test_good_documents_pass_and_get_defaults(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(document_types) / sizeof(document_types[0]); i++) {
		const char *type = document_types[i];
		const json_t *fx = json_object_get(f->docs, type);
		json_t *doc, *errors = NULL, *want;
		const char *path;

		if (!fx)
			fail_msg("documents.json has no entry for %s", type);
		doc = json_deep_copy(json_object_get(fx, "good"));
		int rc = jschema_validate(f->reg, type, doc, &errors);
		if (rc != 0) {
			char *why = errors ? json_dumps(errors, 0) : NULL;
			fail_msg("%s: good document refused (%d): %s", type, rc, why ? why : "");
		}
		assert_null(errors);
		json_object_foreach(json_object_get(fx, "defaults"), path, want) {
			const json_t *got = get_dotted(doc, path);

			if (!got || !json_equal((json_t *)got, want)) {
				char *d = json_dumps(doc, JSON_COMPACT);
				fail_msg("%s: default %s missing or wrong in %s", type, path, d);
			}
		}
		json_decref(doc);
	}
}

static void test_bad_documents_report_each_field_and_rule(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < sizeof(document_types) / sizeof(document_types[0]); i++) {
		const char *type = document_types[i];
		const json_t *fx = json_object_get(f->docs, type);
		json_t *doc = json_deep_copy(json_object_get(fx, "bad"));
		json_t *errors = NULL, *pair;
		const json_t *expected = json_object_get(fx, "errors");
		size_t k;

		assert_int_equal(jschema_validate(f->reg, type, doc, &errors), -EINVAL);
		assert_non_null(errors);
		char *got = json_dumps(errors, JSON_COMPACT);
		json_array_foreach((json_t *)expected, k, pair) {
			const char *field = json_string_value(json_array_get(pair, 0));
			const char *rule = json_string_value(json_array_get(pair, 1));
			const json_t *e = json_object_get(json_object_get(errors, field), rule);

			if (!json_is_string(json_object_get(e, "message")))
				fail_msg("%s: expected %s/%s in %s", type, field, rule, got);
		}
		if (count_rules(errors) != (int)json_array_size(expected))
			fail_msg("%s: expected exactly %zu errors, got %s", type,
				 json_array_size(expected), got);
		free(got);
		json_decref(errors);
		json_decref(doc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_schema_file_loads),
		cmocka_unit_test(test_good_documents_pass_and_get_defaults),
		cmocka_unit_test(test_bad_documents_report_each_field_and_rule),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
