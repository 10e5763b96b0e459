/* Pending-call table: ids, lookups, capacity, and the deadline order the timeout timer uses. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>

#include "dpclient_pending.h"

static void test_add_find_remove(void **state)
{
	struct dpc_pending_table t;
	uint64_t next = 1;

	(void)state;
	assert_int_equal(dpc_pending_init(&t, 4), 0);
	struct dpc_pending *a = dpc_pending_add(&t, &next, 100);
	struct dpc_pending *b = dpc_pending_add(&t, &next, 50);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(a->id, 1);
	assert_int_equal(b->id, 2);
	assert_ptr_equal(dpc_pending_find(&t, 1), a);
	assert_ptr_equal(dpc_pending_find(&t, 2), b);
	assert_null(dpc_pending_find(&t, 3));
	assert_null(dpc_pending_find(&t, 5));	/* same slot as 1, other id */
	assert_null(dpc_pending_find(&t, 0));
	assert_ptr_equal(dpc_pending_first(&t), b);
	dpc_pending_remove(&t, b);
	assert_null(dpc_pending_find(&t, 2));
	assert_ptr_equal(dpc_pending_first(&t), a);
	dpc_pending_remove(&t, a);
	assert_null(dpc_pending_first(&t));
	assert_int_equal(t.count, 0);
	dpc_pending_destroy(&t);
}

static void test_full_and_probing(void **state)
{
	struct dpc_pending_table t;
	uint64_t next = 1;
	struct dpc_pending *p[3];

	(void)state;
	assert_int_equal(dpc_pending_init(&t, 3), 0);
	for (int i = 0; i < 3; i++)
		assert_non_null(p[i] = dpc_pending_add(&t, &next, 10));
	assert_null(dpc_pending_add(&t, &next, 10));
	/* A long-running call (id 1) keeps its slot; new ids skip past it. */
	dpc_pending_remove(&t, p[1]);
	dpc_pending_remove(&t, p[2]);
	struct dpc_pending *q = dpc_pending_add(&t, &next, 10);
	assert_non_null(q);
	assert_int_equal(q->id % 3, 2);
	assert_int_not_equal(q->id % 3, 1);
	assert_ptr_equal(dpc_pending_find(&t, p[0]->id), p[0]);
	dpc_pending_destroy(&t);
	assert_int_equal(dpc_pending_init(&t, 0), -EINVAL);
}

static void test_deadline_order(void **state)
{
	struct dpc_pending_table t;
	uint64_t next = 1;
	const uint64_t deadlines[] = { 50, 10, 70, 10, 30, 90, 20, 60 };
	uint64_t last = 0;
	int n = 0;

	(void)state;
	assert_int_equal(dpc_pending_init(&t, 16), 0);
	for (size_t i = 0; i < sizeof(deadlines) / sizeof(deadlines[0]); i++)
		assert_non_null(dpc_pending_add(&t, &next, deadlines[i]));
	/* Remove one from the middle, then drain in order. */
	dpc_pending_remove(&t, dpc_pending_find(&t, 5));	/* deadline 30 */
	struct dpc_pending *p;
	while ((p = dpc_pending_first(&t))) {
		assert_true(p->deadline_ms >= last);
		assert_int_not_equal(p->deadline_ms, 30);
		last = p->deadline_ms;
		dpc_pending_remove(&t, p);
		n++;
	}
	assert_int_equal(n, 7);
	assert_int_equal(last, 90);
	dpc_pending_destroy(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_find_remove),
		cmocka_unit_test(test_full_and_probing),
		cmocka_unit_test(test_deadline_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
