/* Run-time settings over a small table: set a reloadable one (its hook runs and sees the new
 * value), refuse the others by name, reject bad values, roll back when a hook refuses, diff
 * against start-up and revert (hooks run again). Also the control-channel handlers. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "ops_settings.h"

struct cfg {
	int64_t workers;
	int64_t rate;
	char name[32];
	int level;
};

#define S struct cfg
static const struct bgl_setting items[] = {
	BGL_SETTING_INT_DEF("core.workers", S, workers, 1, 1, 16, false, "worker count"),
	BGL_SETTING_INT_DEF("filter.rate", S, rate, 5, 0, 100, true, "requests per second"),
	BGL_SETTING_STRING_DEF("filter.name", S, name, "x", true, "a name"),
	BGL_SETTING_ENUM_DEF("log.level", S, level, "info", "error|info|debug", true, "log level"),
};
#undef S
static const struct bgl_settings_table table = { items, sizeof(items) / sizeof(items[0]) };

struct hooks_seen {
	int filter_calls, log_calls;
	int64_t last_rate;
	int last_level;
	bool refuse;		/* the filter hook says no */
};

static int filter_hook(void *ctx, const void *live, char *err, size_t cap)
{
	struct hooks_seen *h = ctx;
	h->filter_calls++;
	h->last_rate = ((const struct cfg *)live)->rate;
	if (h->refuse) {
		snprintf(err, cap, "the filter refused it");
		return -EINVAL;
	}
	return 0;
}

static int log_hook(void *ctx, const void *live, char *err, size_t cap)
{
	(void)err;
	(void)cap;
	struct hooks_seen *h = ctx;
	h->log_calls++;
	h->last_level = ((const struct cfg *)live)->level;
	return 0;
}

static const struct ops_setting_hook hooks[] = {
	{ "filter.", filter_hook },
	{ "log.level", log_hook },
};

struct fixture {
	struct cfg startup, live;
	struct hooks_seen seen;
	struct ops_settings s;
};

static int setup(void **state)
{
	static struct fixture f;
	struct bgl_settings_error e;
	memset(&f, 0, sizeof(f));
	assert_int_equal(bgl_settings_defaults(&table, &f.startup, &e), 0);
	f.startup.workers = 4;	/* as if the INI file said so */
	f.live = f.startup;
	f.s = (struct ops_settings){ .table = &table, .startup = &f.startup, .live = &f.live,
				     .hooks = hooks, .n_hooks = 2, .hook_ctx = &f.seen };
	*state = &f;
	return 0;
}

