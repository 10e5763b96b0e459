/* Contacts and expiry rules on parsed REGISTERs, including RFC 4475's cparam01, cparam02 and
 * regescrt (the stored URI keeps URI parameters and escaped headers, not header parameters),
 * and the Authorization fields the registrar reads. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "contact.h"

static const struct csip_expiry_rules rules = { .def_s = 300, .min_s = 60, .max_s = 3600 };

static int setup(void **state)
{
	(void)state;
	return parser_init() == 0 ? 0 : -1;
}

static osip_message_t *parse(const char *text)
{
	osip_message_t *m = NULL;
	assert_int_equal(osip_message_init(&m), 0);
	assert_int_equal(osip_message_parse(m, text, strlen(text)), 0);
	return m;
}

static char *read_testdata(const char *name)
{
	const char *dir = getenv("BUGLE_TESTDATA");
	assert_non_null(dir);
	char path[512];
	snprintf(path, sizeof(path), "%s/rfc4475/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char buf[8192];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

#define REG_HEAD                                                                           \
	"REGISTER sip:example.com SIP/2.0\r\n"                                             \
	"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"                              \
	"From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\n"           \
	"Call-ID: c1\r\nCSeq: 1 REGISTER\r\n"

/* A REGISTER with these header lines (each ending in CRLF), parsed. */
static osip_message_t *register_with(const char *lines)
{
	char text[2048];
	int n = snprintf(text, sizeof(text), REG_HEAD "%sContent-Length: 0\r\n\r\n", lines);
	assert_true(n > 0 && (size_t)n < sizeof(text));
	return parse(text);
}

/* The contacts of m read with r into cs (a copy: m is freed); csip_contacts_parse's result. */
static int contacts_of_msg(osip_message_t *m, const struct csip_expiry_rules *r,
			   struct csip_contact_set *cs)
{
	int rc = csip_contacts_parse(m, r, cs);
	osip_message_free(m);
	return rc;
}

static int contacts_of(const char *lines, const struct csip_expiry_rules *r,
		       struct csip_contact_set *cs)
{
	return contacts_of_msg(register_with(lines), r, cs);
}

/* The Authorization fields of a REGISTER with these header lines; csip_credentials_parse's
 * result. */
static int credentials_of(const char *lines, struct csip_credentials *c)
{
	osip_message_t *m = register_with(lines);
	int rc = csip_credentials_parse(m, c);
	osip_message_free(m);
	return rc;
}

static void test_expires_precedence_and_bounds(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>;expires=120, <sip:b@192.0.2.1>\r\n"
				     "Contact: <sip:c@192.0.2.1>;expires=99999\r\n"
				     "Contact: <sip:d@192.0.2.1>;expires=0\r\n"
				     "Expires: 600\r\n",
				     &rules, &cs),
			 0);
	assert_false(cs.star);
	assert_int_equal(cs.n, 4);
	assert_string_equal(cs.b[0].uri, "sip:a@192.0.2.1");
	assert_int_equal(cs.b[0].expires_s, 120);	/* contact parameter wins */
	assert_int_equal(cs.b[1].expires_s, 600);	/* then the Expires header */
	assert_int_equal(cs.b[2].expires_s, 3600);	/* lowered to the maximum */
	assert_int_equal(cs.b[3].expires_s, 0);		/* removal */

	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>\r\n", &rules, &cs), 0);
	assert_int_equal(cs.b[0].expires_s, 300);	/* the device default */

	struct csip_expiry_rules dev = rules;
	dev.def_s = 1800;
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>\r\n", &dev, &cs), 0);
	assert_int_equal(cs.b[0].expires_s, 1800);
}

static void test_too_brief(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>\r\nExpires: 59\r\n", &rules, &cs),
			 -ERANGE);
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>;expires=1\r\n", &rules, &cs),
			 -ERANGE);
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>;expires=60\r\n", &rules, &cs), 0);
	assert_int_equal(cs.b[0].expires_s, 60);
}

static void test_star(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	assert_int_equal(contacts_of("Contact: *\r\nExpires: 0\r\n", &rules, &cs), 0);
	assert_true(cs.star);
	assert_int_equal(cs.n, 0);
	/* "*" needs Expires: 0 and must stand alone (RFC 3261 §10.3 step 6). */
	assert_int_equal(contacts_of("Contact: *\r\nExpires: 300\r\n", &rules, &cs), -EINVAL);
	assert_int_equal(contacts_of("Contact: *\r\n", &rules, &cs), -EINVAL);
	assert_int_equal(contacts_of("Contact: *\r\nContact: <sip:a@192.0.2.1>\r\nExpires: 0\r\n",
				     &rules, &cs),
			 -EINVAL);
}

static void test_fetch_and_bad_contacts(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	assert_int_equal(contacts_of("", &rules, &cs), 0);
	assert_int_equal(cs.n, 0);
	assert_false(cs.star);
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>;expires=soon\r\n", &rules, &cs),
			 -EINVAL);
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1>\r\nExpires: -1\r\n", &rules, &cs),
			 -EINVAL);
	assert_int_equal(contacts_of("Contact: <http://example.com/x>\r\n", &rules, &cs), -EINVAL);
}

