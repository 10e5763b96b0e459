/* Nonces: issue and verify, tampering, expiry, another realm; nonce-count replay protection and
 * its bounded table; the per-source failure table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "auth-fail.h"
#include "nc-table.h"
#include "nonce.h"

#define T0 1800000000ull
#define TTL 300

static struct csip_nonce_key key_of(uint8_t fill)
{
	struct csip_nonce_key k;
	memset(k.secret, fill, sizeof(k.secret));
	return k;
}

static void test_fresh_nonce_verifies(void **state)
{
	(void)state;
	struct csip_nonce_key k = key_of(7);
	char n[CSIP_NONCE_LEN + 1];
	assert_int_equal(csip_nonce_make(&k, "a.example", T0, 42, n), 0);
	assert_int_equal(strlen(n), CSIP_NONCE_LEN);
	uint64_t issued = 0;
	assert_int_equal(csip_nonce_check(&k, "a.example", n, T0 + 10, TTL, &issued), 0);
	assert_int_equal(issued, T0);
	/* Unique per salt even within one second. */
	char m[CSIP_NONCE_LEN + 1];
	csip_nonce_make(&k, "a.example", T0, 43, m);
	assert_string_not_equal(n, m);
}

static void test_tampered_nonce_is_refused(void **state)
{
	(void)state;
	struct csip_nonce_key k = key_of(7);
	char n[CSIP_NONCE_LEN + 1];
	csip_nonce_make(&k, "a.example", T0, 1, n);
	/* Every single-character change, timestamp, salt or MAC, is caught. */
	for (int i = 0; i < CSIP_NONCE_LEN; i++) {
		char t[CSIP_NONCE_LEN + 1];
		memcpy(t, n, sizeof(t));
		t[i] = t[i] == '0' ? '1' : '0';
		assert_int_equal(csip_nonce_check(&k, "a.example", t, T0 + 1, TTL, NULL), -EBADMSG);
	}
	/* Another node's secret, another realm, malformed text. */
	struct csip_nonce_key other = key_of(8);
	assert_int_equal(csip_nonce_check(&other, "a.example", n, T0 + 1, TTL, NULL), -EBADMSG);
	assert_int_equal(csip_nonce_check(&k, "b.example", n, T0 + 1, TTL, NULL), -EBADMSG);
	assert_int_equal(csip_nonce_check(&k, "a.example", "abc", T0 + 1, TTL, NULL), -EBADMSG);
	assert_int_equal(csip_nonce_check(&k, "a.example", NULL, T0 + 1, TTL, NULL), -EBADMSG);
	char upper[CSIP_NONCE_LEN + 1];
	memcpy(upper, n, sizeof(upper));
	for (int i = 0; upper[i]; i++)
		if (upper[i] >= 'a' && upper[i] <= 'f')
			upper[i] = (char)(upper[i] - 32);
	if (strcmp(upper, n) != 0)
		assert_int_equal(csip_nonce_check(&k, "a.example", upper, T0 + 1, TTL, NULL),
				 -EBADMSG);
}

static void test_nonce_expiry(void **state)
{
	(void)state;
	struct csip_nonce_key k = key_of(9);
	char n[CSIP_NONCE_LEN + 1];
	csip_nonce_make(&k, "a.example", T0, 5, n);
	assert_int_equal(csip_nonce_check(&k, "a.example", n, T0 + TTL, TTL, NULL), 0);
	assert_int_equal(csip_nonce_check(&k, "a.example", n, T0 + TTL + 1, TTL, NULL), -ETIMEDOUT);
	/* From the future beyond the clock skew allowed: not ours. */
	assert_int_equal(csip_nonce_check(&k, "a.example", n, T0 - 60, TTL, NULL), -EBADMSG);
}

