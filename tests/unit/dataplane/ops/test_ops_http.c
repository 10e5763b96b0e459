/* Request heads of the metrics endpoint: the one good request, every way to get it wrong, and
 * the response head. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "ops_http.h"

static enum ops_http_verdict parse(const char *s)
{
	return ops_http_parse(s, strlen(s), OPS_HTTP_MAX_REQUEST);
}

static void test_good(void **state)
{
	(void)state;
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n"),
			 OPS_HTTP_METRICS);
	assert_int_equal(parse("GET /metrics HTTP/1.0\r\n\r\n"), OPS_HTTP_METRICS);
	assert_int_equal(parse("GET /metrics?x=1 HTTP/1.1\r\n\r\n"), OPS_HTTP_METRICS);
	assert_int_equal(parse("GET /metrics HTTP/1.1\n\n"), OPS_HTTP_METRICS);	/* bare LF */
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nUser-Agent: Prometheus/2.45\r\n"
			       "X-Prometheus-Scrape-Timeout-Seconds: 10\r\n\r\n"),
			 OPS_HTTP_METRICS);
}

static void test_incomplete(void **state)
{
	(void)state;
	assert_int_equal(parse(""), OPS_HTTP_INCOMPLETE);
	assert_int_equal(parse("GET /metr"), OPS_HTTP_INCOMPLETE);
	assert_int_equal(parse("GET /metrics HTTP/1.1\r\nHost: x\r\n"), OPS_HTTP_INCOMPLETE);
}

static void test_not_found_and_method(void **state)
{
	(void)state;
	assert_int_equal(parse("GET / HTTP/1.1\r\n\r\n"), OPS_HTTP_NOT_FOUND);
	assert_int_equal(parse("GET /metricsx HTTP/1.1\r\n\r\n"), OPS_HTTP_NOT_FOUND);
	assert_int_equal(parse("GET /metrics/ HTTP/1.1\r\n\r\n"), OPS_HTTP_NOT_FOUND);
	assert_int_equal(parse("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n"),
			 OPS_HTTP_METHOD_NOT_ALLOWED);
	assert_int_equal(parse("HEAD /metrics HTTP/1.1\r\n\r\n"), OPS_HTTP_METHOD_NOT_ALLOWED);
	assert_int_equal(parse("get /metrics HTTP/1.1\r\n\r\n"), OPS_HTTP_METHOD_NOT_ALLOWED);
	assert_int_equal(parse("DELETE /other HTTP/1.1\r\n\r\n"), OPS_HTTP_NOT_FOUND);
}

static void test_bad(void **state)
{
	(void)state;
	const char *bad[] = {
		"\r\n\r\n",					/* empty request line */
		"GET\r\n\r\n",					/* no target */
		"GET  /metrics HTTP/1.1\r\n\r\n",		/* two spaces */
		"GET metrics HTTP/1.1\r\n\r\n",			/* not origin-form */
		"GET /metrics\r\n\r\n",				/* HTTP/0.9 style */
		"GET /metrics HTTP/1.1 \r\n\r\n",		/* trailing space */
		"GET /met rics HTTP/1.1\r\n\r\n",
		"GET /metrics FTP/1.1\r\n\r\n",
		"G(T /metrics HTTP/1.1\r\n\r\n",		/* not a token */
		"GET /metrics HTTP/1.1\r\nNoColon\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n",	/* space before colon */
		"GET /metrics HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n",	/* obs-fold */
		"GET /metrics HTTP/1.1\r\n: empty-name\r\n\r\n",
		"GET /metrics HTTP/1.1\r\nX: a\x01z\r\n\r\n",	/* control character */
		"GET /m\x7f HTTP/1.1\r\n\r\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		enum ops_http_verdict v = parse(bad[i]);
		if (v != OPS_HTTP_BAD_REQUEST)
			fail_msg("case %zu: verdict %d for %s", i, v, bad[i]);
	}
	assert_int_equal(parse("GET /metrics HTTP/2.0\r\n\r\n"), OPS_HTTP_BAD_VERSION);
	assert_int_equal(parse("GET /metrics HTTP/1.2\r\n\r\n"), OPS_HTTP_BAD_VERSION);
}

static void test_too_large(void **state)
{
	(void)state;
	char big[OPS_HTTP_MAX_REQUEST + 16];
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET /metrics HTTP/1.1\r\nX: ", 26);
	/* Full buffer and no blank line: refused, never read further. */
	assert_int_equal(ops_http_parse(big, OPS_HTTP_MAX_REQUEST, OPS_HTTP_MAX_REQUEST),
			 OPS_HTTP_TOO_LARGE);
	/* A blank line past the limit does not count. */
	memcpy(big + OPS_HTTP_MAX_REQUEST + 4, "\r\n\r\n", 4);
	assert_int_equal(ops_http_parse(big, sizeof(big), OPS_HTTP_MAX_REQUEST),
			 OPS_HTTP_TOO_LARGE);
}

static void test_head(void **state)
{
	(void)state;
	char out[256];
	int n = ops_http_head(200, "text/plain; version=0.0.4", 123, out, sizeof(out));
	assert_int_equal(n, (int)strlen(out));
	assert_string_equal(out, "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n"
				 "Content-Length: 123\r\nConnection: close\r\n\r\n");
	n = ops_http_head(405, "text/plain", 0, out, sizeof(out));
	assert_true(n > 0);
	assert_non_null(strstr(out, "HTTP/1.1 405 Method Not Allowed\r\n"));
	assert_non_null(strstr(out, "Allow: GET\r\n"));
	assert_int_equal(ops_http_head(200, "text/plain", 1, out, 20), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_incomplete),
		cmocka_unit_test(test_not_found_and_method),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_head),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
