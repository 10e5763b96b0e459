/* Digest arithmetic against RFC 7616 §3.9.1 (the same request in MD5 and SHA-256). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "digest.h"

#define RFC_USER "Mufasa"
#define RFC_REALM "http-auth@example.org"
#define RFC_PASS "Circle of Life"
#define RFC_NONCE "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define RFC_CNONCE "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static void rfc_response(enum csip_digest_alg alg, const char *expect)
{
	char ha1[CSIP_DIGEST_HEX_MAX], resp[CSIP_DIGEST_HEX_MAX];
	assert_int_equal(csip_digest_ha1(alg, RFC_USER, RFC_REALM, RFC_PASS, ha1), 0);
	assert_int_equal(strlen(ha1), csip_digest_hex_len(alg));
	assert_int_equal(csip_digest_response(alg, ha1, RFC_NONCE, "00000001", RFC_CNONCE, "auth",
					      "GET", "/dir/index.html", resp),
			 0);
	assert_string_equal(resp, expect);
	assert_true(csip_digest_equal(resp, expect));
}

static void test_rfc7616_md5(void **state)
{
	(void)state;
	rfc_response(CSIP_DIGEST_MD5, "8ca523f5e9506fed4657c9700eebdbec");
}

static void test_rfc7616_sha256(void **state)
{
	(void)state;
	rfc_response(CSIP_DIGEST_SHA256,
		     "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

static void test_any_field_changes_the_response(void **state)
{
	(void)state;
	char ha1[CSIP_DIGEST_HEX_MAX], a[CSIP_DIGEST_HEX_MAX], b[CSIP_DIGEST_HEX_MAX];
	csip_digest_ha1(CSIP_DIGEST_MD5, RFC_USER, RFC_REALM, RFC_PASS, ha1);
	csip_digest_response(CSIP_DIGEST_MD5, ha1, RFC_NONCE, "00000001", RFC_CNONCE, "auth",
			     "REGISTER", "sip:example.com", a);
	csip_digest_response(CSIP_DIGEST_MD5, ha1, RFC_NONCE, "00000002", RFC_CNONCE, "auth",
			     "REGISTER", "sip:example.com", b);
	assert_false(csip_digest_equal(a, b));
	csip_digest_response(CSIP_DIGEST_MD5, ha1, RFC_NONCE, "00000001", RFC_CNONCE, "auth",
			     "INVITE", "sip:example.com", b);
	assert_false(csip_digest_equal(a, b));
	csip_digest_ha1(CSIP_DIGEST_MD5, RFC_USER, RFC_REALM, "circle of life", ha1);
	csip_digest_response(CSIP_DIGEST_MD5, ha1, RFC_NONCE, "00000001", RFC_CNONCE, "auth",
			     "REGISTER", "sip:example.com", b);
	assert_false(csip_digest_equal(a, b));
}

static void test_algorithm_names(void **state)
{
	(void)state;
	enum csip_digest_alg alg = CSIP_DIGEST_SHA256;
	assert_int_equal(csip_digest_alg_parse(NULL, &alg), 0);
	assert_int_equal(alg, CSIP_DIGEST_MD5);
	assert_int_equal(csip_digest_alg_parse("sha-256", &alg), 0);
	assert_int_equal(alg, CSIP_DIGEST_SHA256);
	assert_int_equal(csip_digest_alg_parse("MD5", &alg), 0);
	assert_int_equal(alg, CSIP_DIGEST_MD5);
	assert_int_equal(csip_digest_alg_parse("MD5-sess", &alg), -ENOTSUP);
	assert_int_equal(csip_digest_alg_parse("SHA-512-256", &alg), -ENOTSUP);
	assert_string_equal(csip_digest_alg_name(CSIP_DIGEST_SHA256), "SHA-256");
}

static void test_equal_is_case_insensitive_and_length_strict(void **state)
{
	(void)state;
	assert_true(csip_digest_equal("8CA523F5e9506fed", "8ca523f5E9506FED"));
	assert_false(csip_digest_equal("8ca523f5e9506fed", "8ca523f5e9506fe"));
	assert_false(csip_digest_equal("8ca523f5e9506fed", "8ca523f5e9506fee"));
	assert_false(csip_digest_equal("", "0"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc7616_md5),
		cmocka_unit_test(test_rfc7616_sha256),
		cmocka_unit_test(test_any_field_changes_the_response),
		cmocka_unit_test(test_algorithm_names),
		cmocka_unit_test(test_equal_is_case_insensitive_and_length_strict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
