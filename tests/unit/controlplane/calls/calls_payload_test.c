/* KAZOO call-event and webhook payload shapes, routing keys, times and durations. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
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

/* The event, the webhook and the CDR spell the shared fields differently and keep their order. */
static void keys_of(const json_t *o, char *out, size_t cap)
{
	size_t n = 0;
	const char *key;
	json_t *v;
	out[0] = '\0';
	json_object_foreach((json_t *)o, key, v) {
		int w = snprintf(out + n, cap - n, "%s%s", n ? "," : "", key);
		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
}

static void shared_fields_in_both_spellings(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	char keys[1024];
	json_t *ev = calls_event_json(CALLS_CHANNEL_DESTROY, &l, "cp1");
	keys_of(ev, keys, sizeof(keys));
	assert_string_equal(keys,
			    "Event-Category,Event-Name,App-Name,Call-ID,Other-Leg-Call-ID,"
			    "Call-Direction,Caller-ID-Name,Caller-ID-Number,Callee-ID-Name,"
			    "Callee-ID-Number,From,To,Request,Account-ID,User-Agent,Media-Server,Node,"
			    "Timestamp,Channel-Created-Time,Channel-Answer-State,Hangup-Cause,"
			    "Hangup-Code,Duration-Seconds,Billing-Seconds,Ringing-Seconds,"
			    "Custom-Channel-Vars");
	json_t *wh = calls_webhook_payload(CALLS_CHANNEL_DESTROY, &l, "cp1", NULL);
	keys_of(wh, keys, sizeof(keys));
	assert_string_equal(keys,
			    "hook_event,call_id,other_leg_call_id,call_direction,account_id,"
			    "caller_id_name,caller_id_number,callee_id_name,callee_id_number,from,to,"
			    "request,emitted_by,timestamp,hangup_cause,hangup_code,duration_seconds,"
			    "billing_seconds,ringing_seconds,custom_channel_vars");
	static const char *const same[][2] = {
		{ "Caller-ID-Name", "caller_id_name" }, { "Caller-ID-Number", "caller_id_number" },
		{ "Callee-ID-Name", "callee_id_name" }, { "Callee-ID-Number", "callee_id_number" },
		{ "From", "from" }, { "To", "to" }, { "Request", "request" },
		{ "Hangup-Cause", "hangup_cause" }, { "Hangup-Code", "hangup_code" },
		{ "Duration-Seconds", "duration_seconds" }, { "Billing-Seconds", "billing_seconds" },
		{ "Ringing-Seconds", "ringing_seconds" },
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		assert_true(json_equal(json_object_get(ev, same[i][0]),
				       json_object_get(wh, same[i][1])));
	assert_string_equal(s(wh, "caller_id_name"), "Alice");
	assert_string_equal(s(wh, "request"), "1002@example.com");
	json_decref(ev);
	json_decref(wh);
	/* A leg without a hangup cause hung up normally; one without a caller name has none. */
	l.hangup_cause = NULL;
	l.caller_id_name = NULL;
	wh = calls_webhook_payload(CALLS_CHANNEL_DESTROY, &l, "cp1", NULL);
	assert_string_equal(s(wh, "hangup_cause"), "NORMAL_CLEARING");
	assert_null(json_object_get(wh, "caller_id_name"));
	json_decref(wh);
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
		cmocka_unit_test(shared_fields_in_both_spellings),
		cmocka_unit_test(unanswered_leg_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
