/* The control plane's exposition writer and latency histogram without a daemon: HELP/TYPE
 * lines, escaped label values and help text, numbers, an empty exposition, and requests
 * landing in the right latency bucket. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api-int.h"
#include "api-metrics-expo.h"

static void test_family_and_samples(void **state)
{
	(void)state;
	struct api_expo w;
	api_expo_init(&w);
	api_expo_family(&w, "x_total", "counter", "a \\ b\nc");
	api_expo_sample(&w, "x_total", &(struct api_label){ "reason", "q\"\\\n" }, 1, 42);
	struct api_label two[] = { { "a", "1" }, { "b", "2" } };
	api_expo_sample(&w, "x_total", two, 2, UINT64_MAX);
	api_expo_gauge(&w, "g", "gauge", 0);
	api_expo_family(&w, "h", "histogram", "h");
	api_expo_sample_double(&w, "h_sum", NULL, 0, 0.25);
	size_t len;
	char *text = api_expo_take(&w, &len);
	assert_non_null(text);
	assert_int_equal(len, strlen(text));
	assert_string_equal(text,
			    "# HELP x_total a \\\\ b\\nc\n"
			    "# TYPE x_total counter\n"
			    "x_total{reason=\"q\\\"\\\\\\n\"} 42\n"
			    "x_total{a=\"1\",b=\"2\"} 18446744073709551615\n"
			    "# HELP g gauge\n"
			    "# TYPE g gauge\n"
			    "g 0\n"
			    "# HELP h h\n"
			    "# TYPE h histogram\n"
			    "h_sum 0.25\n");
	free(text);
	/* The writer is reset by take: the next exposition is empty, not NULL. */
	text = api_expo_take(&w, &len);
	assert_non_null(text);
	assert_int_equal(len, 0);
	free(text);
}

static void test_rows_by_one_label(void **state)
{
	(void)state;
	struct api_expo w;
	api_expo_init(&w);
	const struct api_expo_row rows[] = { { "2xx", 7 }, { "5\"xx", 0 } };
	api_expo_rows(&w, "r_total", "counter", "by class", "status", rows, 2);
	api_expo_rows(&w, "none", "gauge", "no rows", "k", NULL, 0);
	size_t len;
	char *text = api_expo_take(&w, &len);
	assert_non_null(text);
	assert_string_equal(text,
			    "# HELP r_total by class\n"
			    "# TYPE r_total counter\n"
			    "r_total{status=\"2xx\"} 7\n"
			    "r_total{status=\"5\\\"xx\"} 0\n"
			    "# HELP none no rows\n"
			    "# TYPE none gauge\n");
	free(text);
}

static void test_latency_buckets(void **state)
{
	(void)state;
	struct api_server api;
	memset(&api, 0, sizeof(api));
	uint64_t now = uv_hrtime();
	api_metrics_observe(&api, now);			/* ~0 s: first bucket (0.5 ms) */
	api_metrics_observe(&api, now - 3000000);	/* >= 3 ms: the 5 ms bucket */
	api_metrics_observe(&api, now - 60000000000ull);	/* a minute: +Inf */
	assert_int_equal(api.latency.count, 3);
	assert_int_equal(api.latency.buckets[0], 1);
	assert_int_equal(api.latency.buckets[3], 1);
	assert_int_equal(api.latency.buckets[API_LATENCY_BUCKETS - 1], 1);
	assert_true(api.latency.sum_ns >= 60003000000ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_family_and_samples),
		cmocka_unit_test(test_rows_by_one_label),
		cmocka_unit_test(test_latency_buckets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
