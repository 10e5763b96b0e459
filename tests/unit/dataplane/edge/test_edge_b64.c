/* Base64url of the topology tokens: RFC 4648 test vectors in the URL-safe alphabet, every
 * byte value and length round-tripping, and only canonical text accepted. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "edge_b64.h"

static void test_vectors(void **state)
{
	static const struct {
		const char *bin, *txt;
	} v[] = { { "", "" },	      { "f", "Zg" },	     { "fo", "Zm8" },
		  { "foo", "Zm9v" },  { "foob", "Zm9vYg" },  { "fooba", "Zm9vYmE" },
		  { "foobar", "Zm9vYmFy" }, { "\xfb\xff", "-_8" }, { "\xfb\xef\xbe", "----" } };
	char txt[16];
	uint8_t bin[16];
	(void)state;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t n = strlen(v[i].bin), t = strlen(v[i].txt);
		assert_int_equal(edge_b64_len(n), t);
		assert_int_equal(edge_b64_encode((const uint8_t *)v[i].bin, n, txt), t);
		assert_memory_equal(txt, v[i].txt, t);
		assert_int_equal(edge_b64_decode(v[i].txt, t, bin, sizeof(bin)), (int)n);
		assert_memory_equal(bin, v[i].bin, n);
	}
}

static void test_round_trip_all_bytes(void **state)
{
	uint8_t in[256], back[256];
	char txt[400];
	(void)state;

	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(255 - i);
	for (size_t n = 0; n <= sizeof(in); n++) {
		size_t t = edge_b64_encode(in, n, txt);
		assert_int_equal(t, edge_b64_len(n));
		for (size_t j = 0; j < t; j++)
			assert_non_null(memchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					       "0123456789-_",
					       txt[j], 64));
		assert_int_equal(edge_b64_decode(txt, t, back, sizeof(back)), (int)n);
		assert_memory_equal(back, in, n);
		if (n > 0) /* one byte short of room */
			assert_int_equal(edge_b64_decode(txt, t, back, n - 1), -ENOSPC);
	}
}

static void test_not_canonical_refused(void **state)
{
	static const char *const bad[] = {
		"Z",	    /* length 1 mod 4 */
		"Zm9vY",    /* the same after whole groups */
		"Zh",	    /* unused low bits set after one byte */
		"Zm9",	    /* unused low bits set after two bytes */
		"Zg==",	    /* padding */
		"Zm+v",	    /* the other alphabet */
		"Zm/v", "Zm9 ", "Zm9\n", "Z\0AA", "\xc3\xa9\x41\x41", /* a UTF-8 letter */
	};
	uint8_t out[16];
	(void)state;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		size_t len = i == 9 ? 4 : strlen(bad[i]);
		if (edge_b64_decode(bad[i], len, out, sizeof(out)) != -EBADMSG)
			fail_msg("accepted \"%s\"", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_vectors),
		cmocka_unit_test(test_round_trip_all_bytes),
		cmocka_unit_test(test_not_canonical_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
