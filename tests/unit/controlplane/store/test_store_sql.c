/* The listing statement binds every value and key as a parameter; routing keys round-trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <cmocka.h>

#include "store-events.h"
#include "store.h"

static void test_filters_are_parameters(void **state)
{
	(void)state;
	struct store_list_query q = { .page_size = 3, .start_key = "0123456789abcdef0123456789abcdef",
				      .n_filters = 3 };
	q.filters[0] = (struct store_filter){ STORE_FILTER_EQ, "sip.user\"name", "x' OR 1=1--" };
	q.filters[1] = (struct store_filter){ STORE_FILTER_NE, "device_type", "softphone" };
	q.filters[2] = (struct store_filter){ STORE_FILTER_HAS_KEY, "a.b.c", NULL };
	struct store_sql s;
	assert_int_equal(store_list_sql("acct", "device", &q, &s), 0);
	assert_null(strstr(s.sql, "OR 1=1"));
	assert_null(strstr(s.sql, "softphone"));
	assert_int_equal(s.n_params, 9);
	assert_string_equal(s.params[3], "{\"sip\",\"user\\\"name\"}");
	assert_string_equal(s.params[4], "x' OR 1=1--");
	assert_string_equal(s.params[7], "{\"a\",\"b\",\"c\"}");
	assert_string_equal(s.params[8], "4"); /* one more row than the page finds the next key */
	assert_int_equal(s.limit, 3);
}

static void test_bad_keys_and_sizes_refused(void **state)
{
	(void)state;
	struct store_sql s;
	struct store_list_query q = { .n_filters = 1 };
	q.filters[0] = (struct store_filter){ STORE_FILTER_EQ, "a..b", "v" };
	assert_int_equal(store_list_sql("a", "t", &q, &s), -EINVAL);
	q.filters[0].key = "";
	assert_int_equal(store_list_sql("a", "t", &q, &s), -EINVAL);
	q.filters[0].key = "a.b.c.d.e.f.g.h.i";
	assert_int_equal(store_list_sql("a", "t", &q, &s), -EINVAL);
	struct store_list_query big = { .page_size = STORE_PAGE_MAX + 1 };
	assert_int_equal(store_list_sql("a", "t", &big, &s), -EINVAL);
}

static void test_ids(void **state)
{
	(void)state;
	char id[33];
	store_id_new(id);
	assert_true(store_id_valid(id));
	assert_false(store_id_valid("0123456789ABCDEF0123456789abcdef"));
	assert_false(store_id_valid("../../etc/passwd"));
	assert_false(store_id_valid("0123456789abcdef0123456789abcde"));
}

static void test_routing_key_round_trip(void **state)
{
	(void)state;
	struct store_event ev = { .kind = STORE_EVENT_EDITED,
				  .account_id = "0123456789abcdef0123456789abcdef",
				  .type = "device", .id = "fedcba9876543210fedcba9876543210" };
	char key[256];
	assert_int_equal(store_event_routing_key(&ev, key, sizeof(key)), 0);
	assert_string_equal(key, "doc_edited.account%2F01%2F23%2F456789abcdef0123456789abcdef."
				 "device.fedcba9876543210fedcba9876543210");
	struct store_event back;
	assert_int_equal(store_event_parse(key, &back), 0);
	assert_int_equal(back.kind, STORE_EVENT_EDITED);
	assert_string_equal(back.account_id, ev.account_id);
	assert_string_equal(back.type, "device");
	assert_string_equal(back.id, ev.id);
	assert_int_equal(store_event_parse("doc_edited.account%2F01.device.x", &back), -EINVAL);
	assert_int_equal(store_event_parse("doc_exploded.account%2F01%2F23%2F456789abcdef0123456789abcdef.d.x", &back), -EINVAL);
	strcpy(ev.type, "a.b");
	assert_int_equal(store_event_routing_key(&ev, key, sizeof(key)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filters_are_parameters),
		cmocka_unit_test(test_bad_keys_and_sizes_refused),
		cmocka_unit_test(test_ids),
		cmocka_unit_test(test_routing_key_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
