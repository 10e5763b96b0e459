/* Phone numbers for the registry: E.164 normalisation (separators, NANP spellings, what is
 * refused) and the phone_numbers routes, their {NUMBER} capture and OpenAPI entries. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "api-int.h"
#include "api-numbers.h"

#define ACCT "0123456789abcdef0123456789abcdef"

static void expect_e164(const char *in, const char *want)
{
	char out[API_NUMBER_MAX];
	memset(out, 'x', sizeof(out));
	assert_int_equal(api_number_e164(in, out), 0);
	assert_string_equal(out, want);
}

static void expect_refused(const char *in)
{
	char out[API_NUMBER_MAX] = "untouched";
	assert_int_equal(api_number_e164(in, out), -EINVAL);
}

static void test_e164_kept(void **state)
{
	(void)state;
	expect_e164("+15551230000", "+15551230000");
	expect_e164("+442079460000", "+442079460000");
	expect_e164("+4930123", "+4930123");	/* 7 digits: the shortest taken */
	expect_e164("+123456789012345", "+123456789012345");	/* 15: the longest */
}

static void test_separators_dropped(void **state)
{
	(void)state;
	expect_e164("+1 (555) 123-0000", "+15551230000");
	expect_e164("+44 20.7946.0000", "+442079460000");
	expect_e164(" +15551230000", "+15551230000");
}

static void test_nanp_spellings(void **state)
{
	(void)state;
	expect_e164("5551230000", "+15551230000");
	expect_e164("15551230000", "+15551230000");
	expect_e164("(555) 123-0000", "+15551230000");
	expect_e164("1-555-123-0000", "+15551230000");
}

static void test_refused(void **state)
{
	(void)state;
	expect_refused(NULL);
	expect_refused("");
	expect_refused("+");
	expect_refused("1001");		/* an extension, not a DID */
	expect_refused("no_match");
	expect_refused("*72");
	expect_refused("+0123456789");	/* no country code starts with 0 */
	expect_refused("+123456");	/* 6 digits */
	expect_refused("+1234567890123456");	/* 16 digits */
	expect_refused("++15551230000");
	expect_refused("+1555+1230000");
	expect_refused("+1555123000a");
	expect_refused("0551230000");	/* NANP area codes start 2-9 */
	expect_refused("1155123000");
	expect_refused("25551230000");	/* 11 digits not starting with 1 */
	expect_refused("555123000");
	expect_refused("+1555%1230000");
	/* separators do not make a long spelling acceptable */
	expect_refused("+1 5 5 5 1 2 3 0 0 0 0 - - - - - - - - - - - - - - - - - - - - - - - - - -");
}

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

static void test_routes(void **state)
{
	(void)state;
	struct api_req *r;
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/phone_numbers", &r), 0);
	assert_ptr_equal(r->route->handler, api_h_numbers_list);
	api_req_unref(r);
	assert_int_equal(match("PUT", "/v2/accounts/" ACCT "/phone_numbers/+15551230000", &r), 0);
	assert_ptr_equal(r->route->handler, api_h_number_assign);
	assert_string_equal(r->doc_id, "+15551230000");
	api_req_unref(r);
	assert_int_equal(match("GET", "/v2/accounts/" ACCT "/phone_numbers/+15551230000", &r), 0);
	assert_ptr_equal(r->route->handler, api_h_number_get);
	api_req_unref(r);
	assert_int_equal(match("DELETE", "/v2/accounts/" ACCT "/phone_numbers/5551230000", &r), 0);
	assert_ptr_equal(r->route->handler, api_h_number_release);
	api_req_unref(r);
	/* the handler refuses what is no number; control characters never reach it */
	assert_int_equal(match("PUT", "/v2/accounts/" ACCT "/phone_numbers/abc", NULL), 0);
	assert_int_equal(match("PUT", "/v2/accounts/" ACCT "/phone_numbers/(555) 123-0000", NULL), 0);
	assert_int_equal(match("PUT", "/v2/accounts/" ACCT "/phone_numbers/a\tb", NULL), -EINVAL);
	assert_int_equal(match("POST", "/v2/accounts/" ACCT "/phone_numbers/+15551230000", NULL),
			 -EPERM);
	assert_int_equal(match("GET", "/v2/accounts/ABC/phone_numbers", NULL), -EINVAL);
}

static void test_openapi(void **state)
{
	(void)state;
	json_t *doc = api_openapi(NULL);
	json_t *paths = json_object_get(doc, "paths");
	json_t *one = json_object_get(paths, "/v2/accounts/{ACCOUNT_ID}/phone_numbers/{NUMBER}");
	assert_non_null(json_object_get(one, "put"));
	assert_non_null(json_object_get(one, "delete"));
	assert_non_null(json_object_get(one, "get"));
	assert_non_null(json_object_get(json_object_get(paths, "/v2/accounts/{ACCOUNT_ID}/phone_numbers"),
					"get"));
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e164_kept),
		cmocka_unit_test(test_separators_dropped),
		cmocka_unit_test(test_nanp_spellings),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_openapi),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
