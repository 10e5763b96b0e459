/* bugle-dataplane: settings, EAL, ports and lcores, then the main loop until SIGTERM/SIGINT.
 * Exit codes: 0 after a clean shutdown, 1 when start-up fails, 2 for a bad command line,
 * file or setting. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "bugle/log.h"
#include "dp_app.h"
#include "dp_cmdline.h"
#include "dp_eal_args.h"
#include "dp_signal.h"

static size_t allowed_cpus(int *cpus, size_t cap)
{
	cpu_set_t set;
	size_t n = 0;
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		for (int c = 0; c < CPU_SETSIZE && n < cap; c++)
			if (CPU_ISSET(c, &set))
				cpus[n++] = c;
	if (n == 0)
		cpus[n++] = 0;
	return n;
}

static void log_eal_args(const struct dp_eal_argv *eal)
{
	char line[1024];
	size_t o = 0;
	for (int i = 0; i < eal->argc && o < sizeof(line); i++) {
		int n = snprintf(line + o, sizeof(line) - o, "%s%s", i ? " " : "", eal->argv[i]);
		if (n < 0)
			break;
		o += (size_t)n;
	}
	BGL_INFO("EAL: %s", line);
}

int main(int argc, char **argv)
{
	static struct dp_config cfg;	/* read-only once loaded; the app keeps a pointer */
	int rc = dp_cmdline_load(argc, argv, &cfg, stdout, stderr);
	if (rc == 1)
		return 0;
	if (rc < 0)
		return 2;
	bgl_log_setup("bugle-dataplane", (enum bgl_log_format)cfg.log_format,
		      (enum bgl_log_level)cfg.log_level, cfg.log_syslog);

	int cpus[256];
	size_t n_cpus = allowed_cpus(cpus, sizeof(cpus) / sizeof(cpus[0]));
	bool huge = dp_hugepages_wanted(cfg.hugepages, "/proc/meminfo", cfg.memory_mb);
	static struct dp_eal_argv eal;
	rc = dp_eal_args_build(&cfg, huge, cpus, n_cpus, &eal);
	if (rc < 0) {
		BGL_ERR("EAL arguments do not fit (dataplane.eal_args too long?)");
		return 2;
	}
	log_eal_args(&eal);
	if (dp_signal_install() < 0) {
		BGL_ERR("cannot install signal handlers");
		return 1;
	}
	if (rte_eal_init(eal.argc, eal.argv) < 0) {
		/* The EAL does not always set rte_errno; the usual cause is a second instance. */
		BGL_ERR("EAL start-up failed: %s (another data plane with dataplane.node '%s' "
			"running?)",
			rte_errno ? rte_strerror(rte_errno) : "see the EAL lines above", cfg.node);
		return 1;
	}

	static struct dp_app app;
	rc = dp_app_start(&app, &cfg);
	if (rc == 0)
		rc = dp_app_run(&app, dp_signal_stop_requested);
	dp_app_stop(&app);
	rte_eal_cleanup();
	BGL_INFO("stopped%s", rc ? " after a start-up failure" : "");
	return rc ? 1 : 0;
}
