/* The control plane's settings table, configuration building, CLI and SIGHUP reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bugle/log.h"
#include "cp/cli.h"
#include "cp/config.h"
#include "cp/daemon.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_defaults(void **state)
{
	(void)state;
	struct cp_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&cfg, NULL, NULL, 0, &err), 0);
	assert_string_equal(cfg.api_listen, "127.0.0.1:8000");
	assert_string_equal(cfg.rmq_url, "amqp://guest:guest@127.0.0.1:5672/");
	assert_string_equal(cfg.sip.listen, "198.51.100.2:5060");
	assert_string_equal(cfg.rmq_exchange_prefix, "bugle.");
	assert_int_equal(cfg.log_level, BGL_LOG_INFO);
	assert_int_equal(cfg.log_format, BGL_LOG_TEXT);
	assert_false(cfg.log_syslog);
	assert_true(cfg.pg_pool_size >= 1);
	assert_true(cfg.pg_migrations_dir[0] != '\0');
}

/* Every table entry is reachable by name, round-trips its default through get/set, and only
 * log.level and api.max_body_bytes may change at run time. */
static void test_table_consistent(void **state)
{
	(void)state;
	const struct bgl_settings_table *t = cp_config_table();
	struct cp_config a, b;
	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&a, NULL, NULL, 0, &err), 0);
	memset(&b, 0x5a, sizeof(b));
	for (size_t i = 0; i < t->count; i++) {
		const struct bgl_setting *s = &t->items[i];
		assert_ptr_equal(bgl_settings_find(t, s->name), s);
		char v[600];
		assert_int_equal(bgl_settings_get(t, &a, s->name, v, sizeof(v)), 0);
		assert_int_equal(bgl_settings_set(t, &b, s->name, v, false, &err), 0);
		char w[600];
		assert_int_equal(bgl_settings_get(t, &b, s->name, w, sizeof(w)), 0);
		assert_string_equal(v, w);
		bool should_reload = strcmp(s->name, "log.level") == 0 ||
				     strcmp(s->name, "api.max_body_bytes") == 0;
		assert_int_equal(s->reloadable, should_reload);
	}
}

static void test_file_and_overrides(void **state)
{
	(void)state;
	char path[] = "/tmp/cp-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "[node]\nname = edge-7\n[postgres]\npool_size = 9\n"
			 "[dataplane]\ncontrol = 127.0.0.1:7010,unix:/run/bugle/dp2.sock\n"
			 "[log]\nlevel = debug\nformat = json\n");
	const char *sets[] = { "postgres.pool_size=3", "rabbitmq.exchange_prefix=" };
	struct cp_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&cfg, path, sets, 2, &err), 0);
	assert_string_equal(cfg.node_name, "edge-7");
	assert_int_equal(cfg.pg_pool_size, 3); /* --set wins over the file */
	assert_string_equal(cfg.rmq_exchange_prefix, "");
	assert_string_equal(cfg.dp_control, "127.0.0.1:7010,unix:/run/bugle/dp2.sock");
	assert_int_equal(cfg.log_level, BGL_LOG_DEBUG);
	assert_int_equal(cfg.log_format, BGL_LOG_JSON);
	unlink(path);
}

/* A bad value names the file, the line and the setting. */
static void check_bad(const char *text, const char *line_tag, const char *setting)
{
	char path[] = "/tmp/cp-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, text);
	struct cp_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	assert_true(cp_config_build(&cfg, path, NULL, 0, &err) < 0);
	char want[128];
	snprintf(want, sizeof(want), "%s:%s", path, line_tag);
	assert_non_null(strstr(err.msg, want));
	if (setting)
		assert_non_null(strstr(err.msg, setting));
	unlink(path);
}

