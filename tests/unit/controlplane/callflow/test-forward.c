/* Call forwards whose number leads somewhere other than a first device/user/ring_group: the
 * target callflow walked by the engine's own modules (loopback), and carriers in failover
 * order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

#define DEVICE(id) "{\"module\": \"device\", \"data\": {\"id\": \"" id "\"}}"

static void seed(struct harness *h)
{
	struct fake_docs *d = &h->d;

	fake_docs_put(d, ACC, "ub1", "device", "{\"name\": \"bob 1\"}");
	fake_docs_put(d, ACC, "d_busy", "device", "{\"name\": \"b\"}");
	/* a phone whose own forward must not be followed from another forward */
	fake_docs_put(d, ACC, "d_fwd", "device",
		      "{\"name\": \"fwd\", \"call_forward\": {\"enabled\": true, \"number\": "
		      "\"1003\"}}");
	fake_docs_put(d, ACC, "never", "temporal_rule",
		      "{\"name\": \"off\", \"cycle\": \"daily\", \"enabled\": false}");
	/* two carriers for NANP numbers: "cheap" first, "dear" on failover */
	fake_docs_put(d, ACC, "res_dear", "resource",
		      "{\"name\": \"dear\", \"weight_cost\": 80, \"rules\": [\"^\\\\+?1\\\\d{10}$\"],"
		      " \"gateways\": [{\"server\": \"203.0.113.20\"}]}");
	fake_docs_put(d, ACC, "res_cheap", "resource",
		      "{\"name\": \"cheap\", \"weight_cost\": 10, \"rules\": [\"^\\\\+?1\\\\d{10}$\"],"
		      " \"gateways\": [{\"server\": \"203.0.113.10\"}, {\"server\": "
		      "\"203.0.113.11\"}]}");
	h_callflow(h, "cf1003", "1003", DEVICE("ub1"));
}

static int setup(void **state)
{
	return h_setup_seeded(state, seed, false);
}

static int setup_async(void **state)
{
	return h_setup_seeded(state, seed, true);
}

/* Device d_to forwards to number; 2000 rings d_to. Returns the bridge the call made. */
static const struct fake_bridge *forward_to(struct harness *h, const char *number)
{
	char doc[256];

	snprintf(doc, sizeof(doc),
		 "{\"name\": \"to\", \"call_forward\": {\"enabled\": true, \"number\": \"%s\","
		 " \"require_keypress\": false}}",
		 number);
	fake_docs_put(&h->d, ACC, "d_to", "device", doc);
	h_callflow(h, "cf2000", "2000",
		   "{\"module\": \"device\", \"data\": {\"id\": \"d_to\", \"timeout\": 25},"
		   " \"children\": {\"_\": " PLAY("after") "}}");
	size_t before = h->c.n_bridges;

	h_run(h, "2000", NULL);
	return h->c.n_bridges > before ? &h->c.bridges[before] : NULL;
}

