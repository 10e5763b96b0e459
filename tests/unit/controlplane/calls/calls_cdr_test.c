/* CDR rows: columns, KAZOO id and document, refusal of incomplete legs; the channel view. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "calls-cdr.h"
#include "calls-channels.h"
#include "calls-config.h"
#include "calls-time.h"
#include "leg-fixture.h"

static void row_from_leg(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	struct calls_cdr_row row;
	assert_int_equal(calls_cdr_build(&l, "cp1", &row), 0);
	assert_string_equal(row.params[CALLS_CDR_ACCOUNT_ID], ACCT);
	assert_string_equal(row.params[CALLS_CDR_ID], "202611-abc.123@host");
	assert_string_equal(row.params[CALLS_CDR_CREATED], "1795327265.000000");
	assert_string_equal(row.params[CALLS_CDR_DIRECTION], "inbound");
	assert_string_equal(row.params[CALLS_CDR_DURATION], "65");
	assert_string_equal(row.params[CALLS_CDR_BILLING], "61");
	assert_string_equal(row.params[CALLS_CDR_NODE], "cp1");
	json_t *doc = json_loads(row.params[CALLS_CDR_DATA], 0, NULL);
	assert_non_null(doc);
	assert_string_equal(json_string_value(json_object_get(doc, "hangup_code")), "sip:200");
	assert_int_equal(json_integer_value(json_object_get(doc, "ringing_seconds")), 3);
	assert_int_equal(json_integer_value(json_object_get(doc, "timestamp")),
			 1795327265LL + CALLS_GREGORIAN_UNIX_OFFSET);
	assert_string_equal(json_string_value(json_object_get(doc, "timestamp_iso")),
			    "2026-11-22T06:01:05Z");
	assert_string_equal(json_string_value(json_object_get(doc, "authorizing_id")), "dev1");
	assert_string_equal(json_string_value(json_object_get(doc, "media_server")), "cp1");
	assert_string_equal(json_string_value(json_object_get(doc, "user_agent")), "baresip");
	json_decref(doc);
	calls_cdr_row_clear(&row);
	for (int i = 0; i < CALLS_CDR_NPARAMS; i++)
		assert_null(row.params[i]);
}

static void incomplete_leg_refused(void **state)
{
	(void)state;
	struct calls_leg l = fixture_leg();
	struct calls_cdr_row row;
	l.ended_us = 0;
	assert_int_equal(calls_cdr_build(&l, "cp1", &row), -EINVAL);
	l = fixture_leg();
	l.call_id = NULL;
	assert_int_equal(calls_cdr_build(&l, "cp1", &row), -EINVAL);
}

static void channel_view_local_and_remote(void **state)
{
	(void)state;
	struct calls_channels *c = calls_channels_new("cp1", 1000);
	struct calls_leg l = fixture_leg();
	assert_int_equal(calls_channels_local(c, CALLS_CHANNEL_CREATE, &l, 0), 0);
	json_t *remote = json_pack("{s:s, s:s, s:s, s:s}", "Event-Name", "CHANNEL_ANSWER",
				   "Call-ID", "r1", "Account-ID", ACCT, "Node", "cp2");
	assert_int_equal(calls_channels_remote(c, remote, 0), 0);
	assert_int_equal(calls_channels_count(c), 2);
	assert_int_equal(calls_channels_local_count(c), 1);	/* cp2's is not ours to drain */
	json_t *list = calls_channels_list(c, ACCT);
	assert_int_equal(json_array_size(list), 2);
	assert_null(json_object_get(json_array_get(list, 0), "pvt_local"));
	json_decref(list);
	const json_t *ch = calls_channels_find(c, ACCT, "abc.123@host");
	assert_string_equal(json_string_value(json_object_get(ch, "destination")),
			    "1002@example.com");
	assert_false(json_is_true(json_object_get(ch, "answered")));
	/* The remote one expires; the local one stays until its DESTROY. */
	assert_int_equal(calls_channels_expire(c, 5000), 1);
	assert_int_equal(calls_channels_count(c), 1);
	assert_int_equal(calls_channels_local_count(c), 1);
	assert_int_equal(calls_channels_local(c, CALLS_CHANNEL_DESTROY, &l, 6000), 0);
	assert_int_equal(calls_channels_count(c), 0);
	assert_int_equal(calls_channels_local_count(c), 0);
	json_t *bad = json_pack("{s:s}", "Node", "cp2");
	assert_int_equal(calls_channels_remote(c, bad, 0), -EINVAL);
	json_decref(bad);
	json_decref(remote);
	calls_channels_free(c);
}

