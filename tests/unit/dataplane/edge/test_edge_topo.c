/* Topology-hiding tokens: they round-trip, and any change to a token, a truncation or another
 * key is refused. */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edge_topo.h"

static void fixed_key(uint8_t key[EDGE_TOPO_KEY_LEN], uint8_t seed)
{
	for (size_t i = 0; i < EDGE_TOPO_KEY_LEN; i++)
		key[i] = (uint8_t)(seed + i * 13);
}

static void test_round_trip(void **state)
{
	uint8_t key[EDGE_TOPO_KEY_LEN];
	char tok[1024], plain[EDGE_TOPO_MAX_PLAIN], big[EDGE_TOPO_MAX_PLAIN];
	static const char *const cases[] = { "1", "198.51.100.2:5080",
					     "SIP/2.0/UDP 198.51.100.2:5080;branch=z9hG4bKx;rport" };
	(void)state;

	fixed_key(key, 1);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = strlen(cases[i]);
		int t = edge_topo_encode(key, cases[i], len, tok, sizeof(tok));
		assert_true(t > 0);
		/* URL-safe base64 only: the token sits in a URI parameter and a Via branch. */
		for (int j = 0; j < t; j++)
			assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					       "0123456789-_",
					       tok[j]));
		assert_null(memmem(tok, (size_t)t, "198.51", 6));
		int n = edge_topo_decode(key, tok, (size_t)t, plain, sizeof(plain));
		assert_int_equal(n, (int)len);
		assert_memory_equal(plain, cases[i], len);
		/* Deterministic: a retransmission gets the same token. */
		char again[1024];
		assert_int_equal(edge_topo_encode(key, cases[i], len, again, sizeof(again)), t);
		assert_memory_equal(again, tok, (size_t)t);
	}
	/* The largest plaintext fits; one byte more does not. */
	memset(big, 'v', sizeof(big));
	int t = edge_topo_encode(key, big, sizeof(big), tok, sizeof(tok));
	assert_true(t > 0);
	assert_int_equal(edge_topo_decode(key, tok, (size_t)t, plain, sizeof(plain)),
			 (int)sizeof(big));
	assert_int_equal(edge_topo_encode(key, big, sizeof(big) + 0, tok, 10), -ENOSPC);
	assert_int_equal(edge_topo_encode(key, "", 0, tok, sizeof(tok)), -EINVAL);
	char huge[EDGE_TOPO_MAX_PLAIN + 1] = { 0 };
	assert_int_equal(edge_topo_encode(key, huge, sizeof(huge), tok, sizeof(tok)), -ENOSPC);
	/* A decode buffer that is too small is an error, never an overflow. */
	t = edge_topo_encode(key, "203.0.113.5:5070", 16, tok, sizeof(tok));
	assert_int_equal(edge_topo_decode(key, tok, (size_t)t, plain, 8), -ENOSPC);
}

static void test_tampered_refused(void **state)
{
	uint8_t key[EDGE_TOPO_KEY_LEN], other[EDGE_TOPO_KEY_LEN];
	char tok[256], bad[256], plain[128];
	static const char alphabet[] = "AQgw-_09";
	(void)state;

	fixed_key(key, 1);
	fixed_key(other, 2);
	int t = edge_topo_encode(key, "203.0.113.5:5070", 16, tok, sizeof(tok));
	assert_true(t > 0);
	/* Every position, changed to several other characters. The last character of unpadded
	 * base64 carries unused low bits, which the decoder must refuse or which must change
	 * the plaintext: either way nothing decodes to a different value. */
	for (int i = 0; i < t; i++) {
		for (const char *a = alphabet; *a; a++) {
			if (*a == tok[i])
				continue;
			memcpy(bad, tok, (size_t)t);
			bad[i] = *a;
			int n = edge_topo_decode(key, bad, (size_t)t, plain, sizeof(plain));
			if (n >= 0)
				fail_msg("tampered token accepted at %d (%c)", i, *a);
			assert_int_equal(n, -EBADMSG);
		}
	}
	/* Truncated, extended, empty, not base64, another key. */
	for (int cut = 0; cut < t; cut++)
		assert_int_equal(edge_topo_decode(key, tok, (size_t)cut, plain, sizeof(plain)),
				 -EBADMSG);
	memcpy(bad, tok, (size_t)t);
	memcpy(bad + t, "AAAA", 4);
	assert_int_equal(edge_topo_decode(key, bad, (size_t)t + 4, plain, sizeof(plain)), -EBADMSG);
	assert_int_equal(edge_topo_decode(key, "%%%%", 4, plain, sizeof(plain)), -EBADMSG);
	assert_int_equal(edge_topo_decode(other, tok, (size_t)t, plain, sizeof(plain)), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_tampered_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