static void test_nonce_count_replay(void **state)
{
	(void)state;
	struct csip_nonce_key k = key_of(1);
	char n[CSIP_NONCE_LEN + 1];
	csip_nonce_make(&k, "a.example", T0, 1, n);
	struct csip_nc_table *t = csip_nc_table_new(64);
	assert_non_null(t);
	assert_int_equal(csip_nc_table_use(t, n, T0, 1, T0 + 1, TTL), 0);
	assert_int_equal(csip_nc_table_use(t, n, T0, 1, T0 + 2, TTL), -EALREADY);
	assert_int_equal(csip_nc_table_use(t, n, T0, 2, T0 + 2, TTL), 0);
	assert_int_equal(csip_nc_table_use(t, n, T0, 1, T0 + 3, TTL), -EALREADY);
	assert_int_equal(csip_nc_table_use(t, n, T0, 0, T0 + 3, TTL), -EALREADY);
	assert_int_equal(csip_nc_table_use(t, n, T0, 7, T0 + 3, TTL), 0);
	/* Another nonce has its own count. */
	char m[CSIP_NONCE_LEN + 1];
	csip_nonce_make(&k, "a.example", T0, 2, m);
	assert_int_equal(csip_nc_table_use(t, m, T0, 1, T0 + 3, TTL), 0);
	assert_int_equal(csip_nc_table_used(t), 2);
	csip_nc_table_free(t);
}

static void test_nonce_count_table_is_bounded(void **state)
{
	(void)state;
	struct csip_nonce_key k = key_of(2);
	struct csip_nc_table *t = csip_nc_table_new(16);
	char n[CSIP_NONCE_LEN + 1];
	int refused = 0;
	for (uint64_t s = 0; s < 64; s++) {
		csip_nonce_make(&k, "a.example", T0, s, n);
		int rc = csip_nc_table_use(t, n, T0, 1, T0 + 1, TTL);
		assert_true(rc == 0 || rc == -ENOSPC);
		refused += rc == -ENOSPC;
	}
	assert_int_equal(csip_nc_table_used(t), 16);
	assert_int_equal(refused, 48);
	/* Once those nonces have expired their slots serve new ones. */
	csip_nonce_make(&k, "a.example", T0 + TTL + 5, 999, n);
	assert_int_equal(csip_nc_table_use(t, n, T0 + TTL + 5, 1, T0 + TTL + 5, TTL), 0);
	assert_int_equal(csip_nc_table_used(t), 16);
	csip_nc_table_free(t);
}

static void test_auth_fail_window(void **state)
{
	(void)state;
	struct csip_auth_fail *f = csip_auth_fail_new(64, 60, 12345);
	assert_non_null(f);
	for (unsigned i = 1; i <= 5; i++)
		assert_int_equal(csip_auth_fail_hit(f, "192.0.2.1", T0 + i), i);
	assert_int_equal(csip_auth_fail_hit(f, "192.0.2.2", T0 + 6), 1);
	/* A window older than 60 s restarts. */
	assert_int_equal(csip_auth_fail_hit(f, "192.0.2.1", T0 + 100), 1);
	csip_auth_fail_clear(f, "192.0.2.1");
	assert_int_equal(csip_auth_fail_hit(f, "192.0.2.1", T0 + 101), 1);
	csip_auth_fail_free(f);
}

static void test_auth_fail_table_is_bounded(void **state)
{
	(void)state;
	struct csip_auth_fail *f = csip_auth_fail_new(8, 60, 1);
	char src[32];
	for (int i = 0; i < 100; i++) {
		snprintf(src, sizeof(src), "198.51.100.%d", i);
		assert_int_equal(csip_auth_fail_hit(f, src, T0), 1);
	}
	assert_int_equal(csip_auth_fail_evictions(f), 92);
	csip_auth_fail_free(f);
}

/* No slots, or more than memory can address: no table rather than a wrapped allocation. */
static void test_tables_refuse_impossible_sizes(void **state)
{
	(void)state;
	assert_null(csip_nc_table_new(0));
	assert_null(csip_nc_table_new(SIZE_MAX / 2));
	assert_null(csip_auth_fail_new(0, 60, 1));
	assert_null(csip_auth_fail_new(SIZE_MAX / 2, 60, 1));
	struct csip_nc_table *t = csip_nc_table_new(1);
	assert_non_null(t);
	csip_nc_table_free(t);
	csip_nc_table_free(NULL);
	csip_auth_fail_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fresh_nonce_verifies),
		cmocka_unit_test(test_tampered_nonce_is_refused),
		cmocka_unit_test(test_nonce_expiry),
		cmocka_unit_test(test_nonce_count_replay),
		cmocka_unit_test(test_nonce_count_table_is_bounded),
		cmocka_unit_test(test_auth_fail_window),
		cmocka_unit_test(test_auth_fail_table_is_bounded),
		cmocka_unit_test(test_tables_refuse_impossible_sizes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
