/* The /v2/system routes: status open to monitoring, drain only with a token and only PUT. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <cmocka.h>

#include "api-int.h"

static int match(const char *method, const char *url, const struct api_route **route)
{
	struct api_req *r = api_req_new(NULL, NULL, method, url);
	assert_non_null(r);
	int rc = api_route_match(r);
	*route = rc == 0 ? r->route : NULL;
	api_req_unref(r);
	return rc;
}

static void test_system_routes(void **state)
{
	(void)state;
	const struct api_route *route;
	assert_int_equal(match("GET", "/v2/system/status", &route), 0);
	assert_ptr_equal(route->handler, api_h_system_status);
	assert_false(route->auth);
	assert_int_equal(match("PUT", "/v2/system/drain", &route), 0);
	assert_ptr_equal(route->handler, api_h_system_drain);
	assert_true(route->auth);
	assert_int_equal(match("GET", "/v2/system/drain", &route), -EPERM);
	assert_int_equal(match("DELETE", "/v2/system/status", &route), -EPERM);
	assert_int_equal(match("GET", "/v2/system/other", &route), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_system_routes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
