/* bugle-controlplane: configuration, then the daemon (see cp/daemon.h). Exit codes: 0 after an
 * orderly stop, 1 when start-up fails, 2 for a bad command line or configuration. */
#include "bugle/log.h"
#include "cp/cli.h"
#include "cp/config.h"
#include "cp/daemon.h"
#include "cp/modules.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct cp_cli cli;
	if (cp_cli_parse(argc, argv, &cli, stderr) < 0) {
		cp_cli_usage(argv[0], stderr);
		return 2;
	}
	if (cli.help) {
		cp_cli_usage(argv[0], stdout);
		return 0;
	}

	static struct cp_ctx ctx; /* large; lives for the whole process */
	struct bgl_settings_error err = { .msg = "" };
	if (cp_config_build(&ctx.cfg, cli.config_path, cli.sets, cli.n_sets, &err) < 0) {
		fprintf(stderr, "bugle-controlplane: %s\n", err.msg);
		return 2;
	}
	if (cli.check_config) {
		printf("%s: configuration is valid\n", cli.config_path ? cli.config_path : "(defaults)");
		return 0;
	}
	ctx.modules = cp_module_table();
	ctx.config_path = cli.config_path;
	ctx.overrides = cli.sets;
	ctx.n_overrides = cli.n_sets;

	bgl_log_setup("bugle-controlplane", (enum bgl_log_format)ctx.cfg.log_format,
		      (enum bgl_log_level)ctx.cfg.log_level, ctx.cfg.log_syslog);
	/* Writes to a closed socket must be an error return, not a process kill. */
	signal(SIGPIPE, SIG_IGN);

	uv_loop_t loop;
	int rc = uv_loop_init(&loop);
	if (rc < 0) {
		BGL_ERR("event loop: %s", uv_strerror(rc));
		return 1;
	}
	ctx.loop = &loop;
	cp_daemon_init(&ctx);
	return cp_daemon_run(&ctx);
}
