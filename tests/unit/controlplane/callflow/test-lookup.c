/* Number normalisation and the exact / longest pattern / no_match choice. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cf-classifier.h"
#include "cf-lookup.h"

static void test_normalize(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{"+14155551234", "14155551234"}, {"4155551234", "14155551234"},
		{"14155551234", "14155551234"},	 {"(415) 555-1234", "14155551234"},
		{"*72", "*72"},			 {"*7214155551234", "*7214155551234"},
		{"#21", "#21"},			 {"1001", "1001"},
		{"alice", "alice"},		 {"+442071234567", "442071234567"},
		{"0114420712345", "0114420712345"},
		/* a 10-digit number starting 0/1 is not NANP: left alone */
		{"1234567890", "1234567890"},
	};
	char out[CF_NUMBER_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cf_number_normalize(cases[i].in, out, sizeof(out)), 0);
		assert_string_equal(out, cases[i].out);
	}
	assert_int_equal(cf_number_normalize("", out, sizeof(out)), -EINVAL);
	assert_int_equal(cf_number_normalize("+", out, sizeof(out)), -EINVAL);
	assert_int_equal(cf_number_normalize("12\x01" "3", out, sizeof(out)), -EINVAL);
	assert_int_equal(cf_number_normalize("4155551234", out, 5), -ENAMETOOLONG);
}

static void test_forms(void **state)
{
	char forms[3][CF_NUMBER_MAX];

	(void)state;
	assert_int_equal(cf_number_forms("14155551234", forms, 3), 3);
	assert_string_equal(forms[0], "14155551234");
	assert_string_equal(forms[1], "+14155551234");
	assert_string_equal(forms[2], "4155551234");
	assert_int_equal(cf_number_forms("*72", forms, 3), 1);
	assert_int_equal(cf_number_forms("1001", forms, 3), 2);
}

static json_t *candidates(void)
{
	json_t *c = json_loads(
		"[{\"id\": \"cf_nomatch\", \"numbers\": [\"no_match\"]},"
		" {\"id\": \"cf_short\", \"patterns\": [\"^\\\\d{4}$\", \"^1\"]},"
		" {\"id\": \"cf_long\", \"patterns\": [\"^\\\\+?1(415\\\\d{7})$\"]},"
		" {\"id\": \"cf_fwd\", \"patterns\": [\"^\\\\*72(\\\\d+)$\", \"(bad\"]},"
		" {\"id\": \"cf_exact\", \"numbers\": [\"+14155550100\", \"2000\"]}]",
		0, NULL);

	assert_non_null(c);
	return c;
}

static const char *chosen(const struct cf_match *m)
{
	return json_string_value(json_object_get(m->callflow, "id"));
}

static void test_choose(void **state)
{
	json_t *c = candidates();
	struct cf_match m;

	(void)state;
	/* exact beats every pattern, compared normalised ("+1415..." written in the doc) */
	assert_int_equal(cf_lookup_choose(c, "14155550100", &m), 0);
	assert_string_equal(chosen(&m), "cf_exact");
	assert_int_equal(m.kind, CF_MATCH_NUMBER);
	/* "^1" matches one character; the 415 pattern matches all 11: longest wins */
	assert_int_equal(cf_lookup_choose(c, "14155559999", &m), 0);
	assert_string_equal(chosen(&m), "cf_long");
	assert_int_equal(m.kind, CF_MATCH_PATTERN);
	assert_int_equal(m.n_captures, 1);
	assert_string_equal(m.captures[0], "4155559999");
	/* only the short pattern fits */
	assert_int_equal(cf_lookup_choose(c, "12125559999", &m), 0);
	assert_string_equal(chosen(&m), "cf_short");
	assert_string_equal(m.pattern, "^1");
	/* feature code capture; the broken pattern beside it is skipped, not fatal */
	assert_int_equal(cf_lookup_choose(c, "*7214155550000", &m), 0);
	assert_string_equal(chosen(&m), "cf_fwd");
	assert_string_equal(m.captures[0], "14155550000");
	assert_int_equal(cf_lookup_choose(c, "2000", &m), 0);
	assert_string_equal(chosen(&m), "cf_exact");
	assert_int_equal(cf_lookup_choose(c, "3000", &m), 0);
	assert_string_equal(chosen(&m), "cf_short");
	/* nothing else: no_match */
	assert_int_equal(cf_lookup_choose(c, "*99", &m), 0);
	assert_string_equal(chosen(&m), "cf_nomatch");
	assert_int_equal(m.kind, CF_MATCH_NO_MATCH);
	json_array_remove(c, 0);
	assert_int_equal(cf_lookup_choose(c, "*99", &m), -ENOENT);
	json_decref(c);
}

static void test_plus_form_patterns(void **state)
{
	json_t *c = json_loads("[{\"id\": \"e164\", \"patterns\": [\"^\\\\+1(\\\\d{10})$\"]}]", 0,
			       NULL);
	struct cf_match m;

	(void)state;
	assert_int_equal(cf_lookup_choose(c, "14155551234", &m), 0);
	assert_string_equal(m.captures[0], "4155551234");
	json_decref(c);
}

static void test_classify_and_restrict(void **state)
{
	json_t *dev = json_loads("{\"call_restriction\": {\"international\": {\"action\":"
				 " \"inherit\"}, \"tollfree_us\": {\"action\": \"allow\"}}}",
				 0, NULL);
	json_t *acc = json_loads("{\"call_restriction\": {\"international\": {\"action\":"
				 " \"deny\"}, \"tollfree_us\": {\"action\": \"deny\"}}}",
				 0, NULL);

	(void)state;
	assert_string_equal(cf_classify("911"), "emergency");
	assert_string_equal(cf_classify("18005551234"), "tollfree_us");
	assert_string_equal(cf_classify("19005551234"), "toll_us");
	assert_string_equal(cf_classify("18095551234"), "caribbean");
	assert_string_equal(cf_classify("14155551234"), "did_us");
	assert_string_equal(cf_classify("011442071234567"), "international");
	assert_string_equal(cf_classify("442071234567"), "international");
	assert_string_equal(cf_classify("1001"), "unknown");
	assert_string_equal(cf_classify("*72"), "unknown");
	/* "inherit" defers to the next document; the first explicit action decides */
	assert_true(cf_restricted("international", dev, NULL, acc));
	assert_false(cf_restricted("tollfree_us", dev, NULL, acc));
	assert_false(cf_restricted("did_us", dev, NULL, acc));
	assert_false(cf_restricted("international", NULL, NULL, NULL));
	json_decref(dev);
	json_decref(acc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_choose),
		cmocka_unit_test(test_plus_form_patterns),
		cmocka_unit_test(test_classify_and_restrict),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
