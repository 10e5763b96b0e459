/* Webhook signature (RFC 4231 vector and the timestamp.body form), back-off schedule, the
 * auto-disable window, document checks and request encoding. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "calls-wh-doc.h"
#include "calls-wh-policy.h"
#include "calls-wh-sign.h"
#include "leg-fixture.h"

static void hmac_rfc4231_case2(void **state)
{
	(void)state;
	char hex[CALLS_WH_SIG_HEX];
	const char *data = "what do ya want for nothing?";
	assert_int_equal(calls_wh_hmac_hex("Jefe", 4, data, strlen(data), hex), 0);
	assert_string_equal(hex,
			    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

/* Independently computed with Python's hmac module. */
static void signature_over_timestamp_dot_body(void **state)
{
	(void)state;
	char hex[CALLS_WH_SIG_HEX], joined[CALLS_WH_SIG_HEX];
	const char *key = "0123456789abcdef-secret", *body = "{\"a\":1}";
	assert_int_equal(calls_wh_sign(key, strlen(key), "1700000000", body, strlen(body), hex), 0);
	assert_string_equal(hex,
			    "6948a2dc6985c92d09b9edade5c97dce2ba201452d91a72e4a20d35abe4d3420");
	const char *all = "1700000000.{\"a\":1}";
	calls_wh_hmac_hex(key, strlen(key), all, strlen(all), joined);
	assert_string_equal(hex, joined);
}

static void backoff_doubles_then_caps(void **state)
{
	(void)state;
	assert_int_equal(calls_wh_backoff_ms(0, 1000, 30000), 0);
	assert_int_equal(calls_wh_backoff_ms(1, 1000, 30000), 1000);
	assert_int_equal(calls_wh_backoff_ms(2, 1000, 30000), 2000);
	assert_int_equal(calls_wh_backoff_ms(4, 1000, 30000), 8000);
	assert_int_equal(calls_wh_backoff_ms(5, 1000, 30000), 16000);
	assert_int_equal(calls_wh_backoff_ms(6, 1000, 30000), 30000);
	assert_int_equal(calls_wh_backoff_ms(60, 1000, 30000), 30000);
}

static void six_failures_in_sixty_seconds_trip(void **state)
{
	(void)state;
	struct calls_wh_window w = { 0 };
	/* Five failures 0..50 s, then the sixth at 60 s: exactly the window, trips. */
	for (int i = 0; i < 5; i++)
		assert_false(calls_wh_window_failure(&w, (uint64_t)i * 10000, 6, 60000));
	assert_true(calls_wh_window_failure(&w, 60000, 6, 60000));

	/* Spread out: each sixth failure is over 60 s after the first of its six. */
	struct calls_wh_window slow = { 0 };
	for (int i = 0; i < 20; i++)
		assert_false(calls_wh_window_failure(&slow, (uint64_t)i * 12001, 6, 60000));
	/* A burst after old failures: only once six are recent. */
	for (int i = 0; i < 5; i++)
		assert_false(calls_wh_window_failure(&slow, 1000000 + (uint64_t)i, 6, 60000));
	assert_true(calls_wh_window_failure(&slow, 1000005, 6, 60000));
}

static struct calls_webhook *hook(const char *json)
{
	char err[128];
	json_t *doc = json_loads(json, 0, NULL);
	assert_non_null(doc);
	struct calls_webhook *w = calls_wh_from_json(ACCT, "wh1", doc, err, sizeof(err));
	json_decref(doc);
	return w;
}

static void documents_checked(void **state)
{
	(void)state;
	assert_null(hook("{\"uri\":\"file:///etc/passwd\",\"hook\":\"all\"}"));
	assert_null(hook("{\"uri\":\"gopher://x/\",\"hook\":\"all\"}"));
	assert_null(hook("{\"uri\":\"http:///nohost\",\"hook\":\"all\"}"));
	assert_null(hook("{\"uri\":\"http://x/ y\",\"hook\":\"all\"}"));
	assert_null(hook("{\"uri\":\"http://x/\",\"hook\":\"all\",\"retries\":9}"));
	assert_null(hook("{\"uri\":\"http://x/\",\"hook\":\"all\",\"secret\":\"short\"}"));
	struct calls_webhook *w = hook("{\"uri\":\"https://x/h\",\"hook\":\"channel_answer\"}");
	assert_non_null(w);
	assert_int_equal(w->retries, 2);
	assert_int_equal(w->verb, CALLS_WH_POST);
	assert_int_equal(w->format, CALLS_WH_FORM);
	assert_true(calls_wh_matches(w, ACCT, CALLS_CHANNEL_ANSWER));
	assert_false(calls_wh_matches(w, ACCT, CALLS_CHANNEL_CREATE));
	assert_false(calls_wh_matches(w, "ffffffffffffffffffffffffffffffff", CALLS_CHANNEL_ANSWER));
	calls_wh_free(w);
}

static void subaccounts_match_only_when_asked(void **state)
{
	(void)state;
	const char *child = "ffffffffffffffffffffffffffffffff";
	struct calls_webhook *w = hook("{\"uri\":\"http://x/\",\"hook\":\"all\","
				       "\"include_subaccounts\":true}");
	assert_int_equal(calls_wh_set_descendants(w, "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee,"
						  "ffffffffffffffffffffffffffffffff"), 0);
	assert_true(calls_wh_matches(w, child, CALLS_DTMF));
	w->include_subaccounts = false;
	assert_false(calls_wh_matches(w, child, CALLS_DTMF));
	calls_wh_free(w);
}

static void requests_encoded_per_verb_and_format(void **state)
{
	(void)state;
	json_t *p = json_pack("{s:s, s:i}", "call_id", "a b&c", "n", 5);
	struct calls_wh_request r;
	struct calls_webhook *w = hook("{\"uri\":\"http://x/h?k=1\",\"hook\":\"all\","
				       "\"http_verb\":\"get\"}");
	assert_int_equal(calls_wh_request_build(w, p, &r), 0);
	assert_string_equal(r.url, "http://x/h?k=1&call_id=a+b%26c&n=5");
	assert_null(r.content_type);
	assert_int_equal(r.signed_len, strlen("call_id=a+b%26c&n=5"));
	calls_wh_request_clear(&r);
	calls_wh_free(w);

	w = hook("{\"uri\":\"http://x/h\",\"hook\":\"all\",\"format\":\"json\"}");
	assert_int_equal(calls_wh_request_build(w, p, &r), 0);
	assert_string_equal(r.url, "http://x/h");
	assert_string_equal(r.content_type, "application/json");
	assert_string_equal(r.body, "{\"call_id\":\"a b&c\",\"n\":5}");
	assert_ptr_equal(r.signed_part, r.body);
	calls_wh_request_clear(&r);
	calls_wh_free(w);
	json_decref(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(hmac_rfc4231_case2),
		cmocka_unit_test(signature_over_timestamp_dot_body),
		cmocka_unit_test(backoff_doubles_then_caps),
		cmocka_unit_test(six_failures_in_sixty_seconds_trip),
		cmocka_unit_test(documents_checked),
		cmocka_unit_test(subaccounts_match_only_when_asked),
		cmocka_unit_test(requests_encoded_per_verb_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
