/* The validator's own behaviour: KAZOO-shaped errors and messages, the Crossbar envelope,
 * default filling, references across the registry, limits, regex translation, registry loading.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "jschema.h"

static json_t *parse(const char *text)
{
	json_error_t jerr;
	json_t *j = json_loads(text, JSON_DECODE_ANY, &jerr);

	if (!j)
		fail_msg("bad JSON in test: %s: %s", text, jerr.text);
	return j;
}

/* Validates doc against schema (both JSON text) and returns the errors (NULL if valid). */
static json_t *errors_of(const struct jschema_registry *reg, const char *schema_text,
			 const char *doc_text, unsigned flags, int *rc_out)
{
	json_t *schema = parse(schema_text), *doc = parse(doc_text), *errors = NULL;
	int rc = jschema_validate_with(reg, schema, doc, flags, NULL, &errors);

	if (rc_out)
		*rc_out = rc;
	json_decref(schema);
	json_decref(doc);
	return errors;
}

static void assert_json(const json_t *got, const char *want_text)
{
	json_t *want = parse(want_text);

	if (!json_equal((json_t *)got, want)) {
		char *g = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
		char *w = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
		fail_msg("got  %s\nwant %s", g, w);
	}
	json_decref(want);
}

static void test_errors_have_kazoo_shape_and_messages(void **state)
{
	int rc;
	json_t *e = errors_of(NULL,
			      "{\"type\":\"object\",\"required\":[\"name\"],\"properties\":{"
			      "\"sip\":{\"properties\":{\"username\":{\"type\":\"string\","
			      "\"minLength\":2,\"maxLength\":4}}},"
			      "\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5},"
			      "\"t\":{\"type\":[\"string\",\"null\"]},"
			      "\"e\":{\"enum\":[\"a\",\"b\"]},"
			      "\"l\":{\"type\":\"array\",\"minItems\":2,\"uniqueItems\":true},"
			      "\"p\":{\"pattern\":\"^[0-9]+$\"}}}",
			      "{\"sip\":{\"username\":\"a\"},\"n\":9,\"t\":1,\"e\":\"c\",\"l\":[1],"
			      "\"p\":\"x1\"}",
			      0, &rc);

	(void)state;
	assert_int_equal(rc, -EINVAL);
	assert_json(e, "{"
		       "\"name\":{\"required\":{\"message\":\"Field is required but missing\"}},"
		       "\"sip.username\":{\"minLength\":{\"message\":\"String must be at least 2 "
		       "characters\",\"target\":2,\"cause\":\"a\",\"value\":\"a\"}},"
		       "\"n\":{\"maximum\":{\"message\":\"Value must be at most 5\",\"target\":5,"
		       "\"value\":9}},"
		       "\"t\":{\"type\":{\"message\":\"Value did not match type(s): string, null\","
		       "\"target\":\"string, null\",\"value\":1}},"
		       "\"e\":{\"enum\":{\"message\":\"Value not found in enumerated list of "
		       "values\",\"target\":[\"a\",\"b\"],\"value\":\"c\"}},"
		       "\"l\":{\"minItems\":{\"message\":\"The list must have at least 2 items\","
		       "\"target\":2,\"value\":[1]}},"
		       "\"p\":{\"pattern\":{\"message\":\"Failed to match pattern '^[0-9]+$'\","
		       "\"target\":\"^[0-9]+$\",\"value\":\"x1\"}}}");
	json_decref(e);
}

static void test_envelope_is_crossbar_400(void **state)
{
	json_t *errors = parse("{\"name\":{\"required\":{\"message\":\"Field is required but "
			       "missing\"}}}");
	json_t *body = jschema_error_envelope(errors);

	(void)state;
	assert_json(body, "{\"data\":{\"name\":{\"required\":{\"message\":\"Field is required but "
			  "missing\"}}},\"error\":\"400\",\"message\":\"invalid data\","
			  "\"status\":\"error\"}");
	json_decref(body);
	json_decref(errors);
}

