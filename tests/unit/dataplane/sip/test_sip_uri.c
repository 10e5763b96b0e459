/* URIs: sip/sips/tel/other schemes, user with ';', password, IPv4/IPv6/names, port, params,
 * headers, escapes and unescaping. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sip_test_str.h"
#include "sip_uri.h"

static struct sip_uri u;

static int uri(const char *s)
{
	return sip_uri_parse(s, (uint32_t)strlen(s), &u);
}

static void test_sip_uri_parts(void **state)
{
	(void)state;
	assert_int_equal(uri("sips:alice:secret@[2001:db8::1]:5061;transport=tls;lr?Subject=hi&X=1"),
			 0);
	assert_int_equal(u.kind, SIP_SCHEME_SIPS);
	STR_EQ(u.user, "alice");
	STR_EQ(u.password, "secret");
	STR_EQ(u.host, "[2001:db8::1]");
	assert_int_equal(u.host_kind, SIP_HOST_IPV6);
	assert_int_equal(u.port, 5061);
	STR_EQ(u.params, "transport=tls;lr");
	STR_EQ(u.headers, "Subject=hi&X=1");

	struct sip_str v;
	assert_int_equal(sip_uri_param(&u, "TRANSPORT", &v), 0);
	STR_EQ(v, "tls");
	assert_int_equal(sip_uri_param(&u, "lr", &v), 0);
	assert_int_equal(v.len, 0);
	assert_int_equal(sip_uri_param(&u, "maddr", &v), -ENOENT);

	assert_int_equal(uri("SIP:192.0.2.4"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_SIP);
	assert_int_equal(u.host_kind, SIP_HOST_IPV4);
	assert_int_equal(u.user.len, 0);
	assert_int_equal(u.port, 0);
	assert_int_equal(uri("sip:192.0.2.256"), 0);
	assert_int_equal(u.host_kind, SIP_HOST_NAME); /* not an IPv4 literal */

	/* RFC 4475 semiuri: ';' inside the user part. */
	assert_int_equal(uri("sip:user;par=u%40example.net@example.com"), 0);
	STR_EQ(u.user, "user;par=u%40example.net");
	STR_EQ(u.host, "example.com");
	assert_int_equal(u.params.len, 0);

	/* RFC 4475 intmeth: every user-unreserved and mark character, and a password. */
	assert_int_equal(uri("sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*:&it+has=1,weird!"
			     "*pas$wo~d_too.(doesn't-it)@example.com"),
			 0);
	STR_EQ(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
	STR_EQ(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
}

static void test_other_schemes(void **state)
{
	(void)state;
	assert_int_equal(uri("tel:+1-201-555-0123;phone-context=example.com"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_TEL);
	STR_EQ(u.user, "+1-201-555-0123");
	STR_EQ(u.params, "phone-context=example.com");
	assert_int_equal(uri("nobodyKnowsThisScheme:totallyopaquecontent"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_OTHER);
	STR_EQ(u.scheme, "nobodyKnowsThisScheme");
	STR_EQ(u.opaque, "totallyopaquecontent");
	assert_int_equal(uri("soap.beep://192.0.2.103:3002"), 0);
	assert_int_equal(u.kind, SIP_SCHEME_OTHER);
}

static void test_bad_uris(void **state)
{
	static const char *const bad[] = {
		"<sip:user@example.com>", "sip:user@example.com; lr", "sip:", "sip:@host",
		"sip:user@", "sip:host:port", "sip:host:70000", "sip:[::1", "sip:h;a b",
		"sip:us%2", "sip:u%zz@h", "1sip:x", "sip", ":x", "sip:host>", "tel:",
		"sip:h?x=<y>", "sip:.h",
	};
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (uri(bad[i]) != -EBADMSG)
			fail_msg("accepted bad URI '%s'", bad[i]);
	static const char nul[] = "sip:a\0b@host";
	assert_int_equal(sip_uri_parse(nul, sizeof(nul) - 1, &u), -EBADMSG);
}

static void test_unescape(void **state)
{
	char out[64];
	size_t n;
	struct sip_str s;
	(void)state;

	/* Decode once only (RFC 4475 esc01): %25%34%31 is "%41", not "A". */
	s = SLICE("v%61lue%25%34%31");
	assert_int_equal(sip_unescape(&s, out, sizeof(out), &n), 0);
	assert_int_equal(n, 8);
	assert_memory_equal(out, "value%41", 8);
	/* %00 decodes to a NUL that stays data (RFC 4475 escnull). */
	s = SLICE("null-%00-null");
	assert_int_equal(sip_unescape(&s, out, sizeof(out), &n), 0);
	assert_int_equal(n, 11);
	assert_memory_equal(out, "null-\0-null", 11);
	s = SLICE("%Z%45");
	assert_int_equal(sip_unescape(&s, out, sizeof(out), &n), -EBADMSG);
	s = SLICE("abc%4");
	assert_int_equal(sip_unescape(&s, out, sizeof(out), &n), -EBADMSG);
	s = SLICE("abcdef");
	assert_int_equal(sip_unescape(&s, out, 5, &n), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip_uri_parts),
		cmocka_unit_test(test_other_schemes),
		cmocka_unit_test(test_bad_uris),
		cmocka_unit_test(test_unescape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
