/* The allow-list: trusted sources bypass density and method limits, CIDR edges exactly,
 * operator bans still win. */
#include "filter-test.h"

static struct flt *strict_filter(const char *allow)
{
	struct flt_policy p;
	char err[128];

	test_policy_open(&p);
	/* Strict enough that any untrusted source is limited on its second request. */
	p.density_requests = 2;
	p.method_rate[FLT_METHOD_REGISTER] = (struct flt_rate){ .per_sec = 1, .burst = 1 };
	if (flt_policy_parse_allow_list(&p, allow, err, sizeof(err)) != 0)
		fail_msg("allow-list rejected: %s", err);
	return test_filter_create(&p, 0);
}

/* True when many requests at one instant all pass, which only a trusted source gets. */
static bool bypasses(struct flt *f, uint32_t ip)
{
	for (int i = 0; i < 50; i++)
		if (test_check(f, T0, ip, FLT_METHOD_REGISTER) != FLT_ACCEPT)
			return false;
	return true;
}

static void cidr_edges(void **state)
{
	struct flt *f = strict_filter("198.51.100.0/24, 203.0.113.7, 10.0.0.0/31, 172.16.0.0/12");

	(void)state;
	assert_true(bypasses(f, IP4(198, 51, 100, 0)));
	assert_true(bypasses(f, IP4(198, 51, 100, 255)));
	assert_false(bypasses(f, IP4(198, 51, 99, 255)));
	assert_false(bypasses(f, IP4(198, 51, 101, 0)));
	assert_true(bypasses(f, IP4(203, 0, 113, 7)));
	assert_false(bypasses(f, IP4(203, 0, 113, 6)));
	assert_false(bypasses(f, IP4(203, 0, 113, 8)));
	assert_true(bypasses(f, IP4(10, 0, 0, 0)));
	assert_true(bypasses(f, IP4(10, 0, 0, 1)));
	assert_false(bypasses(f, IP4(10, 0, 0, 2)));
	assert_true(bypasses(f, IP4(172, 16, 0, 0)));
	assert_true(bypasses(f, IP4(172, 31, 255, 255)));
	assert_false(bypasses(f, IP4(172, 32, 0, 0)));
	assert_false(bypasses(f, IP4(172, 15, 255, 255)));
	/* Each trusted request counted as accepted and allowlisted. */
	assert_int_equal(test_counter(f, FLT_C_allowlisted), 7 * 50);
	assert_int_equal(flt_source_count(f), 7);	/* only the untrusted ones hold state */
	flt_destroy(f);
}

static void slash_zero_trusts_everything(void **state)
{
	struct flt *f = strict_filter("0.0.0.0/0");

	(void)state;
	assert_true(bypasses(f, IP4(1, 2, 3, 4)));
	assert_true(bypasses(f, IP4(255, 255, 255, 255)));
	assert_true(bypasses(f, 0));
	flt_destroy(f);
}

static void operator_ban_wins_over_allow_list(void **state)
{
	struct flt *f = strict_filter("198.51.100.0/24");
	uint32_t carrier = IP4(198, 51, 100, 20);

	(void)state;
	assert_int_equal(flt_ban_add(f, T0, carrier, 30, FLT_BAN_OPERATOR), 0);
	assert_int_equal(test_check(f, T0, carrier, FLT_METHOD_INVITE), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_banned), 1);
	assert_int_equal(flt_ban_remove(f, carrier), 0);
	assert_true(bypasses(f, carrier));
	flt_destroy(f);
}

static void trusted_sources_still_obey_account_cps(void **state)
{
	struct flt *f = strict_filter("198.51.100.0/24");
	uint32_t carrier = IP4(198, 51, 100, 20);

	(void)state;
	assert_int_equal(flt_account_limit_set(f, T0, "acct-1", 6, 2), 0);
	assert_int_equal(flt_check(f, T0, carrier, FLT_METHOD_INVITE, NULL, 0, "acct-1", 6), FLT_ACCEPT);
	assert_int_equal(flt_check(f, T0, carrier, FLT_METHOD_INVITE, NULL, 0, "acct-1", 6), FLT_ACCEPT);
	assert_int_equal(flt_check(f, T0, carrier, FLT_METHOD_INVITE, NULL, 0, "acct-1", 6), FLT_DROP);
	assert_int_equal(test_counter(f, FLT_C_account_cps), 1);
	flt_destroy(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cidr_edges),
		cmocka_unit_test(slash_zero_trusts_everything),
		cmocka_unit_test(operator_ban_wins_over_allow_list),
		cmocka_unit_test(trusted_sources_still_obey_account_cps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