static void test_every_failure_is_reported_not_just_the_first(void **state)
{
	json_t *e = errors_of(NULL,
			      "{\"items\":{\"type\":\"string\",\"maxLength\":1}}",
			      "[\"ok\",\"a\",3,\"xyz\"]", 0, NULL);

	(void)state;
	assert_non_null(json_object_get(json_object_get(e, "0"), "maxLength"));
	assert_null(json_object_get(e, "1"));
	assert_non_null(json_object_get(json_object_get(e, "2"), "type"));
	assert_non_null(json_object_get(json_object_get(e, "3"), "maxLength"));
	assert_int_equal(json_object_size(e), 3);
	json_decref(e);
}

static void test_dots_in_keys_are_escaped_in_paths(void **state)
{
	json_t *e = errors_of(NULL,
			      "{\"additionalProperties\":{\"type\":\"integer\"}}",
			      "{\"a.b\":\"x\"}", 0, NULL);

	(void)state;
	assert_non_null(json_object_get(e, "a%2Eb"));
	json_decref(e);
}

static void test_lengths_count_code_points(void **state)
{
	int rc;
	/* "héllo" is 6 bytes but 5 code points; the emoji is 4 bytes, 1 code point. */
	json_t *e = errors_of(NULL, "{\"maxLength\":5,\"minLength\":5}", "\"h\\u00e9llo\"", 0, &rc);

	(void)state;
	assert_int_equal(rc, 0);
	assert_null(e);
	e = errors_of(NULL, "{\"minLength\":2}", "\"\\ud83d\\ude00\"", 0, &rc);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(json_object_get(json_object_get(e, ""), "minLength"));
	json_decref(e);
}

static void test_defaults_fill_nested_and_skip_failed_branches(void **state)
{
	json_t *schema = parse(
		"{\"properties\":{"
		"\"sip\":{\"properties\":{\"expire_seconds\":{\"type\":\"integer\",\"default\":300},"
		"\"method\":{\"default\":\"password\"}}},"
		"\"codecs\":{\"type\":\"array\",\"default\":[\"PCMU\"]},"
		"\"cf\":{\"properties\":{\"number\":{\"type\":\"string\"}}},"
		"\"given\":{\"default\":1}},"
		"\"anyOf\":[{\"required\":[\"nope\"],\"properties\":{\"x\":{\"default\":\"bad\"}}},"
		"{\"properties\":{\"y\":{\"default\":\"good\"}}}]}");
	json_t *doc = parse("{\"given\":2}");

	(void)state;
	assert_int_equal(jschema_validate_with(NULL, schema, doc, JSCHEMA_FILL_DEFAULTS, NULL,
					       NULL),
			 0);
	/* sip made up to hold its defaults; cf dropped as it would be empty; the failing anyOf
	 * branch left nothing, the matching one filled y. */
	assert_json(doc, "{\"given\":2,\"sip\":{\"expire_seconds\":300,\"method\":\"password\"},"
			 "\"codecs\":[\"PCMU\"],\"y\":\"good\"}");
	json_decref(doc);
	/* Without the flag nothing is written. */
	doc = parse("{}");
	assert_int_equal(jschema_validate_with(NULL, schema, doc, 0, NULL, NULL), 0);
	assert_int_equal(json_object_size(doc), 0);
	json_decref(doc);
	json_decref(schema);
}

static void test_made_up_object_does_not_satisfy_required(void **state)
{
	int rc;
	json_t *schema = parse(
		"{\"required\":[\"flow\"],\"properties\":{\"flow\":{\"$ref\":\"#/definitions/a\"}},"
		"\"definitions\":{\"a\":{\"required\":[\"module\",\"data\"],\"properties\":{"
		"\"module\":{\"type\":\"string\"},\"data\":{\"default\":{}}}}}}");
	json_t *doc = parse("{}"), *errors = NULL;

	(void)state;
	rc = jschema_validate_with(NULL, schema, doc, JSCHEMA_FILL_DEFAULTS, NULL, &errors);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(json_object_get(json_object_get(errors, "flow"), "required"));
	assert_null(json_object_get(doc, "flow"));
	json_decref(errors);
	json_decref(doc);
	json_decref(schema);
}