static void test_set_reloadable(void **state)
{
	struct fixture *f = *state;
	char err[256] = "";
	assert_int_equal(ops_settings_set(&f->s, "filter.rate", "42", err, sizeof(err)), 0);
	assert_int_equal(f->live.rate, 42);
	assert_int_equal(f->startup.rate, 5);
	assert_int_equal(f->seen.filter_calls, 1);
	assert_int_equal(f->seen.last_rate, 42);
	assert_int_equal(f->seen.log_calls, 0);
	assert_int_equal(ops_settings_set(&f->s, "log.level", "debug", err, sizeof(err)), 0);
	assert_int_equal(f->seen.log_calls, 1);
	assert_int_equal(f->seen.last_level, 2);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	char err[256];
	assert_int_equal(ops_settings_set(&f->s, "core.workers", "2", err, sizeof(err)), -EPERM);
	assert_non_null(strstr(err, "core.workers"));
	assert_non_null(strstr(err, "not reloadable"));
	assert_int_equal(f->live.workers, 4);
	assert_int_equal(ops_settings_set(&f->s, "no.such", "1", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no.such"));
	assert_true(ops_settings_set(&f->s, "filter.rate", "101", err, sizeof(err)) < 0);
	assert_non_null(strstr(err, "filter.rate"));
	assert_true(ops_settings_set(&f->s, "filter.rate", "abc", err, sizeof(err)) < 0);
	assert_true(ops_settings_set(&f->s, "log.level", "loud", err, sizeof(err)) < 0);
	assert_int_equal(f->live.rate, 5);
	assert_int_equal(f->seen.filter_calls, 0);	/* a refused value never reaches a hook */
}

static void test_hook_refusal_rolls_back(void **state)
{
	struct fixture *f = *state;
	char err[256];
	f->seen.refuse = true;
	assert_int_equal(ops_settings_set(&f->s, "filter.rate", "7", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "the filter refused it"));
	assert_int_equal(f->live.rate, 5);
}

static void test_diff_and_revert(void **state)
{
	struct fixture *f = *state;
	char err[256];
	static bugle_dp_SettingsReply r;
	assert_int_equal(ops_settings_fill(&f->s, "", true, &r), 0);
	assert_int_equal(ops_settings_set(&f->s, "filter.rate", "9", err, sizeof(err)), 0);
	assert_int_equal(ops_settings_set(&f->s, "filter.name", "y z", err, sizeof(err)), 0);
	assert_int_equal(ops_settings_fill(&f->s, "", true, &r), 2);
	assert_string_equal(r.settings[0].name, "filter.rate");
	assert_string_equal(r.settings[0].value, "9");
	assert_string_equal(r.settings[0].startup_value, "5");
	assert_string_equal(r.settings[0].default_value, "5");
	assert_true(r.settings[0].reloadable);
	assert_string_equal(r.settings[0].type, "int");
	assert_string_equal(r.settings[1].value, "y z");
	/* Setting a value back by hand makes it drop out of the diff. */
	assert_int_equal(ops_settings_set(&f->s, "filter.name", "x", err, sizeof(err)), 0);
	assert_int_equal(ops_settings_fill(&f->s, "", true, &r), 1);

	int calls = f->seen.filter_calls;
	size_t n;
	assert_int_equal(ops_settings_revert(&f->s, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(f->live.rate, 5);
	assert_int_equal(f->seen.filter_calls, calls + 1);
	assert_int_equal(f->seen.last_rate, 5);
	assert_int_equal(ops_settings_fill(&f->s, "", true, &r), 0);

	/* The full list shows the start-up value of a non-reloadable setting, not its default. */
	assert_int_equal(ops_settings_fill(&f->s, "core.workers", false, &r), 1);
	assert_string_equal(r.settings[0].value, "4");
	assert_string_equal(r.settings[0].default_value, "1");
	assert_false(r.settings[0].reloadable);
	assert_int_equal(ops_settings_fill(&f->s, "", false, &r), 4);
}

static size_t encode(const pb_msgdesc_t *d, const void *m, uint8_t *buf, size_t cap)
{
	pb_ostream_t os = pb_ostream_from_buffer(buf, cap);
	assert_true(pb_encode(&os, d, m));
	return os.bytes_written;
}

static void test_handlers(void **state)
{
	struct fixture *f = *state;
	static uint8_t req[2048], resp[65536];
	static bugle_dp_SettingsReply r;
	char err[256];
	size_t len;

	bugle_dp_SetSettingRequest set = bugle_dp_SetSettingRequest_init_zero;
	snprintf(set.name, sizeof(set.name), "filter.rate");
	snprintf(set.value, sizeof(set.value), "77");
	size_t n = encode(bugle_dp_SetSettingRequest_fields, &set, req, sizeof(req));
	assert_int_equal(ops_ctl_set_setting(&f->s, req, n, resp, sizeof(resp), &len, err,
					     sizeof(err)), bugle_dp_Status_STATUS_OK);
	pb_istream_t is = pb_istream_from_buffer(resp, len);
	assert_true(pb_decode(&is, bugle_dp_SettingsReply_fields, &r));
	assert_int_equal(r.settings_count, 1);
	assert_string_equal(r.settings[0].value, "77");

	snprintf(set.name, sizeof(set.name), "core.workers");
	n = encode(bugle_dp_SetSettingRequest_fields, &set, req, sizeof(req));
	assert_int_equal(ops_ctl_set_setting(&f->s, req, n, resp, sizeof(resp), &len, err,
					     sizeof(err)), bugle_dp_Status_STATUS_FAILED_PRECONDITION);
	assert_non_null(strstr(err, "core.workers"));
	snprintf(set.name, sizeof(set.name), "nope");
	n = encode(bugle_dp_SetSettingRequest_fields, &set, req, sizeof(req));
	assert_int_equal(ops_ctl_set_setting(&f->s, req, n, resp, sizeof(resp), &len, err,
					     sizeof(err)), bugle_dp_Status_STATUS_NOT_FOUND);

	bugle_dp_SettingsRequest get = bugle_dp_SettingsRequest_init_zero;
	get.changed_only = true;
	n = encode(bugle_dp_SettingsRequest_fields, &get, req, sizeof(req));
	assert_int_equal(ops_ctl_get_settings(&f->s, req, n, resp, sizeof(resp), &len, err,
					      sizeof(err)), bugle_dp_Status_STATUS_OK);
	is = pb_istream_from_buffer(resp, len);
	assert_true(pb_decode(&is, bugle_dp_SettingsReply_fields, &r));
	assert_int_equal(r.settings_count, 1);

	snprintf(get.name, sizeof(get.name), "nope");
	n = encode(bugle_dp_SettingsRequest_fields, &get, req, sizeof(req));
	assert_int_equal(ops_ctl_get_settings(&f->s, req, n, resp, sizeof(resp), &len, err,
					      sizeof(err)), bugle_dp_Status_STATUS_NOT_FOUND);

	/* Revert answers with what it reverted, as it stood before. */
	assert_int_equal(ops_ctl_revert_settings(&f->s, req, 0, resp, sizeof(resp), &len, err,
						 sizeof(err)), bugle_dp_Status_STATUS_OK);
	is = pb_istream_from_buffer(resp, len);
	assert_true(pb_decode(&is, bugle_dp_SettingsReply_fields, &r));
	assert_int_equal(r.settings_count, 1);
	assert_string_equal(r.settings[0].value, "77");
	assert_int_equal(f->live.rate, 5);

	/* Garbage is a clean INVALID_ARGUMENT. */
	static const uint8_t junk[] = { 0xff, 0xff, 0xff, 0xff, 0x0f };
	assert_int_equal(ops_ctl_get_settings(&f->s, junk, sizeof(junk), resp, sizeof(resp), &len,
					      err, sizeof(err)),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_set_reloadable, setup),
		cmocka_unit_test_setup(test_refusals, setup),
		cmocka_unit_test_setup(test_hook_refusal_rolls_back, setup),
		cmocka_unit_test_setup(test_diff_and_revert, setup),
		cmocka_unit_test_setup(test_handlers, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
