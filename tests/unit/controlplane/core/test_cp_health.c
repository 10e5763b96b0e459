/* Dependency health: state changes, the JSON document and the status file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bugle/log.h"
#include "cp/health.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static json_t *dep(json_t *doc, const char *name)
{
	json_t *d = json_object_get(json_object_get(doc, "dependencies"), name);
	assert_non_null(d);
	return d;
}

static void test_states_and_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/cp-health-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[128];
	snprintf(path, sizeof(path), "%s/status.json", dir);

	static struct cp_health h;
	cp_health_init(&h, "node-a", path);
	int pg = cp_health_register(&h, "postgres");
	int mq = cp_health_register(&h, "rabbitmq");
	assert_int_equal(pg, 0);
	assert_int_equal(mq, 1);
	cp_health_report(&h, pg, true, NULL);
	cp_health_report(&h, mq, false, "connect 127.0.0.1:5672: connection refused");

	json_error_t jerr;
	json_t *doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "node")), "node-a");
	assert_string_equal(json_string_value(json_object_get(doc, "state")), "degraded");
	assert_int_equal(json_integer_value(json_object_get(doc, "pid")), getpid());
	assert_string_equal(json_string_value(json_object_get(dep(doc, "postgres"), "state")), "up");
	assert_true(json_is_null(json_object_get(dep(doc, "postgres"), "last_error")));
	assert_string_equal(json_string_value(json_object_get(dep(doc, "rabbitmq"), "state")),
			    "down");
	assert_non_null(strstr(json_string_value(json_object_get(dep(doc, "rabbitmq"), "last_error")),
			       "connection refused"));
	json_decref(doc);

	/* Recovery keeps the last error and counts the transition. */
	cp_health_report(&h, mq, true, NULL);
	doc = json_load_file(path, 0, &jerr);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "state")), "up");
	assert_int_equal(json_integer_value(json_object_get(dep(doc, "rabbitmq"), "transitions")), 2);
	assert_non_null(json_string_value(json_object_get(dep(doc, "rabbitmq"), "last_error")));
	json_decref(doc);

	/* No temporary file left behind. */
	char tmp[160];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1);
	unlink(path);
	rmdir(dir);
}

static void test_limits_and_errors(void **state)
{
	(void)state;
	static struct cp_health h;
	cp_health_init(&h, "n", "/nonexistent-dir/status.json");
	for (int i = 0; i < CP_HEALTH_MAX_DEPS; i++)
		assert_int_equal(cp_health_register(&h, "dep"), i);
	assert_int_equal(cp_health_register(&h, "one too many"), -ENOSPC);
	cp_health_report(&h, 99, true, NULL); /* out of range: ignored */
	cp_health_report(&h, 0, true, NULL);
	assert_true(h.write_errors > 0);
	assert_true(cp_health_write_file(&h) < 0);
}

int main(void)
{
	bgl_log_setup("test", BGL_LOG_TEXT, BGL_LOG_ERR, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states_and_file),
		cmocka_unit_test(test_limits_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
