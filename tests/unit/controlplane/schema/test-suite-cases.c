/* Runs every case of the official JSON-Schema-Test-Suite (draft4 and draft7) through the
 * validator. Cases outside what the validator supports are listed in `excluded` with the reason;
 * any other case that fails, fails the test. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jschema.h"

struct exclusion {
	const char *file;  /* "draft7/ref.json" */
	const char *group; /* group description, NULL for the whole file */
	const char *reason;
};

/* The draft's metaschema is only reachable by its http:// URL. */
#define META "needs the draft metaschema, which is referenced by URL"

static const struct exclusion excluded[] = {
	{ "draft4/definitions.json", "validate definition against metaschema", META },
	{ "draft4/ref.json", "remote ref, containing refs itself", META },
	{ "draft7/definitions.json", "validate definition against metaschema", META },
	{ "draft7/ref.json", "remote ref, containing refs itself", META },
	{ "draft4/refRemote.json", NULL, "remote refs over HTTP (schemas load from disk only)" },
	{ "draft7/refRemote.json", NULL, "remote refs over HTTP (schemas load from disk only)" },
};

static const struct exclusion *find_exclusion(const char *file, const char *group)
{
	for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
		if (!strcmp(excluded[i].file, file) &&
		    (!excluded[i].group || !strcmp(excluded[i].group, group)))
			return &excluded[i];
	return NULL;
}

struct tally {
	unsigned passed, failed, excluded, files;
};

static void run_case(const char *file, const char *group, const json_t *schema,
		     const json_t *test, struct tally *t)
{
	const char *desc = json_string_value(json_object_get(test, "description"));
	bool expect = json_is_true(json_object_get(test, "valid"));
	json_t *data = json_deep_copy(json_object_get(test, "data"));
	json_t *errors = NULL;

	assert_non_null(data);
	int rc = jschema_validate_with(NULL, schema, data, 0, NULL, &errors);
	bool valid = rc == 0;

	if (find_exclusion(file, group)) {
		t->excluded++;
	} else if (valid == expect && (rc == 0 || rc == -EINVAL)) {
		t->passed++;
	} else {
		char *why = errors ? json_dumps(errors, JSON_COMPACT) : NULL;

		t->failed++;
		printf("FAIL %s | %s | %s: expected %s, got rc=%d %s\n", file, group, desc,
		       expect ? "valid" : "invalid", rc, why ? why : "");
		free(why);
	}
	json_decref(errors);
	json_decref(data);
}

static void run_file(const char *dir, const char *draft, const char *name, struct tally *t)
{
	char path[4096], file[256];
	json_error_t jerr;
	size_t g, c;
	json_t *group, *test;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s/%s", dir, draft, name) >= sizeof(path) ||
	    (size_t)snprintf(file, sizeof(file), "%s/%s", draft, name) >= sizeof(file))
		fail_msg("path too long: %s", name);
	json_t *groups = json_load_file(path, JSON_ALLOW_NUL, &jerr);
	if (!groups)
		fail_msg("%s: %s", path, jerr.text);
	t->files++;
	json_array_foreach(groups, g, group) {
		const char *gdesc = json_string_value(json_object_get(group, "description"));

		json_array_foreach(json_object_get(group, "tests"), c, test)
			run_case(file, gdesc, json_object_get(group, "schema"), test, t);
	}
	json_decref(groups);
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static bool is_json(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 5 && !strcmp(d->d_name + n - 5, ".json");
}

static int filter_json(const struct dirent *d)
{
	return is_json(d);
}

static void run_draft(const char *draft)
{
	const char *data = getenv("BUGLE_TESTDATA");
	char dir[4096];
	struct dirent **names;
	struct tally t = { 0 };

	assert_non_null(data);
	for (size_t i = 0; i < sizeof(excluded) / sizeof(excluded[0]); i++)
		if (!strncmp(excluded[i].file, draft, strlen(draft)))
			printf("excluded: %s | %s: %s\n", excluded[i].file,
			       excluded[i].group ? excluded[i].group : "(whole file)", excluded[i].reason);
	char sub[4200];
	if ((size_t)snprintf(dir, sizeof(dir), "%s/json-schema-test-suite", data) >= sizeof(dir) ||
	    (size_t)snprintf(sub, sizeof(sub), "%s/%s", dir, draft) >= sizeof(sub))
		fail_msg("BUGLE_TESTDATA too long");
	int n = scandir(sub, &names, filter_json, by_name);
	assert_true(n > 0);
	for (int i = 0; i < n; i++) {
		run_file(dir, draft, names[i]->d_name, &t);
		free(names[i]);
	}
	free(names);
	printf("%s: %u files, %u passed, %u failed, %u excluded\n", draft, t.files, t.passed,
	       t.failed, t.excluded);
	assert_true(t.passed > 0);
	assert_int_equal(t.failed, 0);
}

static void test_draft4(void **state)
{
	(void)state;
	run_draft("draft4");
}

static void test_draft7(void **state)
{
	(void)state;
	run_draft("draft7");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_draft4),
		cmocka_unit_test(test_draft7),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
