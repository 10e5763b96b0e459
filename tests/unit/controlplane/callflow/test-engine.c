/* The walk: lookup to first node, children by result key, jumps, loop guard, errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static int setup(void **state)
{
	static struct harness h;

	h_init(&h);
	fake_docs_put(&h.d, ACC, "dev1", "device", "{\"name\": \"desk\"}");
	*state = &h;
	return 0;
}

static int teardown(void **state)
{
	h_release(*state);
	return 0;
}

static void test_branch_on_sip_code(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "cf1", "1001",
		   "{\"module\": \"device\", \"data\": {\"id\": \"dev1\"}, \"children\": {"
		   " \"sip:486\": {\"module\": \"play\", \"data\": {\"id\": \"busy-prompt\"}},"
		   " \"_\": {\"module\": \"play\", \"data\": {\"id\": \"other-prompt\"}}}}");
	fake_call_script(&h->c, CF_REJECTED, 486);
	r = h_run(h, "1001", NULL);
	assert_int_equal(r->end, CF_END_TREE);
	assert_string_equal(r->callflow_id, "cf1");
	assert_int_equal(r->steps, 2);
	assert_int_equal(h->c.n_bridges, 1);
	assert_int_equal(h->c.n_played, 1);
	assert_string_equal(h->c.played[0], "busy-prompt");

	/* a named cause wins over the code; anything unlisted takes "_" */
	fake_call_script(&h->c, CF_FAILED, 503);
	r = h_run(h, "1001", NULL);
	assert_int_equal(h->c.n_played, 2);
	assert_string_equal(h->c.played[1], "other-prompt");
	assert_int_equal(r->end, CF_END_TREE);
}

static void test_answered_stops(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "cf1", "1001",
		   "{\"module\": \"device\", \"data\": {\"id\": \"dev1\"}, \"children\": {"
		   " \"_\": {\"module\": \"play\", \"data\": {\"id\": \"never\"}}}}");
	fake_call_script(&h->c, CF_ANSWERED, 200);
	r = h_run(h, "1001", NULL);
	assert_int_equal(r->end, CF_END_STOPPED);
	assert_int_equal(h->c.n_played, 0);

	fake_call_script(&h->c, CF_HANGUP, 0);
	r = h_run(h, "1001", NULL);
	assert_int_equal(r->end, CF_END_HANGUP);
	assert_int_equal(h->c.n_played, 0);
	assert_int_equal(cf_engine_ended(h->eng, CF_END_HANGUP), 1);
	assert_int_equal(cf_engine_ended(h->eng, CF_END_STOPPED), 1);
}

static void test_loop_guard_self_jump(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "loop", "1002", "{\"module\": \"callflow\", \"data\": {\"id\": \"loop\"}}");
	h->cfg.max_jumps = 5;
	r = h_run(h, "1002", NULL);
	assert_int_equal(r->end, CF_END_LOOP_GUARD);
	assert_int_equal(r->jumps, 6);
	assert_non_null(strstr(r->detail, "jumps"));
}

static void test_loop_guard_steps(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;
	char flow[4096] = "{\"module\": \"set_cid\", \"data\": {}}";
	char tmp[4200];

	/* 12 nested set_cid nodes, max_steps 10: the walk is cut, not the stack */
	for (int i = 0; i < 11; i++) {
		snprintf(tmp, sizeof(tmp),
			 "{\"module\": \"set_cid\", \"data\": {}, \"children\": {\"_\": %s}}", flow);
		assert_true(strlen(tmp) < sizeof(flow));
		strcpy(flow, tmp);
	}
	h_callflow(h, "deep", "1003", flow);
	h->cfg.max_steps = 10;
	r = h_run(h, "1003", NULL);
	assert_int_equal(r->end, CF_END_LOOP_GUARD);
	assert_int_equal(r->steps, 11);
	h->cfg.max_steps = 64;
	cf_engine_free(h->eng);
	h_engine(h);
	r = h_run(h, "1003", NULL);
	assert_int_equal(r->end, CF_END_TREE);
	assert_int_equal(r->steps, 12);
}

static void test_jump_follows_target(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "a", "1004", "{\"module\": \"callflow\", \"data\": {\"id\": \"b\"}}");
	h_callflow(h, "b", "9999", "{\"module\": \"play\", \"data\": {\"id\": \"from-b\"}}");
	r = h_run(h, "1004", NULL);
	assert_int_equal(r->end, CF_END_TREE);
	assert_int_equal(r->jumps, 1);
	assert_string_equal(r->callflow_id, "a");
	assert_string_equal(h->c.played[0], "from-b");
	/* a jump to nothing is an error, not a crash */
	h_callflow(h, "c", "1005", "{\"module\": \"callflow\", \"data\": {\"id\": \"gone\"}}");
	r = h_run(h, "1005", NULL);
	assert_int_equal(r->end, CF_END_ERROR);
}

static void test_errors(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	h_callflow(h, "x", "1006", "{\"module\": \"teleport\", \"data\": {}}");
	r = h_run(h, "1006", NULL);
	assert_int_equal(r->end, CF_END_ERROR);
	assert_non_null(strstr(r->detail, "teleport"));
	h_callflow(h, "y", "1007", "{\"module\": \"play\", \"data\": [1]}");
	r = h_run(h, "1007", NULL);
	assert_int_equal(r->end, CF_END_ERROR);
	h_callflow(h, "z", "1008", "\"not a node\"");
	r = h_run(h, "1008", NULL);
	assert_int_equal(r->end, CF_END_ERROR);
	r = h_run(h, "5555", NULL);
	assert_int_equal(r->end, CF_END_NO_CALLFLOW);
	assert_int_equal(cf_engine_ended(h->eng, CF_END_NO_CALLFLOW), 1);
}

static void test_async_documents(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;

	/* the same tree, every document answer queued: same outcome */
	h->d.async = true;
	h_callflow(h, "cf1", "1001",
		   "{\"module\": \"device\", \"data\": {\"id\": \"dev1\"}, \"children\": {"
		   " \"busy\": {\"module\": \"callflow\", \"data\": {\"id\": \"cf2\"}}}}");
	h_callflow(h, "cf2", "2002", "{\"module\": \"play\", \"data\": {\"id\": \"p\"}}");
	fake_call_script(&h->c, CF_BUSY, 486);
	r = h_run(h, "1001", "dev1");
	assert_int_equal(r->end, CF_END_TREE);
	assert_int_equal(r->jumps, 1);
	assert_string_equal(h->c.played[0], "p");
}

static void test_no_match_and_start_args(void **state)
{
	struct harness *h = *state;
	const struct cf_flow_report *r;
	struct cf_call_info bad = {0};

	fake_docs_put(&h->d, ACC, "nm", "callflow",
		      "{\"numbers\": [\"no_match\"], \"flow\": {\"module\": \"resources\","
		      " \"data\": {}}}");
	r = h_run(h, "+442071234567", NULL);
	assert_string_equal(r->callflow_id, "nm");
	assert_int_equal(r->end, CF_END_TREE);	/* no resources: failed, no child */
	assert_int_equal(cf_flow_start(h->eng, &bad, &h->c, NULL, NULL), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_branch_on_sip_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answered_stops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_self_jump, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loop_guard_steps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jump_follows_target, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_async_documents, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_match_and_start_args, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