static void test_outbound_params(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	assert_int_equal(contacts_of("Contact: <sip:a@192.0.2.1;ob>;+sip.instance=\"<urn:uuid:"
				     "00000000-0000-1000-8000-AABBCCDDEEFF>\";reg-id=1\r\n",
				     &rules, &cs),
			 0);
	assert_string_equal(cs.b[0].uri, "sip:a@192.0.2.1;ob");
	assert_string_equal(cs.b[0].instance, "<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>");
	assert_int_equal(cs.b[0].reg_id, 1);
}

/* An RFC 4475 message with a single binding, whose stored URI must be want; its contacts are
 * left in cs. */
static void only_binding_is(const char *file, const char *want, struct csip_contact_set *cs)
{
	assert_int_equal(contacts_of_msg(parse(read_testdata(file)), &rules, cs), 0);
	assert_int_equal(cs->n, 1);
	assert_string_equal(cs->b[0].uri, want);
}

static void test_rfc4475_cparam01(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	/* Without <>, ";unknownparam" is a contact parameter: not part of the binding's URI. */
	only_binding_is("cparam01.dat", "sip:+19725552222@gw1.example.net", &cs);
}

static void test_rfc4475_cparam02(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	/* Inside <>, it is a URI parameter and stays on the URI. */
	only_binding_is("cparam02.dat", "sip:+19725552222@gw1.example.net;unknownparam", &cs);
}

static void test_rfc4475_regescrt(void **state)
{
	(void)state;
	struct csip_contact_set cs;
	/* The escaped header stays on the URI. */
	only_binding_is("regescrt.dat", "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
			&cs);
	assert_non_null(strstr(cs.b[0].uri, "?Route=%3Csip:sip.example.com%3E"));
}

static void test_delta_seconds(void **state)
{
	(void)state;
	int64_t v;
	assert_int_equal(csip_delta_seconds("3600", &v), 0);
	assert_int_equal(v, 3600);
	assert_int_equal(csip_delta_seconds(" 0 ", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(csip_delta_seconds("99999999999999999999999", &v), 0);
	assert_int_equal(v, 4294967295ll);
	assert_int_equal(csip_delta_seconds("", &v), -EINVAL);
	assert_int_equal(csip_delta_seconds("12a", &v), -EINVAL);
	assert_int_equal(csip_delta_seconds("-5", &v), -EINVAL);
}

static void test_credentials(void **state)
{
	(void)state;
	struct csip_credentials c;
	assert_int_equal(credentials_of(
		"Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\","
		" uri=\"sip:example.com\", response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\","
		" algorithm=SHA-256, cnonce=\"xyz\", qop=auth, nc=0000000a\r\n",
		&c), 0);
	assert_int_equal(c.alg, CSIP_DIGEST_SHA256);
	assert_string_equal(c.username, "alice");
	assert_string_equal(c.realm, "example.com");
	assert_string_equal(c.uri, "sip:example.com");
	assert_string_equal(c.cnonce, "xyz");
	assert_int_equal(c.nc_value, 10);

	assert_int_equal(credentials_of("", &c), -ENOENT);
	/* qop is required (RFC 7616), and the response must fit the algorithm. */
	assert_int_equal(credentials_of(
		"Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\","
		" uri=\"sip:example.com\", response=\"8ca523f5e9506fed4657c9700eebdbec\"\r\n",
		&c), -EINVAL);
	assert_int_equal(credentials_of(
		"Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\","
		" uri=\"sip:example.com\", response=\"8ca523f5e9506fed4657c9700eebdbec\","
		" algorithm=SHA-256, cnonce=\"xyz\", qop=auth, nc=00000001\r\n",
		&c), -EINVAL);
	assert_int_equal(credentials_of(
		"Authorization: Digest username=\"alice\", realm=\"example.com\", nonce=\"abc\","
		" uri=\"sip:example.com\", response=\"8ca523f5e9506fed4657c9700eebdbec\","
		" algorithm=MD5-sess, cnonce=\"xyz\", qop=auth, nc=00000001\r\n",
		&c), -ENOTSUP);
}

static void test_challenge_value(void **state)
{
	(void)state;
	char v[512];
	assert_int_equal(csip_challenge_value(CSIP_DIGEST_SHA256, "example.com", "n1", true, v,
					      sizeof(v)),
			 0);
	assert_string_equal(v, "Digest realm=\"example.com\", nonce=\"n1\", qop=\"auth\","
			       " algorithm=SHA-256, stale=TRUE");
	assert_int_equal(csip_challenge_value(CSIP_DIGEST_MD5, "bad\"realm", "n1", false, v,
					      sizeof(v)),
			 -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expires_precedence_and_bounds),
		cmocka_unit_test(test_too_brief),
		cmocka_unit_test(test_star),
		cmocka_unit_test(test_fetch_and_bad_contacts),
		cmocka_unit_test(test_outbound_params),
		cmocka_unit_test(test_rfc4475_cparam01),
		cmocka_unit_test(test_rfc4475_cparam02),
		cmocka_unit_test(test_rfc4475_regescrt),
		cmocka_unit_test(test_delta_seconds),
		cmocka_unit_test(test_credentials),
		cmocka_unit_test(test_challenge_value),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
