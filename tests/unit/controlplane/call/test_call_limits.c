/* Concurrent-call limits: the limits document read (absent fields and -1 mean no limit),
 * trunks per direction with twoway trunks shared, calls and resource_consuming_calls, soft
 * limits; and the usage counted over a controller's live calls of one account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-int.h"
#include "call-limits.h"

#include <string.h>

static struct call_limits parsed(const char *text)
{
	struct call_limits l;
	assert_int_equal(call_limits_parse(text, &l), 0);
	return l;
}

static void test_parse(void **state)
{
	(void)state;
	struct call_limits l = parsed(NULL);
	assert_int_equal(l.inbound_trunks, -1);
	assert_int_equal(l.calls, -1);
	l = parsed("{\"inbound_trunks\": 2, \"outbound_trunks\": -1, \"twoway_trunks\": 0,"
		   " \"calls\": 7, \"resource_consuming_calls\": 3, \"soft_limit_outbound\": true,"
		   " \"allow_prepay\": true}");
	assert_int_equal(l.inbound_trunks, 2);
	assert_int_equal(l.outbound_trunks, -1);
	assert_int_equal(l.twoway_trunks, 0);
	assert_int_equal(l.calls, 7);
	assert_int_equal(l.resource_consuming_calls, 3);
	assert_false(l.soft_inbound);
	assert_true(l.soft_outbound);
	l = parsed("{\"inbound_trunks\": \"2\"}"); /* not a number: no limit */
	assert_int_equal(l.inbound_trunks, -1);
	assert_int_equal(call_limits_parse("[1]", &l), -EINVAL);
	assert_int_equal(l.calls, -1);
	assert_int_equal(call_limits_parse("{broken", &l), -EINVAL);
}

static enum call_limit_verdict check(const char *doc, unsigned calls, unsigned in, unsigned out,
				     enum call_trunk t)
{
	struct call_limits l = parsed(doc);
	struct call_usage u = { calls, in, out, in + out };
	return call_limits_check(&l, &u, t);
}

static void test_trunks(void **state)
{
	(void)state;
	/* nothing set: nothing limited */
	assert_int_equal(check("{}", 100, 50, 50, CALL_TRUNK_INBOUND), CALL_LIMIT_OK);
	/* one inbound trunk, nothing else: the second inbound call is over, outbound unlimited */
	assert_int_equal(check("{\"inbound_trunks\": 1}", 0, 0, 0, CALL_TRUNK_INBOUND),
			 CALL_LIMIT_OK);
	assert_int_equal(check("{\"inbound_trunks\": 1}", 1, 1, 0, CALL_TRUNK_INBOUND),
			 CALL_LIMIT_EXCEEDED);
	assert_int_equal(check("{\"inbound_trunks\": 1}", 9, 1, 8, CALL_TRUNK_OUTBOUND),
			 CALL_LIMIT_OK);
	/* one twoway trunk: shared by both directions */
	assert_int_equal(check("{\"twoway_trunks\": 1}", 0, 0, 0, CALL_TRUNK_OUTBOUND),
			 CALL_LIMIT_OK);
	assert_int_equal(check("{\"twoway_trunks\": 1}", 1, 1, 0, CALL_TRUNK_OUTBOUND),
			 CALL_LIMIT_EXCEEDED);
	assert_int_equal(check("{\"twoway_trunks\": 1}", 1, 0, 1, CALL_TRUNK_INBOUND),
			 CALL_LIMIT_EXCEEDED);
	/* own trunks first, then what twoway the other direction left */
	const char *mix = "{\"inbound_trunks\": 1, \"outbound_trunks\": 1, \"twoway_trunks\": 1}";
	assert_int_equal(check(mix, 1, 1, 0, CALL_TRUNK_INBOUND), CALL_LIMIT_OK);
	assert_int_equal(check(mix, 2, 2, 0, CALL_TRUNK_INBOUND), CALL_LIMIT_EXCEEDED);
	assert_int_equal(check(mix, 2, 2, 0, CALL_TRUNK_OUTBOUND), CALL_LIMIT_OK);
	assert_int_equal(check(mix, 2, 1, 1, CALL_TRUNK_OUTBOUND), CALL_LIMIT_OK);
	assert_int_equal(check(mix, 3, 1, 2, CALL_TRUNK_INBOUND), CALL_LIMIT_EXCEEDED);
	/* soft limits let the direction through, reported */
	assert_int_equal(check("{\"inbound_trunks\": 0, \"soft_limit_inbound\": true}", 0, 0, 0,
			       CALL_TRUNK_INBOUND),
			 CALL_LIMIT_SOFT);
	assert_int_equal(check("{\"outbound_trunks\": 0, \"soft_limit_inbound\": true}", 0, 0, 0,
			       CALL_TRUNK_OUTBOUND),
			 CALL_LIMIT_EXCEEDED);
}

