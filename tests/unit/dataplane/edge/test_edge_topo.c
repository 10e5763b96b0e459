/* Topology-hiding tokens: they round-trip, and any change to a token, a truncation or another
 * key is refused, with either cipher (AES-256 where the CPU has AES-NI, ChaCha20). */
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

/* Runs the test with the cipher in *state; without AES-NI the AES-256 run checks that the
 * cipher cannot be chosen and goes on with ChaCha20. */
static int use_cipher(void **state)
{
	enum edge_topo_cipher c = *(const enum edge_topo_cipher *)*state;
	int rc = edge_topo_set_cipher(c);

	if (rc == -ENOTSUP && c == EDGE_TOPO_AES256) {
		assert_int_equal(edge_topo_cipher(), EDGE_TOPO_CHACHA20);
		return edge_topo_set_cipher(EDGE_TOPO_CHACHA20);
	}
	return rc;
}

static const enum edge_topo_cipher aes = EDGE_TOPO_AES256, chacha = EDGE_TOPO_CHACHA20;

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

/* The two ciphers make different tokens of one plaintext (the chosen one is really used),
 * and a token of one does not decode under the other. */
static void test_ciphers_differ(void **state)
{
	uint8_t key[EDGE_TOPO_KEY_LEN];
	char a[256], c[256], plain[64];
	(void)state;

	fixed_key(key, 3);
	if (edge_topo_set_cipher(EDGE_TOPO_AES256) == -ENOTSUP) {
		/* No AES-NI: ChaCha20 is the only cipher, and the one in use. */
		assert_int_equal(edge_topo_cipher(), EDGE_TOPO_CHACHA20);
		return;
	}
	int ta = edge_topo_encode(key, "198.51.100.2:5080", 17, a, sizeof(a));
	assert_int_equal(edge_topo_set_cipher(EDGE_TOPO_CHACHA20), 0);
	int tc = edge_topo_encode(key, "198.51.100.2:5080", 17, c, sizeof(c));
	assert_int_equal(ta, tc);
	/* Same tag (the MAC does not depend on the cipher), other ciphertext. */
	assert_memory_equal(a, c, 20);
	assert_memory_not_equal(a + 22, c + 22, (size_t)ta - 22);
	assert_int_equal(edge_topo_decode(key, a, (size_t)ta, plain, sizeof(plain)), -EBADMSG);
	assert_int_equal(edge_topo_set_cipher((enum edge_topo_cipher)0), -EINVAL);
}

/* Plaintexts that differ in one byte share no stretch of ciphertext: the key stream depends
 * on the whole plaintext through the tag, so equal prefixes do not show through. */
static void test_token_is_not_plain_text(void **state)
{
	uint8_t key[EDGE_TOPO_KEY_LEN];
	char t1[256], t2[256];
	(void)state;

	fixed_key(key, 4);
	for (int c = EDGE_TOPO_AES256; c <= EDGE_TOPO_CHACHA20; c++) {
		if (edge_topo_set_cipher((enum edge_topo_cipher)c) < 0)
			continue; /* AES without AES-NI: test_ciphers_differ covers it */
		int a = edge_topo_encode(key, "203.0.113.5:5070;a=1", 20, t1, sizeof(t1));
		int b = edge_topo_encode(key, "203.0.113.5:5070;a=2", 20, t2, sizeof(t2));
		assert_int_equal(a, b);
		int same = 0;
		for (int i = 0; i < a; i++)
			same += t1[i] == t2[i];
		assert_true(same < a / 4); /* random tokens agree on about 1 character in 64 */
	}
}

/* Sealing a value again is served from the thread's cache of recent tokens: it must follow
 * key and cipher changes, never give one key's token under another, and agree with a fresh
 * seal for values too long to be cached. */
static void test_cache_follows_key(void **state)
{
	uint8_t a[EDGE_TOPO_KEY_LEN], b[EDGE_TOPO_KEY_LEN];
	char ta[256], tb[256], again[256], plain[128];
	static const char flow[] = "203.0.113.5:5070";
	(void)state;

	fixed_key(a, 5);
	fixed_key(b, 6);
	int na = edge_topo_encode(a, flow, sizeof(flow) - 1, ta, sizeof(ta));
	int nb = edge_topo_encode(b, flow, sizeof(flow) - 1, tb, sizeof(tb));
	assert_true(na > 0 && nb == na);
	assert_memory_not_equal(ta, tb, (size_t)na);
	assert_int_equal(edge_topo_decode(b, tb, (size_t)nb, plain, sizeof(plain)),
			 (int)sizeof(flow) - 1);
	assert_int_equal(edge_topo_decode(a, tb, (size_t)nb, plain, sizeof(plain)), -EBADMSG);
	/* Back to the first key: the same token as before, twice (the second from the cache). */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(edge_topo_encode(a, flow, sizeof(flow) - 1, again, sizeof(again)),
				 na);
		assert_memory_equal(again, ta, (size_t)na);
	}
	/* A cached token still honours the caller's room. */
	assert_int_equal(edge_topo_encode(a, flow, sizeof(flow) - 1, again, (size_t)na), -ENOSPC);
	/* Many values through the cache's slots: each decodes to itself. */
	for (int i = 0; i < 200; i++) {
		char v[80], tok[256];
		int len = snprintf(v, sizeof(v), "sip:node-%d@198.51.100.%d:5080%.*s", i, i % 250,
				   i % 40, "----------------------------------------");
		int t = edge_topo_encode(a, v, (size_t)len, tok, sizeof(tok));
		assert_true(t > 0);
		assert_int_equal(edge_topo_decode(a, tok, (size_t)t, plain, sizeof(plain)), len);
		assert_memory_equal(plain, v, (size_t)len);
		assert_int_equal(edge_topo_encode(a, v, (size_t)len, again, sizeof(again)), t);
		assert_memory_equal(again, tok, (size_t)t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_prestate_setup_teardown(test_round_trip, use_cipher, NULL,
							 (void *)&aes),
		cmocka_unit_test_prestate_setup_teardown(test_tampered_refused, use_cipher, NULL,
							 (void *)&aes),
		cmocka_unit_test_prestate_setup_teardown(test_round_trip, use_cipher, NULL,
							 (void *)&chacha),
		cmocka_unit_test_prestate_setup_teardown(test_tampered_refused, use_cipher, NULL,
							 (void *)&chacha),
		cmocka_unit_test(test_ciphers_differ),
		cmocka_unit_test(test_token_is_not_plain_text),
		cmocka_unit_test(test_cache_follows_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