static void test_walk_through_set_cid_and_jump(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	/* set_cid, then a jump to another callflow that rings a device */
	h_callflow(h, "cf1100", "1100",
		   "{\"module\": \"set_cid\", \"data\": {\"caller_id_name\": \"Sales\","
		   " \"caller_id_number\": \"1100\"}, \"children\": {\"_\": {\"module\":"
		   " \"callflow\", \"data\": {\"id\": \"cf1003\"}}}}");
	b = forward_to(h, "1100");
	assert_non_null(b);
	assert_int_equal(b->n, 1);
	assert_int_equal(b->eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(b->eps[0].device_id, "ub1");
	/* the forward's timeout, the walk's caller id */
	assert_int_equal(b->eps[0].timeout_s, 25);
	assert_true(b->eps[0].cid_set);
	assert_string_equal(b->eps[0].cid.name, "Sales");
	assert_string_equal(b->eps[0].cid.number, "1100");
	/* a prompt is not heard on a forward: the walk goes on past it */
	h_callflow(h, "cf1101", "1101",
		   "{\"module\": \"play\", \"data\": {\"id\": \"hello\"}, \"children\": {\"_\": "
		   DEVICE("d_busy") "}}");
	b = forward_to(h, "1101");
	assert_non_null(b);
	assert_int_equal(b->n, 1);
	assert_string_equal(b->eps[0].device_id, "d_busy");
	for (size_t i = 0; i < h->c.n_played; i++)
		assert_string_equal(h->c.played[i], "after");	/* the caller's own flow only */
	/* the engine's own counters see the two flows, not the walks */
	assert_int_equal(cf_engine_ended(h->eng, CF_END_STOPPED), 0);
	assert_int_equal(cf_engine_ended(h->eng, CF_END_TREE), 2);
}

static void test_walk_through_temporal_route(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	/* a rule that does not hold: the "_" child rings, not the rule's */
	h_callflow(h, "cf1200", "1200",
		   "{\"module\": \"temporal_route\", \"data\": {\"rules\": [\"never\"]},"
		   " \"children\": {\"never\": " DEVICE("d_busy") ", \"_\": " DEVICE("ub1") "}}");
	b = forward_to(h, "1200");
	assert_non_null(b);
	assert_int_equal(b->n, 1);
	assert_string_equal(b->eps[0].device_id, "ub1");
	/* the target's own forward is not followed: forwards cannot loop */
	h_callflow(h, "cf1201", "1201",
		   "{\"module\": \"temporal_route\", \"data\": {\"rules\": []},"
		   " \"children\": {\"_\": " DEVICE("d_fwd") "}}");
	b = forward_to(h, "1201");
	assert_non_null(b);
	assert_int_equal(b->n, 1);
	assert_int_equal(b->eps[0].kind, CF_EP_DEVICE);
	assert_string_equal(b->eps[0].device_id, "d_fwd");
}

static void test_walk_that_rings_nobody(void **state)
{
	struct harness *h = *state;

	/* a prompt needs the call answered: not on a forward, which rings nobody */
	h_callflow(h, "cf1300", "1300", PLAY("welcome"));
	assert_null(forward_to(h, "1300"));
	assert_string_equal(h->c.played[h->c.n_played - 1], "after");
	assert_int_equal(h->rep.last.cause, CF_FAILED);
	/* a response: the forward is skipped with its code */
	h_callflow(h, "cf1301", "1301",
		   "{\"module\": \"response\", \"data\": {\"code\": 486}}");
	assert_null(forward_to(h, "1301"));
	assert_int_equal(h->rep.last.cause, CF_REJECTED);
	assert_int_equal(h->rep.last.sip_code, 486);
	assert_int_equal(h->c.respond_code, 0);	/* the caller was not answered by the walk */
}

/* Every carrier in cost order, each a failover rank of the forward's group. */
static void assert_carrier_ranks(const struct fake_bridge *b, const char *number)
{
	assert_non_null(b);
	assert_int_equal(b->n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(b->eps[i].kind, CF_EP_GATEWAY);
		assert_string_equal(b->eps[i].number, number);
		assert_string_equal(b->eps[i].device_id, "d_to");
		assert_int_equal(b->eps[i].failover_group, b->eps[0].failover_group);
	}
	assert_int_not_equal(b->eps[0].failover_group, 0);
	assert_string_equal(b->eps[0].gw.resource_id, "res_cheap");
	assert_string_equal(b->eps[1].gw.resource_id, "res_cheap");
	assert_int_equal(b->eps[0].failover_rank, 0);
	assert_int_equal(b->eps[1].failover_rank, 0);
	assert_string_equal(b->eps[2].gw.resource_id, "res_dear");
	assert_string_equal(b->eps[2].gw.server, "203.0.113.20");
	assert_int_equal(b->eps[2].failover_rank, 1);
	assert_false(b->eps[0].require_keypress);	/* as the forward said */
}

static void test_keypress_carried(void **state)
{
	struct harness *h = *state;
	const struct fake_bridge *b;

	/* require_keypress defaults on and goes with what the forward rings: the walk's device
	 * and every carrier */
	h_callflow(h, "cf1100", "1100",
		   "{\"module\": \"set_cid\", \"data\": {\"caller_id_name\": \"S\"},"
		   " \"children\": {\"_\": " DEVICE("ub1") "}}");
	fake_docs_put(&h->d, ACC, "d_key", "device",
		      "{\"name\": \"key\", \"call_forward\": {\"enabled\": true, \"number\":"
		      " \"1100\"}}");
	h_callflow(h, "cf2001", "2001", DEVICE("d_key"));
	h_run(h, "2001", NULL);
	b = &h->c.bridges[0];
	assert_int_equal(b->n, 1);
	assert_string_equal(b->eps[0].device_id, "ub1");
	assert_true(b->eps[0].require_keypress);
	fake_docs_put(&h->d, ACC, "d_key", "device",
		      "{\"name\": \"key\", \"call_forward\": {\"enabled\": true, \"number\":"
		      " \"+14155550000\"}}");
	h_run(h, "2001", NULL);
	b = &h->c.bridges[1];
	assert_int_equal(b->n, 3);
	for (size_t i = 0; i < b->n; i++)
		assert_true(b->eps[i].require_keypress);
}

static void test_carriers_fail_over(void **state)
{
	struct harness *h = *state;

	/* no callflow has the number */
	assert_carrier_ranks(forward_to(h, "+14155550000"), "14155550000");
	/* a callflow whose first module is resources */
	h_callflow(h, "cf_out", "14155550001", "{\"module\": \"resources\"}");
	assert_carrier_ranks(forward_to(h, "+14155550001"), "14155550001");
	/* resources reached through set_cid: the walk records each carrier the module tries */
	h_callflow(h, "cf_out2", "14155550002",
		   "{\"module\": \"set_cid\", \"data\": {\"caller_id_number\": \"+14155550100\"},"
		   " \"children\": {\"_\": {\"module\": \"resources\","
		   " \"children\": {\"_\": " DEVICE("ub1") "}}}}");
	assert_carrier_ranks(forward_to(h, "+14155550002"), "14155550002");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_walk_through_set_cid_and_jump, setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_walk_through_temporal_route, setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_walk_that_rings_nobody, setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_carriers_fail_over, setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_keypress_carried, setup, h_teardown),
		cmocka_unit_test_setup_teardown(test_walk_through_set_cid_and_jump, setup_async,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_walk_through_temporal_route, setup_async,
						h_teardown),
		cmocka_unit_test_setup_teardown(test_walk_that_rings_nobody, setup_async, h_teardown),
		cmocka_unit_test_setup_teardown(test_carriers_fail_over, setup_async, h_teardown),
		cmocka_unit_test_setup_teardown(test_keypress_carried, setup_async, h_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
