/* The exposition writer: exact output, escaping of HELP text and label values, name rules, the
 * counter suffix rule and a full buffer that is reported, never silently cut. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ops_expo.h"

static void test_family_and_samples(void **state)
{
	(void)state;
	char buf[512];
	struct ops_expo w;
	ops_expo_init(&w, buf, sizeof(buf));
	assert_int_equal(ops_expo_family(&w, "bugle_x_total", OPS_COUNTER, "things seen"), 0);
	struct ops_label l[2] = { { "port", "public" }, { "direction", "rx" } };
	assert_int_equal(ops_expo_sample(&w, "bugle_x_total", l, 2, 42), 0);
	assert_int_equal(ops_expo_family(&w, "bugle_y", OPS_GAUGE, "a level"), 0);
	assert_int_equal(ops_expo_sample(&w, "bugle_y", NULL, 0, 18446744073709551615u), 0);
	assert_string_equal(buf, "# HELP bugle_x_total things seen\n"
				 "# TYPE bugle_x_total counter\n"
				 "bugle_x_total{port=\"public\",direction=\"rx\"} 42\n"
				 "# HELP bugle_y a level\n"
				 "# TYPE bugle_y gauge\n"
				 "bugle_y 18446744073709551615\n");
	assert_int_equal(w.len, strlen(buf));
	assert_false(w.full);
}

static void test_escaping(void **state)
{
	(void)state;
	char buf[512];
	struct ops_expo w;
	ops_expo_init(&w, buf, sizeof(buf));
	/* HELP escapes backslash and newline but not the double quote. */
	assert_int_equal(ops_expo_family(&w, "m", OPS_GAUGE, "a \\ b\nc \"d\""), 0);
	struct ops_label l = { "reason", "x\"y\\z\nw" };
	assert_int_equal(ops_expo_sample(&w, "m", &l, 1, 7), 0);
	assert_string_equal(buf, "# HELP m a \\\\ b\\nc \"d\"\n"
				 "# TYPE m gauge\n"
				 "m{reason=\"x\\\"y\\\\z\\nw\"} 7\n");
}

static void test_names(void **state)
{
	(void)state;
	assert_true(ops_expo_metric_name_ok("bugle_dataplane_drops_total"));
	assert_true(ops_expo_metric_name_ok("a:b_c9"));
	assert_true(ops_expo_metric_name_ok("_x"));
	assert_false(ops_expo_metric_name_ok("9abc"));
	assert_false(ops_expo_metric_name_ok("a-b"));
	assert_false(ops_expo_metric_name_ok("a b"));
	assert_false(ops_expo_metric_name_ok(""));
	assert_false(ops_expo_metric_name_ok(NULL));
	assert_true(ops_expo_label_name_ok("reason"));
	assert_false(ops_expo_label_name_ok("a:b"));	/* colons are for metric names only */
	assert_false(ops_expo_label_name_ok("__name__"));
	assert_false(ops_expo_label_name_ok("1x"));

	char buf[256];
	struct ops_expo w;
	ops_expo_init(&w, buf, sizeof(buf));
	assert_int_equal(ops_expo_family(&w, "drops", OPS_COUNTER, "no suffix"), -EINVAL);
	assert_int_equal(ops_expo_family(&w, "bad-name", OPS_GAUGE, "x"), -EINVAL);
	struct ops_label bad = { "__reserved", "v" };
	assert_int_equal(ops_expo_sample(&w, "m", &bad, 1, 1), -EINVAL);
	struct ops_label null_value = { "ok", NULL };
	assert_int_equal(ops_expo_sample(&w, "m", &null_value, 1, 1), -EINVAL);
	assert_int_equal(w.len, 0);	/* nothing half-written */
}

static void test_full_buffer(void **state)
{
	(void)state;
	char buf[40];
	struct ops_expo w;
	ops_expo_init(&w, buf, sizeof(buf));
	assert_int_equal(ops_expo_sample(&w, "a_metric", NULL, 0, 1), 0);
	int rc = 0;
	for (int i = 0; i < 10 && rc == 0; i++)
		rc = ops_expo_sample(&w, "a_metric", NULL, 0, 12345);
	assert_int_equal(rc, -ENOSPC);
	assert_true(w.full);
	assert_true(w.len < sizeof(buf));
	assert_int_equal(strlen(buf), w.len);	/* still a C string */
	/* Once full, always full: a short write must not slip in after a dropped one. */
	assert_int_equal(ops_expo_sample(&w, "b", NULL, 0, 1), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_full_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
