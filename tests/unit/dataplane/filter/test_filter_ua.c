/* The scanner User-Agent list: case-insensitive substring match on slices. */
#include "filter-test.h"

#include <stdio.h>
#include <stdlib.h>

static struct flt *ua_filter(void)
{
	struct flt_policy p;

	test_policy_open(&p);
	assert_int_equal(flt_policy_parse_ua_list(
				 &p, "friendly-scanner, sipvicious, sipcli, sip-scan, iWar, sipsak",
				 NULL, 0),
			 0);
	return test_filter_create(&p, 0);
}

static enum flt_verdict check_ua(struct flt *f, const char *ua, size_t len)
{
	return flt_check(f, T0, IP4(192, 0, 2, 60), FLT_METHOD_REGISTER, ua, len, NULL, 0);
}

static void scanners_match_case_insensitively(void **state)
{
	static const char *const hits[] = {
		"friendly-scanner",
		"FRIENDLY-SCANNER",
		"Friendly-Scanner/1.0",
		"sipvicious 0.3.4",
		"my SipVicious build",
		"sipcli/v1.8",
		"SIP-SCAN",
		"iwar",
		"IWAR",
		"xxiWaRxx",
		"sipsak 0.9.8",
	};
	static const char *const misses[] = {
		"Asterisk PBX 18",
		"friendly-scanne",	/* one byte short */
		"sip scan",
		"sip-sca",
		"i war",
		"Linphone/5.0 (sipsa k)",
		"",
	};
	struct flt *f = ua_filter();

	(void)state;
	for (size_t i = 0; i < sizeof(hits) / sizeof(hits[0]); i++) {
		if (check_ua(f, hits[i], strlen(hits[i])) != FLT_DROP)
			fail_msg("expected \"%s\" to match", hits[i]);
	}
	for (size_t i = 0; i < sizeof(misses) / sizeof(misses[0]); i++) {
		if (check_ua(f, misses[i], strlen(misses[i])) != FLT_ACCEPT)
			fail_msg("expected \"%s\" not to match", misses[i]);
	}
	assert_int_equal(test_counter(f, FLT_C_scanner_ua), sizeof(hits) / sizeof(hits[0]));
	assert_int_equal(check_ua(f, NULL, 0), FLT_ACCEPT);
	flt_destroy(f);
}

static void slice_bounds_are_respected(void **state)
{
	struct flt *f = ua_filter();
	/* A packet where the header value is followed by more bytes: only the slice counts. */
	const char packet[] = "User-Agent: sipsa\r\nX: k sipvicious\r\n";
	const char *value = packet + 12;
	char *heap;

	(void)state;
	assert_int_equal(check_ua(f, value, 5), FLT_ACCEPT);
	/* The whole rest of the packet contains "sipvicious". */
	assert_int_equal(check_ua(f, value, strlen(value)), FLT_DROP);
	/* The byte after the slice would complete "sipsak": it must not be looked at. */
	assert_int_equal(check_ua(f, "xxsipsak", 7), FLT_ACCEPT);
	assert_int_equal(check_ua(f, "xxsipsak", 8), FLT_DROP);
	/* A slice ending exactly at an allocation's end, not NUL-terminated: ASan checks that
	 * nothing past it is read. */
	heap = malloc(8);
	assert_non_null(heap);
	memcpy(heap, "xx-SIPSA", 8);
	assert_int_equal(check_ua(f, heap, 8), FLT_ACCEPT);
	memcpy(heap, "xxSIPSAK", 8);
	assert_int_equal(check_ua(f, heap, 8), FLT_DROP);
	memcpy(heap, "iWarxxxx", 8);
	assert_int_equal(check_ua(f, heap, 4), FLT_DROP);
	assert_int_equal(check_ua(f, heap + 1, 7), FLT_ACCEPT);
	free(heap);
	flt_destroy(f);
}

static void bytes_above_ascii_do_not_fold(void **state)
{
	struct flt_policy p;
	struct flt *f;
	/* 0xC9 is 'I' + 0x80: a sloppy "c | 0x20" fold would not be ASCII-only. */
	const char ua[] = { 'x', (char)0xC9, 'W', 'A', 'R' };

	(void)state;
	test_policy_open(&p);
	assert_int_equal(flt_policy_parse_ua_list(&p, "iwar", NULL, 0), 0);
	f = test_filter_create(&p, 0);
	assert_int_equal(check_ua(f, ua, sizeof(ua)), FLT_ACCEPT);
	assert_int_equal(check_ua(f, "xIWAR", 5), FLT_DROP);
	flt_destroy(f);
}

static void thirty_two_patterns_all_match(void **state)
{
	struct flt_policy p;
	struct flt *f;
	char text[32 * 12];
	size_t off = 0;

	(void)state;
	test_policy_open(&p);
	for (int i = 0; i < 32; i++)
		off += (size_t)snprintf(text + off, sizeof(text) - off, "%sscan%02d", i ? "," : "", i);
	assert_int_equal(flt_policy_parse_ua_list(&p, text, NULL, 0), 0);
	assert_int_equal(p.ua_count, 32);
	f = test_filter_create(&p, 0);
	for (int i = 0; i < 32; i++) {
		char ua[32];
		int n = snprintf(ua, sizeof(ua), "agent SCAN%02d/1", i);

		assert_int_equal(check_ua(f, ua, (size_t)n), FLT_DROP);
	}
	assert_int_equal(check_ua(f, "agent scan32", 12), FLT_ACCEPT);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(scanners_match_case_insensitively),
		cmocka_unit_test(slice_bounds_are_respected),
		cmocka_unit_test(bytes_above_ascii_do_not_fold),
		cmocka_unit_test(thirty_two_patterns_all_match),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
