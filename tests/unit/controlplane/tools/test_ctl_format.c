/* buglectl's renderings (aligned tables, "-" for unknown, one-line JSON) and the exit code
 * buglectl status derives from its rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "buglectl.h"

/* The rendering of doc as a string (free it). */
static char *render(bool json, const json_t *doc)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	ctl_render(out, json, doc);
	fclose(out);
	return buf;
}

static json_t *two_rows(void)
{
	json_t *rows = json_array();
	json_array_append_new(rows, ctl_status_row("dataplane", "dp-1", "127.0.0.1:7010", "up",
						   "1.2.3", 42, "workers 1"));
	json_array_append_new(rows, ctl_status_row("controlplane", NULL, "http://10.0.0.1:8000",
						   "unreachable", NULL, -1, "refused"));
	return rows;
}

static void test_table_columns_line_up(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:s, s:o}", "state", "unreachable", "nodes", two_rows());
	char *text = render(false, doc);
	const char *expect =
		"state  unreachable\n"
		"\nnodes\n"
		"  kind          node  address               state        version  uptime_s  detail   \n"
		"  dataplane     dp-1  127.0.0.1:7010        up           1.2.3    42        workers 1\n"
		"  controlplane  -     http://10.0.0.1:8000  unreachable  -        -         refused  \n";
	assert_string_equal(text, expect);
	free(text);
	json_decref(doc);
}

static void test_json_is_one_line_with_nulls(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:o}", "nodes", two_rows());
	char *text = render(true, doc);
	assert_non_null(strstr(text, "\"node\":null"));
	assert_non_null(strstr(text, "\"uptime_s\":42"));
	assert_ptr_equal(strchr(text, '\n'), text + strlen(text) - 1);
	json_t *back = json_loads(text, 0, NULL);
	assert_true(json_equal(back, doc));
	json_decref(back);
	free(text);
	json_decref(doc);
}

static void test_empty_table(void **state)
{
	(void)state;
	json_t *doc = json_pack("{s:i, s:[]}", "count", 0, "channels");
	char *text = render(false, doc);
	assert_string_equal(text, "count  0\nchannels: []\n");
	free(text);
	json_decref(doc);
}

static int exit_of(const char *const *states, size_t n)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(rows, ctl_status_row("x", NULL, "-", states[i], NULL, -1, NULL));
	int code = ctl_status_exit(rows);
	json_decref(rows);
	return code;
}

static void test_status_exit_codes(void **state)
{
	(void)state;
	const char *up[] = { "up", "draining", "absent" };
	const char *down[] = { "up", "down", "draining" };
	const char *degraded[] = { "degraded", "up" };
	const char *unreachable[] = { "down", "unreachable", "up" };
	assert_int_equal(exit_of(up, 3), CTL_OK);
	assert_int_equal(exit_of(down, 3), CTL_FAILED);
	assert_int_equal(exit_of(degraded, 2), CTL_FAILED);
	assert_int_equal(exit_of(unreachable, 3), CTL_UNREACHABLE);
	assert_int_equal(exit_of(NULL, 0), CTL_OK);
}

/* buglectl's own probe of a dependency: its row says up or down with the server's version,
 * and a dependency down in either view fails status (exit 1), never "unreachable" (3). */
static void test_probe_rows(void **state)
{
	(void)state;
	json_t *up = ctl_status_probe_row("postgres", "127.0.0.1:5432", true, "15.4", "SELECT 1 answered");
	json_t *down = ctl_status_probe_row("rabbitmq", "127.0.0.1:5672", false, "", "refused");
	assert_string_equal(json_string_value(json_object_get(up, "state")), "up");
	assert_string_equal(json_string_value(json_object_get(up, "node")), CTL_VIEW_BUGLECTL);
	assert_string_equal(json_string_value(json_object_get(up, "version")), "15.4");
	assert_string_equal(json_string_value(json_object_get(down, "state")), "down");
	assert_true(json_is_null(json_object_get(down, "version")));
	assert_string_equal(json_string_value(json_object_get(down, "detail")), "refused");
	json_t *rows = json_array();
	json_array_append(rows, up);
	json_array_append_new(rows, ctl_status_row("rabbitmq", CTL_VIEW_CONTROLPLANES, "-", "up",
						   NULL, -1, "up for 1 of 1 control planes"));
	assert_int_equal(ctl_status_exit(rows), CTL_OK);
	json_array_append(rows, down);
	assert_int_equal(ctl_status_exit(rows), CTL_FAILED);
	/* The same columns as every other row, so the table lines up. */
	assert_int_equal(json_object_size(up), json_object_size(json_array_get(rows, 1)));
	json_decref(rows);
	json_decref(up);
	json_decref(down);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_columns_line_up),
		cmocka_unit_test(test_json_is_one_line_with_nulls),
		cmocka_unit_test(test_empty_table),
		cmocka_unit_test(test_status_exit_codes),
		cmocka_unit_test(test_probe_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
