/* KAZOO call-event and webhook payload shapes, routing keys, times and durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "calls-payload.h"
#include "calls-time.h"
#include "leg-fixture.h"

static const char *s(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static void routing_key_escapes_dots(void **state)
{
	(void)state;
	char key[128];
	assert_int_equal(calls_event_routing_key(CALLS_CHANNEL_CREATE, "a.b*c#d%e", key,
						 sizeof(key)), 0);
	assert_string_equal(key, "call.CHANNEL_CREATE.a%2Eb%2Ac%23d%25e");
	assert_int_equal(calls_event_routing_key(CALLS_EVENT_KINDS, "x", key, sizeof(key)),
			 -EINVAL);
	assert_int_equal(calls_event_routing_key(CALLS_DTMF, "abcdef", key, 10), -ENOSPC);
}

static void destroy_event_has_kazoo_fields(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	json_t *ev = calls_event_json(CALLS_CHANNEL_DESTROY, &l, "cp1");
	assert_non_null(ev);
	assert_string_equal(s(ev, "Event-Category"), "call_event");
	assert_string_equal(s(ev, "Event-Name"), "CHANNEL_DESTROY");
	assert_string_equal(s(ev, "Call-ID"), "abc.123@host");
	assert_string_equal(s(ev, "Other-Leg-Call-ID"), "b-leg");
	assert_string_equal(s(ev, "Call-Direction"), "inbound");
	assert_string_equal(s(ev, "Caller-ID-Number"), "1001");
	assert_string_equal(s(ev, "Callee-ID-Name"), "Bob");
	assert_string_equal(s(ev, "Hangup-Code"), "sip:200");
	assert_string_equal(s(ev, "Media-Server"), "cp1");
	assert_int_equal(json_integer_value(json_object_get(ev, "Timestamp")),
			 1795327265LL + CALLS_GREGORIAN_UNIX_OFFSET);
	assert_int_equal(json_integer_value(json_object_get(ev, "Duration-Seconds")), 65);
	assert_int_equal(json_integer_value(json_object_get(ev, "Billing-Seconds")), 61);
	assert_int_equal(json_integer_value(json_object_get(ev, "Ringing-Seconds")), 3);
	json_t *ccv = json_object_get(ev, "Custom-Channel-Vars");
	assert_string_equal(s(ccv, "Account-ID"), ACCT);
	assert_string_equal(s(ccv, "Authorizing-Type"), "device");
	json_decref(ev);
	/* A create event carries no hang-up fields. */
	ev = calls_event_json(CALLS_CHANNEL_CREATE, &l, "cp1");
	assert_null(json_object_get(ev, "Hangup-Cause"));
	json_decref(ev);
	l.account_id = NULL;
	assert_null(calls_event_json(CALLS_CHANNEL_CREATE, &l, "cp1"));
}

static void webhook_payload_keeps_event_fields_over_custom_data(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	json_t *custom = json_pack("{s:s, s:s}", "call_id", "spoofed", "team", "sales");
	json_t *p = calls_webhook_payload(CALLS_CHANNEL_DESTROY, &l, "cp1", custom);
	assert_string_equal(s(p, "hook_event"), "channel_destroy");
	assert_string_equal(s(p, "call_id"), "abc.123@host");
	assert_string_equal(s(p, "team"), "sales");
	assert_string_equal(s(p, "hangup_cause"), "NORMAL_CLEARING");
	assert_int_equal(json_integer_value(json_object_get(p, "billing_seconds")), 61);
	json_decref(p);
	json_decref(custom);
}

static void unanswered_leg_durations(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	l.answered_us = 0;
	struct calls_durations d;
	calls_durations(&l, &d);
	assert_int_equal(d.duration_s, 65);
	assert_int_equal(d.billing_s, 0);
	assert_int_equal(d.ringing_s, 65);
	char iso[32];
	calls_iso8601(T0_US, iso, sizeof(iso));
	assert_string_equal(iso, "2026-11-22T06:00:00Z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(routing_key_escapes_dots),
		cmocka_unit_test(destroy_event_has_kazoo_fields),
		cmocka_unit_test(webhook_payload_keeps_event_fields_over_custom_data),
		cmocka_unit_test(unanswered_leg_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