static void announcements_share_long_calls(void **state)
{
	(void)state;
	struct calls_channels *a = calls_channels_new("cp1", 1000);
	struct calls_channels *b = calls_channels_new("cp2", 1000);
	struct calls_leg l = fixture_leg();
	assert_int_equal(calls_channels_local(a, CALLS_CHANNEL_ANSWER, &l, 0), 0);
	json_t *msg = calls_channels_announcement(a);
	assert_non_null(msg);
	/* Its own announcement changes nothing on the sender. */
	assert_int_equal(calls_channels_announced(a, msg, 0), 0);
	assert_int_equal(calls_channels_announced(b, msg, 100), 1);
	const json_t *ch = calls_channels_find(b, ACCT, "abc.123@host");
	assert_non_null(ch);
	assert_string_equal(json_string_value(json_object_get(ch, "node")), "cp1");
	assert_true(json_is_true(json_object_get(ch, "answered")));
	/* Refreshed by the next announcement, it outlives the TTL counted from the first. */
	assert_int_equal(calls_channels_announced(b, msg, 900), 1);
	assert_int_equal(calls_channels_expire(b, 1500), 0);
	assert_int_equal(calls_channels_expire(b, 2000), 1);
	json_decref(msg);
	/* Malformed announcements are refused; bad items skipped. */
	json_t *bad = json_pack("{s:s, s:[{s:s}, i]}", "Node", "cp3", "Channels", "uuid", "x", 5);
	assert_int_equal(calls_channels_announced(b, bad, 0), 0);
	json_decref(bad);
	bad = json_pack("{s:s}", "Node", "cp3");
	assert_int_equal(calls_channels_announced(b, bad, 0), -EINVAL);
	json_decref(bad);
	calls_channels_free(a);
	calls_channels_free(b);
}

static void config_ttl_must_cover_two_announcements(void **state)
{
	(void)state;
	struct calls_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	const char *good[] = { "calls.channel_announce_s=10", "sip.listen=1.2.3.4:5" };
	assert_int_equal(calls_config_build(&cfg, good, 2, &err), 0);
	assert_int_equal(cfg.channel_announce_s, 10);
	assert_int_equal(cfg.webhook_disable_failures, 6);
	const char *bad[] = { "calls.channel_announce_s=60" };
	assert_int_equal(calls_config_build(&cfg, bad, 1, &err), -EINVAL);
	const char *range[] = { "calls.webhook_disable_failures=17" };
	assert_true(calls_config_build(&cfg, range, 1, &err) < 0);
}

/* Several rows in one INSERT: the one-row statement's values, renumbered row after row. */
static void insert_sql_for_many_rows(void **state)
{
	(void)state;
	char *one = calls_cdr_insert_sql(1);
	assert_non_null(one);
	assert_string_equal(one, CALLS_CDR_INSERT_SQL);
	free(one);
	assert_null(calls_cdr_insert_sql(0));

	char *three = calls_cdr_insert_sql(3);
	assert_non_null(three);
	assert_non_null(strstr(three, "VALUES ($1, $2, $3, to_timestamp($4::double precision)"));
	assert_non_null(strstr(three, "), ($15, $16, $17, to_timestamp($18::double precision)"));
	assert_non_null(strstr(three, "), ($29, $30, $31, to_timestamp($32::double precision)"));
	assert_non_null(strstr(three, "$42::jsonb) ON CONFLICT DO NOTHING"));
	assert_null(strstr(three, "$43"));
	const char *end = three + strlen(three) - strlen(" ON CONFLICT DO NOTHING");
	assert_string_equal(end, " ON CONFLICT DO NOTHING");
	free(three);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(row_from_leg),
		cmocka_unit_test(incomplete_leg_refused),
		cmocka_unit_test(channel_view_local_and_remote),
		cmocka_unit_test(announcements_share_long_calls),
		cmocka_unit_test(config_ttl_must_cover_two_announcements),
		cmocka_unit_test(insert_sql_for_many_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