static struct jschema_registry *registry_of(const char *id, const char *text, ...)
{
	struct jschema_registry *reg = jschema_registry_new();
	va_list ap;
	char err[256];

	assert_non_null(reg);
	va_start(ap, text);
	for (; id; id = va_arg(ap, const char *), text = id ? va_arg(ap, const char *) : NULL) {
		json_t *s = parse(text);
		if (jschema_registry_add(reg, id, s, err, sizeof(err)))
			fail_msg("%s", err);
		json_decref(s);
	}
	va_end(ap);
	return reg;
}

static void test_refs_resolve_by_registry_id_and_pointer(void **state)
{
	struct jschema_registry *reg = registry_of(
		"devices.sip", "{\"properties\":{\"username\":{\"type\":\"string\",\"minLength\":2}},"
			       "\"definitions\":{\"a/b\":{\"maximum\":3}}}",
		"devices", "{\"properties\":{\"sip\":{\"$ref\":\"devices.sip\"},"
			   "\"u\":{\"$ref\":\"devices.sip#/properties/username\"},"
			   "\"m\":{\"$ref\":\"./devices.sip.json#/definitions/a~1b\"}}}",
		NULL);
	json_t *doc = parse("{\"sip\":{\"username\":\"x\"},\"u\":\"y\",\"m\":4}"), *errors = NULL;

	(void)state;
	assert_int_equal(jschema_validate(reg, "devices", doc, &errors), -EINVAL);
	assert_non_null(json_object_get(json_object_get(errors, "sip.username"), "minLength"));
	assert_non_null(json_object_get(json_object_get(errors, "u"), "minLength"));
	assert_non_null(json_object_get(json_object_get(errors, "m"), "maximum"));
	json_decref(errors);
	assert_int_equal(jschema_validate(reg, "nonexistent", doc, &errors), -ENOENT);
	assert_null(errors);
	json_decref(doc);
	jschema_registry_free(reg);
}

static void test_missing_ref_is_reported_as_schema_not_found(void **state)
{
	int rc;
	json_t *e = errors_of(NULL, "{\"$ref\":\"nowhere\"}", "1", 0, &rc);

	(void)state;
	assert_int_equal(rc, -EINVAL);
	assert_json(json_object_get(e, ""),
		    "{\"schema\":{\"message\":\"schema not found\",\"schema\":\"nowhere\"}}");
	json_decref(e);
}

static void test_ref_loops_and_work_are_bounded(void **state)
{
	int rc;
	json_t *e = errors_of(NULL, "{\"definitions\":{\"a\":{\"$ref\":\"#/definitions/b\"},"
				    "\"b\":{\"$ref\":\"#/definitions/a\"}},\"$ref\":\"#/definitions/a\"}",
			      "1", 0, &rc);
	struct jschema_limits small = { .max_steps = 1000 };

	(void)state;
	assert_int_equal(rc, -ELOOP);
	json_decref(e);

	/* 2000 equal-looking items: uniqueItems alone is ~2 million comparisons. */
	json_t *schema = parse("{\"uniqueItems\":true}"), *doc = json_array();
	for (int i = 0; i < 2000; i++)
		json_array_append_new(doc, json_integer(i));
	assert_int_equal(jschema_validate_with(NULL, schema, doc, 0, &small, NULL), -E2BIG);
	assert_int_equal(jschema_validate_with(NULL, schema, doc, 0, NULL, NULL), 0);
	json_decref(doc);
	json_decref(schema);
}

