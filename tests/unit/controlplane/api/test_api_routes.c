/* Route matching (ids validated, resources from the table, 404 versus 405), the OpenAPI
 * document generated from the same table, and KAZOO's credential hashes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "api-credentials.h"
#include "api-int.h"
#include "jschema.h"

#define ACCT "0123456789abcdef0123456789abcdef"
#define DOC "fedcba9876543210fedcba9876543210"

static int match(const char *method, const char *url, struct api_req **out)
{
	struct api_req *r = api_req_new(NULL, NULL, method, url);
	assert_non_null(r);
	int rc = api_route_match(r);
	if (out)
		*out = r;
	else
		api_req_unref(r);
	return rc;
}

static void test_resource_routes(void **state)
{
	(void)state;
	struct api_req *r;
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/devices/" DOC, &r), 0);
	assert_ptr_equal(r->route->handler, api_h_doc_get);
	assert_string_equal(r->resource->type, "device");
	assert_string_equal(r->account_id, ACCT);
	assert_string_equal(r->doc_id, DOC);
	api_req_unref(r);
	assert_int_equal(match("PATCH", "/v2/accounts/" ACCT "/callflows/" DOC, &r), 0);
	assert_ptr_equal(r->route->handler, api_h_doc_update);
	api_req_unref(r);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/children", &r), 0);
	assert_string_equal(r->sub, "children");
	api_req_unref(r);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/media/" DOC "/raw", &r), 0);
	assert_ptr_equal(r->route->handler, api_h_media_raw_get);
	api_req_unref(r);
}

static void test_bad_paths(void **state)
{
	(void)state;
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/devices/../../etc", NULL), -ENOENT);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/devices/x'%20OR%201=1", NULL), -EINVAL);
	assert_int_equal(match("GET", "/v2/accounts/ABC/devices", NULL), -EINVAL);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/nonsense", NULL), -ENOENT);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "//devices", NULL), -ENOENT);
	assert_int_equal(match("DELETE", "/v2/user_auth", NULL), -EPERM);
	/* /metrics sits beside /v2 and takes GET only. */
	assert_int_equal(match("GET", "/metrics", NULL), 0);
	assert_int_equal(match("POST", "/metrics", NULL), -EPERM);
	assert_int_equal(match("GET", "/metrics/x", NULL), -ENOENT);
	assert_int_equal(match("PUT", "/v2/accounts/" ACCT "/devices/" DOC, NULL), -EPERM);
}

static void test_openapi_covers_routes(void **state)
{
	(void)state;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/schemas", getenv("BUGLE_SOURCE_DIR"));
	char err[256];
	struct jschema_registry *reg = jschema_registry_load_dir(dir, err, sizeof(err));
	assert_non_null(reg);
	json_t *doc = api_openapi(reg);
	json_t *paths = json_object_get(doc, "paths");
	assert_non_null(json_object_get(json_object_get(paths, "/v2/accounts/{ACCOUNT_ID}/devices/{ID}"), "patch"));
	assert_non_null(json_object_get(json_object_get(paths, "/v2/user_auth"), "put"));
	size_t nres;
	const struct api_resource *res = api_resources(&nres);
	for (size_t i = 0; i < nres; i++) {
		char p[128];
		snprintf(p, sizeof(p), "/v2/accounts/{ACCOUNT_ID}/%s", res[i].path);
		assert_non_null(json_object_get(paths, p));
		assert_non_null(json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"),
						res[i].schema));
	}
	json_decref(doc);
	jschema_registry_free(reg);
}

static void test_credentials(void **state)
{
	(void)state;
	json_t *u = json_pack("{s:s}", "password", "secret");
	assert_int_equal(api_user_set_password(u, "Admin", "secret"), 0);
	/* md5("admin:secret") and sha1("admin:secret"), user name lower-cased as KAZOO does. */
	char md5[33], sha1[41];
	api_md5_hex("admin:secret", md5);
	api_sha1_hex("admin:secret", sha1);
	assert_string_equal(md5, "2d1e4f91dae49cd08eaba2293e422273");
	assert_string_equal(sha1, "7efaf6701fdf8c6780897f20d5a1a1526dd92029");
	assert_string_equal(json_string_value(json_object_get(u, "pvt_md5_auth")), md5);
	assert_string_equal(json_string_value(json_object_get(u, "pvt_sha1_auth")), sha1);
	assert_null(json_object_get(u, "password"));
	assert_int_equal(strncmp(json_string_value(json_object_get(u, "pvt_password_hash")), "$argon2id$", 10), 0);
	json_decref(u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resource_routes),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_openapi_covers_routes),
		cmocka_unit_test(test_credentials),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