static void test_bad_values(void **state)
{
	(void)state;
	check_bad("[postgres]\n\npool_size = 0\n", "3:", "postgres.pool_size");
	check_bad("[postgres]\npool_size = lots\n", "2:", "postgres.pool_size");
	check_bad("[log]\nlevel = loud\n", "2:", "log.level");
	check_bad("[log]\nsyslog = maybe\n", "2:", "log.syslog");
	check_bad("[rabbitmq]\nheartbeat_s = 601\n", "2:", "rabbitmq.heartbeat_s");
	check_bad("[rabbitmq]\nhartbeat_s = 5\n", "2:", "hartbeat_s");
	check_bad("[api]\nlisten = 127.0.0.1:8000\n[nosuch]\nkey = 1\n", "3:", "nosuch");
}

static void test_bad_override(void **state)
{
	(void)state;
	struct cp_config cfg;
	struct bgl_settings_error err = { .msg = "" };
	const char *noeq[] = { "log.level" };
	assert_int_equal(cp_config_build(&cfg, NULL, noeq, 1, &err), -EINVAL);
	const char *unknown[] = { "log.colour=red" };
	assert_true(cp_config_build(&cfg, NULL, unknown, 1, &err) < 0);
	assert_non_null(strstr(err.msg, "log.colour"));
	struct bgl_settings_error err2 = { .msg = "" };
	assert_true(cp_config_build(&cfg, "/nonexistent/bugle.ini", NULL, 0, &err2) < 0);
	assert_non_null(strstr(err2.msg, "/nonexistent/bugle.ini"));
}

static void test_cli(void **state)
{
	(void)state;
	struct cp_cli cli;
	FILE *sink = fopen("/dev/null", "w");
	char *argv1[] = { "cp", "-c", "x.ini", "--set", "a.b=1", "-s", "c.d=2", "--check-config",
			  NULL };
	assert_int_equal(cp_cli_parse(8, argv1, &cli, sink), 0);
	assert_string_equal(cli.config_path, "x.ini");
	assert_int_equal(cli.n_sets, 2);
	assert_string_equal(cli.sets[1], "c.d=2");
	assert_true(cli.check_config);
	assert_false(cli.help);
	char *argv2[] = { "cp", "--bogus", NULL };
	assert_int_equal(cp_cli_parse(2, argv2, &cli, sink), -EINVAL);
	char *argv3[] = { "cp", "-c", NULL };
	assert_int_equal(cp_cli_parse(2, argv3, &cli, sink), -EINVAL);
	char *argv4[] = { "cp", "stray", NULL };
	assert_int_equal(cp_cli_parse(2, argv4, &cli, sink), -EINVAL);
	fclose(sink);
}

/* SIGHUP's work: reloadable settings change, the others are refused and kept, a bad file
 * changes nothing. */
static void test_reload(void **state)
{
	(void)state;
	char path[] = "/tmp/cp-config-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	write_file(path, "[log]\nlevel = info\n[postgres]\npool_size = 2\n");
	static struct cp_ctx ctx;
	memset(&ctx, 0, sizeof(ctx));
	struct bgl_settings_error err = { .msg = "" };
	assert_int_equal(cp_config_build(&ctx.cfg, path, NULL, 0, &err), 0);
	ctx.config_path = path;
	cp_daemon_init(&ctx);
	assert_true(ctx.cfg.node_name[0] != '\0'); /* host name filled in */

	write_file(path, "[log]\nlevel = debug\n[postgres]\npool_size = 7\n[api]\nmax_body_bytes = 2048\n");
	assert_int_equal(cp_daemon_reload(&ctx), 2);
	assert_int_equal(ctx.cfg.log_level, BGL_LOG_DEBUG);
	assert_int_equal(ctx.cfg.api_max_body_bytes, 2048);
	assert_int_equal(ctx.cfg.pg_pool_size, 2); /* needs a restart: kept */

	write_file(path, "[log]\nlevel = shouting\n");
	assert_true(cp_daemon_reload(&ctx) < 0);
	assert_int_equal(ctx.cfg.log_level, BGL_LOG_DEBUG);
	assert_int_equal(cp_daemon_reload(&ctx), -EINVAL);
	unlink(path);
}

int main(void)
{
	bgl_log_setup("test", BGL_LOG_TEXT, BGL_LOG_ERR, false);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_file_and_overrides),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_override),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_reload),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
