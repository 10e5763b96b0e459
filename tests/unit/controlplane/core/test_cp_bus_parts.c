/* The bus's pieces that need no broker: topic matching and the bounded pending queue. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cp/bus-pending.h"
#include "cp/bus.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void test_topic(void **state)
{
	(void)state;
	assert_true(cp_bus_topic_match("doc_edited.*.device.*", "doc_edited.acct1.device.d1"));
	assert_false(cp_bus_topic_match("doc_edited.*.device.*", "doc_edited.acct1.user.d1"));
	assert_false(cp_bus_topic_match("doc_edited.*.device.*", "doc_edited.acct1.device"));
	assert_true(cp_bus_topic_match("#", "a.b.c"));
	assert_true(cp_bus_topic_match("#", ""));
	assert_true(cp_bus_topic_match("a.#", "a"));
	assert_true(cp_bus_topic_match("a.#", "a.b.c"));
	assert_false(cp_bus_topic_match("a.#", "b.a"));
	assert_true(cp_bus_topic_match("a.#.z", "a.z"));
	assert_true(cp_bus_topic_match("a.#.z", "a.b.c.z"));
	assert_false(cp_bus_topic_match("a.#.z", "a.b.c"));
	assert_true(cp_bus_topic_match("*.b", "a.b"));
	assert_false(cp_bus_topic_match("*.b", "b"));
	assert_true(cp_bus_topic_match("exact.key", "exact.key"));
	assert_false(cp_bus_topic_match("exact.key", "exact.keys"));
	assert_false(cp_bus_topic_match("exact.keys", "exact.key"));
}

static struct cp_bus_msg *msg(int n)
{
	char body[32];
	snprintf(body, sizeof(body), "{\"n\":%d}", n);
	return cp_bus_msg_new("bugle.callevt", "k", body, strlen(body));
}

static int msg_n(const struct cp_bus_msg *m)
{
	int n = -1;
	assert_int_equal(sscanf(m->body, "{\"n\":%d}", &n), 1);
	return n;
}

static void test_pending_drops_oldest(void **state)
{
	(void)state;
	struct cp_bus_pending q;
	assert_int_equal(cp_bus_pending_init(&q, 3), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(cp_bus_pending_push(&q, msg(i)), 0);
	assert_int_equal(q.count, 3);
	assert_int_equal(q.dropped, 2);
	struct cp_bus_msg *m = cp_bus_pending_pop(&q);
	assert_int_equal(msg_n(m), 2);
	assert_string_equal(m->exchange, "bugle.callevt");
	assert_string_equal(m->routing_key, "k");
	cp_bus_pending_unpop(&q, m); /* a failed send puts it back first */
	for (int want = 2; want <= 4; want++) {
		m = cp_bus_pending_pop(&q);
		assert_non_null(m);
		assert_int_equal(msg_n(m), want);
		free(m);
	}
	assert_null(cp_bus_pending_pop(&q));
	cp_bus_pending_push(&q, msg(9));
	cp_bus_pending_free(&q); /* frees what is left (ASan checks) */
}

static void test_pending_zero_capacity(void **state)
{
	(void)state;
	struct cp_bus_pending q;
	assert_int_equal(cp_bus_pending_init(&q, 0), 0);
	assert_int_equal(cp_bus_pending_push(&q, msg(1)), -ENOSPC);
	assert_int_equal(q.dropped, 1);
	assert_null(cp_bus_pending_pop(&q));
	cp_bus_pending_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topic),
		cmocka_unit_test(test_pending_drops_oldest),
		cmocka_unit_test(test_pending_zero_capacity),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
