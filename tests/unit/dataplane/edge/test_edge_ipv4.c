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
	/* Every octet width, each formatted text parsed back to the same address. */
	static const uint32_t ips[] = { 0, 0x0A000001u, 0xC0000201u, 0x09630A64u, 0xC6336402u };
	static const char *const texts[] = { "0.0.0.0", "10.0.0.1", "192.0.2.1", "9.99.10.100",
					     "198.51.100.2" };
	for (size_t i = 0; i < sizeof(ips) / sizeof(ips[0]); i++) {
		size_t n = edge_ipv4_format(ips[i], buf);
		assert_string_equal(buf, texts[i]);
		assert_int_equal(n, strlen(texts[i]));
		assert_int_equal(edge_ipv4_parse(buf, n, &ip), 0);
		assert_int_equal(ip, ips[i]);
	}
	char hp[EDGE_HOSTPORT_TEXT];
	assert_int_equal(edge_hostport(hp, "255.255.255.255", 15, 65535), 21);
	assert_string_equal(hp, "255.255.255.255:65535");
	assert_int_equal(edge_hostport(hp, "10.0.0.1", 8, 0), 10);
	assert_string_equal(hp, "10.0.0.1:0");
	assert_int_equal(edge_hostport(hp, "10.0.0.1", 8, 5060), 13);
	assert_string_equal(hp, "10.0.0.1:5060");
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

/* The scan's definition, written plainly: every digit tried as the start of a quad whose octets
 * are the longest runs of up to three digits that stay <= 255. */
static bool reference_scan(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		size_t k = i;
		uint32_t v = 0;
		int part;
		for (part = 0; part < 4; part++) {
			if (part) {
				if (k >= len || s[k] != '.')
					break;
				k++;
			}
			size_t start = k;
			uint32_t o = 0;
			while (k < len && s[k] >= '0' && s[k] <= '9' && k - start < 3 &&
			       o * 10 + (uint32_t)(s[k] - '0') <= 255)
				o = o * 10 + (uint32_t)(s[k++] - '0');
			if (k == start)
				break;
			v = v << 8 | o;
		}
		if (part == 4 && (v & MASK) == (NET & MASK))
			return true;
	}
	return false;
}

static void test_scan_matches_its_definition(void **state)
{
	/* Strings made of the characters that matter, in random runs: the scan that looks only
	 * near the dots must agree with trying every digit. */
	static const char alphabet[] = "1985.10026x.:";
	char s[40];
	uint32_t x = 12345;
	unsigned hits = 0;
	(void)state;
	for (int round = 0; round < 200000; round++) {
		size_t len = 0;
		x = x * 1103515245u + 12345u;
		size_t want = 8 + (x >> 16) % 30;
		while (len < want) {
			x = x * 1103515245u + 12345u;
			/* Often a piece of the net's own text, so that matches happen. */
			if ((x >> 20) % 4 == 0 && len + 3 <= want) {
				static const char *const pieces[] = { "198.51.100.", "198", ".51",
								      ".100", ".2", "00" };
				const char *p = pieces[(x >> 8) % 6];
				size_t pl = strlen(p);
				if (len + pl > want)
					pl = want - len;
				memcpy(s + len, p, pl);
				len += pl;
			} else {
				s[len++] = alphabet[(x >> 16) % (sizeof(alphabet) - 1)];
			}
		}
		bool want_hit = reference_scan(s, len);
		hits += want_hit;
		if (edge_ipv4_scan(s, len, NET, MASK) != want_hit)
			fail_msg("scan disagrees on '%.*s'", (int)len, s);
	}
	/* The strings did exercise both answers. */
	assert_true(hits > 100);
	assert_true(hits < 199900);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_exact),
		cmocka_unit_test(test_scan_finds_hidden_forms),
		cmocka_unit_test(test_scan_matches_its_definition),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
