/* IPv4 literals: the exact parser used for URIs and Vias, and the leak scan that is the last
 * check before a message goes to the public side. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edge_ipv4.h"

#define NET 0xC6336400u /* 198.51.100.0/24 */
#define MASK 0xFFFFFF00u

static bool scan(const char *s)
{
	return edge_ipv4_scan(s, strlen(s), NET, MASK);
}

static void test_parse_exact(void **state)
{
	uint32_t ip;
	(void)state;

	assert_int_equal(edge_ipv4_parse("198.51.100.2", 12, &ip), 0);
	assert_int_equal(ip, 0xC6336402u);
	assert_int_equal(edge_ipv4_parse("0.0.0.0", 7, &ip), 0);
	assert_int_equal(ip, 0);
	static const char *const bad[] = { "198.51.100", "198.51.100.256", "198.51.100.2.",
					   "1.2.3.4x", "1..2.3", "", "a.b.c.d", "1.2.3.0004" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(edge_ipv4_parse(bad[i], strlen(bad[i]), &ip), -EINVAL);
	char buf[EDGE_IPV4_TEXT];
	assert_int_equal(edge_ipv4_format(0xFFFFFFFFu, buf), 15);
	assert_string_equal(buf, "255.255.255.255");
}

static void test_scan_finds_hidden_forms(void **state)
{
	(void)state;
	static const char *const leaks[] = {
		"Via: SIP/2.0/UDP 198.51.100.2:5080",
		"c=IN IP4 198.51.100.77\r\n",
		"x198.51.100.2",	  /* glued to a letter */
		"1.198.51.100.2",	  /* inside a longer dotted chain */
		"1198.51.100.2",	  /* after a digit */
		"198.51.100.2555",	  /* more digits after */
		"198.51.100.790",	  /* an octet that overflows */
		"198.051.100.002",	  /* leading zeros */
		"[::ffff:198.51.100.9]", /* IPv4-mapped IPv6 */
		"198.51.100.0",
	};
	for (size_t i = 0; i < sizeof(leaks) / sizeof(leaks[0]); i++)
		if (!scan(leaks[i]))
			fail_msg("missed: %s", leaks[i]);
	static const char *const clean[] = { "Via: SIP/2.0/UDP 192.0.2.1:5060", "198.51.101.2",
					     "198.51.10.2", "198.51.100", "198.51.100.",
					     "version 1.2.3", "" };
	for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++)
		if (scan(clean[i]))
			fail_msg("false match: %s", clean[i]);
	/* The length bounds the scan: a match past it does not count. */
	assert_false(edge_ipv4_scan("ab 198.51.100.2", 3, NET, MASK));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_exact),
		cmocka_unit_test(test_scan_finds_hidden_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
