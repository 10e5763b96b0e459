/* The typed settings table and its INI reader: defaults, values, and errors that name the file,
 * the line and the setting. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bugle/settings.h"

struct demo_config {
	int64_t workers;
	int32_t port;
	bool syslog;
	char device[32];
	int format;
};

static const struct bgl_setting demo_items[] = {
	BGL_SETTING_INT_DEF("dataplane.workers", struct demo_config, workers, 1, 1, 16, false,
			    "worker lcores"),
	BGL_SETTING_INT_DEF("control.port", struct demo_config, port, 7010, 1, 65535, false, "port"),
	BGL_SETTING_BOOL_DEF("log.syslog", struct demo_config, syslog, "false", true, "syslog"),
	BGL_SETTING_STRING_DEF("public.device", struct demo_config, device, "net_null0", false,
			       "DPDK device"),
	BGL_SETTING_ENUM_DEF("log.format", struct demo_config, format, "text", "text|json", true,
			     "log line format"),
};
static const struct bgl_settings_table demo = { demo_items, sizeof(demo_items) / sizeof(demo_items[0]) };

static void load_expect(const char *text, int want_rc, const char *want_msg)
{
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	int rc = bgl_settings_load_text(&demo, &cfg, text, strlen(text), "demo.ini", &err);
	assert_int_equal(rc, want_rc);
	if (want_msg) {
		if (!strstr(err.msg, want_msg))
			fail_msg("error '%s' lacks '%s'", err.msg, want_msg);
	}
}

static void defaults_are_applied(void **state)
{
	(void)state;
	struct demo_config cfg;
	memset(&cfg, 0xa5, sizeof(cfg));
	struct bgl_settings_error err;
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(cfg.workers, 1);
	assert_int_equal(cfg.port, 7010);
	assert_false(cfg.syslog);
	assert_string_equal(cfg.device, "net_null0");
	assert_int_equal(cfg.format, 0);
}

static void good_file_is_loaded(void **state)
{
	(void)state;
	const char *text = "# comment\n; another\n\n[dataplane]\nworkers = 3\n"
			   "[control]\n  port=7011  \n[log]\nsyslog = yes\nformat = JSON\n"
			   "[public]\ndevice = \"net_af_packet0,iface=x\"\n";
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(bgl_settings_load_text(&demo, &cfg, text, strlen(text), "t.ini", &err), 0);
	assert_int_equal(cfg.workers, 3);
	assert_int_equal(cfg.port, 7011);
	assert_true(cfg.syslog);
	assert_int_equal(cfg.format, 1);
	assert_string_equal(cfg.device, "net_af_packet0,iface=x");
	char buf[64];
	assert_int_equal(bgl_settings_get(&demo, &cfg, "log.format", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "json");
	assert_int_equal(bgl_settings_get(&demo, &cfg, "control.port", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "7011");
}

static void errors_name_file_line_and_setting(void **state)
{
	(void)state;
	load_expect("[dataplane]\nworkers = 17\n", -ERANGE,
		    "demo.ini:2: setting 'dataplane.workers': 17 is out of range 1..16");
	load_expect("[dataplane]\n\nworkers = lots\n", -EINVAL,
		    "demo.ini:3: setting 'dataplane.workers': 'lots' is not an integer");
	load_expect("[dataplane]\nworkerz = 2\n", -ENOENT,
		    "demo.ini:2: setting 'dataplane.workerz': unknown setting");
	load_expect("[dataplan]\n", -ENOENT, "demo.ini:1: unknown section [dataplan]");
	load_expect("workers = 2\n", -EINVAL, "demo.ini:1: 'workers' is outside any [section]");
	load_expect("[log]\nsyslog = maybe\n", -EINVAL, "demo.ini:2: setting 'log.syslog'");
	load_expect("[log]\nformat = xml\n", -EINVAL, "'xml' is not one of text|json");
	load_expect("[dataplane]\nworkers = 2\nworkers = 3\n", -EEXIST, "already set on line 2");
	load_expect("[dataplane]\njust words\n", -EINVAL, "demo.ini:2: expected 'key = value'");
	load_expect("[dataplane\n", -EINVAL, "demo.ini:1: malformed section header");
	load_expect("[public]\ndevice = 0123456789012345678901234567890123\n", -ENAMETOOLONG,
		    "at most 31");
	load_expect("[control]\nport = 99999999999999999999999\n", -EINVAL, "is not an integer");
}

static void nul_byte_is_refused(void **state)
{
	(void)state;
	const char text[] = "[dataplane]\nworkers = 1\0\n";
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(bgl_settings_load_text(&demo, &cfg, text, sizeof(text) - 1, "n.ini", &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "n.ini:2: NUL byte"));
}

static void missing_file_is_named(void **state)
{
	(void)state;
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(bgl_settings_load_file(&demo, &cfg, "/nonexistent/bugle.ini", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/bugle.ini: cannot open"));
}

static void file_round_trip(void **state)
{
	(void)state;
	char path[] = "/tmp/bugle-settings-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "[control]\nport = 8123\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(bgl_settings_load_file(&demo, &cfg, path, &err), 0);
	unlink(path);
	assert_int_equal(cfg.port, 8123);
}

static void runtime_set_honours_reloadable(void **state)
{
	(void)state;
	struct demo_config cfg;
	struct bgl_settings_error err = { "" };
	assert_int_equal(bgl_settings_defaults(&demo, &cfg, &err), 0);
	assert_int_equal(bgl_settings_set(&demo, &cfg, "log.format", "json", true, &err), 0);
	assert_int_equal(cfg.format, 1);
	assert_int_equal(bgl_settings_set(&demo, &cfg, "dataplane.workers", "2", true, &err), -EPERM);
	assert_int_equal(cfg.workers, 1);
	assert_int_equal(bgl_settings_set(&demo, &cfg, "dataplane.workers", "2", false, &err), 0);
	assert_int_equal(cfg.workers, 2);
	assert_int_equal(bgl_settings_set(&demo, &cfg, "no.such", "2", false, &err), -ENOENT);
}

static void help_lists_every_setting(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	bgl_settings_print_help(&demo, f);
	fclose(f);
	for (size_t i = 0; i < demo.count; i++)
		assert_non_null(strstr(buf, demo.items[i].name));
	assert_non_null(strstr(buf, "default: 7010"));
	assert_non_null(strstr(buf, "range: 1..16"));
	assert_non_null(strstr(buf, "one of: text|json"));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_applied),
		cmocka_unit_test(good_file_is_loaded),
		cmocka_unit_test(errors_name_file_line_and_setting),
		cmocka_unit_test(nul_byte_is_refused),
		cmocka_unit_test(missing_file_is_named),
		cmocka_unit_test(file_round_trip),
		cmocka_unit_test(runtime_set_honours_reloadable),
		cmocka_unit_test(help_lists_every_setting),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
