/* The RTP port allocator: even ports only, RTCP room, FIFO reuse, exhaustion, bad frees. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <errno.h>

#include <cmocka.h>

#include "relay_ports.h"

static void even_ports_with_rtcp_room(void **state)
{
	(void)state;
	struct relay_ports p;
	/* 10001..10008: RTP 10002, 10004, 10006 (10008 has no 10009 for RTCP). */
	assert_int_equal(relay_ports_init(&p, 10001, 10008), 0);
	assert_int_equal(p.n_pairs, 3);
	assert_int_equal(relay_ports_alloc(&p), 10002);
	assert_int_equal(relay_ports_alloc(&p), 10004);
	assert_int_equal(relay_ports_alloc(&p), 10006);
	assert_int_equal(relay_ports_alloc(&p), 0);
	assert_int_equal(relay_ports_pair(&p, 10003), 0);
	assert_int_equal(relay_ports_pair(&p, 10007), 2);
	assert_int_equal(relay_ports_pair(&p, 10008), -1);
	assert_int_equal(relay_ports_pair(&p, 10001), -1);
	relay_ports_fini(&p);
}

static void freed_ports_come_back_last(void **state)
{
	(void)state;
	struct relay_ports p;
	assert_int_equal(relay_ports_init(&p, 20000, 20007), 0);
	uint16_t a = relay_ports_alloc(&p), b = relay_ports_alloc(&p);
	assert_int_equal(a, 20000);
	assert_int_equal(b, 20002);
	assert_int_equal(relay_ports_free(&p, a), 0);
	assert_int_equal(relay_ports_alloc(&p), 20004);
	assert_int_equal(relay_ports_alloc(&p), 20006);
	assert_int_equal(relay_ports_alloc(&p), 20000);
	assert_int_equal(relay_ports_alloc(&p), 0);
	assert_int_equal(relay_ports_free(&p, 20001), -EINVAL);	/* RTCP port */
	assert_int_equal(relay_ports_free(&p, 30000), -EINVAL);	/* outside */
	relay_ports_fini(&p);
}

static void empty_ranges_are_refused(void **state)
{
	(void)state;
	struct relay_ports p;
	assert_int_equal(relay_ports_init(&p, 10001, 10002), -EINVAL);
	assert_int_equal(relay_ports_init(&p, 10000, 10000), -EINVAL);
	assert_int_equal(relay_ports_init(&p, 0, 10), -EINVAL);
	assert_int_equal(relay_ports_init(&p, 500, 400), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(even_ports_with_rtcp_room),
		cmocka_unit_test(freed_ports_come_back_last),
		cmocka_unit_test(empty_ranges_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