static void test_ecma_patterns_translate(void **state)
{
	static const struct {
		const char *pattern, *text;
		bool match;
	} cases[] = {
		{ "^\\d{3}-\\d{4}$", "555-0100", true },
		{ "^\\d{3}-\\d{4}$", "555-01a0", false },
		{ "^\\w+$", "under_score9", true },
		{ "^\\w+$", "sp ace", false },
		{ "^\\S+$", "no-space", true },
		{ "^[\\d\\-]+$", "12-34", true },
		{ "^[^\\s]+$", "a b", false },
		{ "^\\+?[0-9]+$", "+1415", true },
		{ "a\\.b", "axb", false },
		{ "^[\\]a]+$", "]a]", true },
	};
	char schema[256], doc[64];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *p = json_string(cases[i].pattern), *t = json_string(cases[i].text);
		char *ps = json_dumps(p, JSON_ENCODE_ANY), *ts = json_dumps(t, JSON_ENCODE_ANY);
		int rc;

		snprintf(schema, sizeof(schema), "{\"pattern\":%s}", ps);
		snprintf(doc, sizeof(doc), "%s", ts);
		json_decref(errors_of(NULL, schema, doc, 0, &rc));
		if ((rc == 0) != cases[i].match)
			fail_msg("pattern %s on %s: rc %d", cases[i].pattern, cases[i].text, rc);
		free(ps);
		free(ts);
		json_decref(p);
		json_decref(t);
	}
}

static void test_registry_refuses_bad_patterns_and_duplicates(void **state)
{
	struct jschema_registry *reg = jschema_registry_new();
	json_t *s = parse("{\"properties\":{\"x\":{\"pattern\":\"^(?=a)\"}}}");
	char err[256] = "";

	(void)state;
	assert_int_equal(jschema_registry_add(reg, "x", s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "(?=a)"));
	json_decref(s);
	/* A property merely named "pattern" is a schema, not a regex. */
	s = parse("{\"properties\":{\"pattern\":{\"type\":\"string\"}},"
		  "\"default\":{\"pattern\":\"(?=not a regex)\"}}");
	assert_int_equal(jschema_registry_add(reg, "y", s, err, sizeof(err)), 0);
	assert_int_equal(jschema_registry_add(reg, "y", s, err, sizeof(err)), -EEXIST);
	json_decref(s);
	jschema_registry_free(reg);
}

static void test_load_dir_names_the_broken_file(void **state)
{
	char dir[] = "/tmp/jschema-test-XXXXXX", path[256], err[512] = "";
	FILE *fp;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/good.json", dir);
	fp = fopen(path, "w");
	fputs("{\"type\":\"object\"}", fp);
	fclose(fp);
	struct jschema_registry *reg = jschema_registry_load_dir(dir, err, sizeof(err));
	assert_non_null(reg);
	assert_non_null(jschema_registry_get(reg, "good"));
	jschema_registry_free(reg);

	snprintf(path, sizeof(path), "%s/broken.json", dir);
	fp = fopen(path, "w");
	fputs("{\"type\":", fp);
	fclose(fp);
	assert_null(jschema_registry_load_dir(dir, err, sizeof(err)));
	assert_int_equal(errno, EINVAL);
	assert_non_null(strstr(err, "broken.json"));
	unlink(path);
	snprintf(path, sizeof(path), "%s/good.json", dir);
	unlink(path);
	rmdir(dir);
	assert_null(jschema_registry_load_dir(dir, err, sizeof(err)));
	assert_int_equal(errno, ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors_have_kazoo_shape_and_messages),
		cmocka_unit_test(test_envelope_is_crossbar_400),
		cmocka_unit_test(test_every_failure_is_reported_not_just_the_first),
		cmocka_unit_test(test_dots_in_keys_are_escaped_in_paths),
		cmocka_unit_test(test_lengths_count_code_points),
		cmocka_unit_test(test_defaults_fill_nested_and_skip_failed_branches),
		cmocka_unit_test(test_made_up_object_does_not_satisfy_required),
		cmocka_unit_test(test_refs_resolve_by_registry_id_and_pointer),
		cmocka_unit_test(test_missing_ref_is_reported_as_schema_not_found),
		cmocka_unit_test(test_ref_loops_and_work_are_bounded),
		cmocka_unit_test(test_ecma_patterns_translate),
		cmocka_unit_test(test_registry_refuses_bad_patterns_and_duplicates),
		cmocka_unit_test(test_load_dir_names_the_broken_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