static void test_calls_and_resources(void **state)
{
	(void)state;
	assert_int_equal(check("{\"calls\": 2}", 1, 0, 0, CALL_TRUNK_NONE), CALL_LIMIT_OK);
	assert_int_equal(check("{\"calls\": 2}", 2, 0, 0, CALL_TRUNK_NONE), CALL_LIMIT_EXCEEDED);
	assert_int_equal(check("{\"calls\": 0}", 0, 0, 0, CALL_TRUNK_NONE), CALL_LIMIT_EXCEEDED);
	/* calls is checked on its own: trunks do not apply to device-to-device calls */
	assert_int_equal(check("{\"twoway_trunks\": 0}", 5, 0, 0, CALL_TRUNK_NONE), CALL_LIMIT_OK);
	assert_int_equal(check("{\"resource_consuming_calls\": 2}", 2, 1, 0, CALL_TRUNK_OUTBOUND),
			 CALL_LIMIT_OK);
	assert_int_equal(check("{\"resource_consuming_calls\": 2}", 2, 1, 1, CALL_TRUNK_INBOUND),
			 CALL_LIMIT_EXCEEDED);
	/* soft trunk limits do not lift resource_consuming_calls */
	assert_int_equal(check("{\"resource_consuming_calls\": 0, \"soft_limit_inbound\": true}",
			       0, 0, 0, CALL_TRUNK_INBOUND),
			 CALL_LIMIT_EXCEEDED);
}

static void test_usage(void **state)
{
	(void)state;
	struct call_ctl ctl;
	struct call c[4];
	memset(&ctl, 0, sizeof(ctl));
	memset(c, 0, sizeof(c));
	const char *accounts[4] = { "acct-a", "acct-a", "acct-b", "acct-a" };
	enum call_a_state states[4] = { CALL_A_ANSWERED, CALL_A_ROUTING, CALL_A_ROUTING,
					CALL_A_ENDED };
	for (int i = 0; i < 4; i++) {
		strcpy(c[i].account_id, accounts[i]);
		c[i].a_state = states[i];
		c[i].ctl = &ctl;
		c[i].next = i < 3 ? &c[i + 1] : NULL;
	}
	ctl.calls = &c[0];
	c[0].trunk_inbound = true;
	c[1].trunk_outbound = true;
	c[2].trunk_inbound = true;
	c[3].trunk_inbound = true; /* ended: not counted */
	struct call_usage u;
	call_limits_usage(&ctl, "acct-a", NULL, &u);
	assert_int_equal(u.calls, 2);
	assert_int_equal(u.inbound, 1);
	assert_int_equal(u.outbound, 1);
	assert_int_equal(u.resource, 2);
	call_limits_usage(&ctl, "acct-a", &c[0], &u);
	assert_int_equal(u.calls, 1);
	assert_int_equal(u.inbound, 0);

	/* admitting c[1] inbound too with one twoway trunk: c[0] holds it */
	assert_int_equal(call_limits_parse("{\"twoway_trunks\": 1}", &c[1].limits), 0);
	c[1].trunk_outbound = false;
	assert_int_equal(call_limits_admit(&c[1], CALL_TRUNK_OUTBOUND), -EBUSY);
	assert_int_equal(ctl.c.limited, 1);
	assert_false(c[1].trunk_outbound);
	c[0].a_state = CALL_A_ENDED;
	assert_int_equal(call_limits_admit(&c[1], CALL_TRUNK_OUTBOUND), 0);
	assert_true(c[1].trunk_outbound);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_trunks),
		cmocka_unit_test(test_calls_and_resources),
		cmocka_unit_test(test_usage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
