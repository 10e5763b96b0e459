/* The EAL parses its own argv; we only decide what goes in it. */
#include "dp_eal_args.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "bugle/log.h"

static int add(struct dp_eal_argv *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int add(struct dp_eal_argv *a, const char *fmt, ...)
{
	if (a->argc >= DP_EAL_MAX_ARGS)
		return -E2BIG;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(a->buf + a->used, sizeof(a->buf) - a->used, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->buf) - a->used)
		return -E2BIG;
	a->argv[a->argc++] = a->buf + a->used;
	a->argv[a->argc] = NULL;
	a->used += (size_t)n + 1;
	return 0;
}

/* Matches pattern, where 'h' is a hex digit and 'f' a PCI function (0-7). */
static bool matches(const char *s, const char *pattern)
{
	for (; *pattern; s++, pattern++) {
		if (*pattern == 'h' ? !isxdigit((unsigned char)*s)
		    : *pattern == 'f' ? (*s < '0' || *s > '7')
				      : *s != *pattern)
			return false;
	}
	return *s == '\0';
}

bool dp_device_is_pci(const char *spec)
{
	return matches(spec, "hhhh:hh:hh.f") || matches(spec, "hh:hh.f");
}

void dp_device_name(const char *spec, char *name, size_t len)
{
	size_t n = strcspn(spec, ",");
	if (n >= len)
		n = len - 1;
	memcpy(name, spec, n);
	name[n] = '\0';
}

static int add_device(struct dp_eal_argv *a, const char *spec, unsigned queues)
{
	if (!spec[0])
		return 0;
	if (dp_device_is_pci(spec)) {
		int rc = add(a, "-a");
		return rc ? rc : add(a, "%s", spec);
	}
	int rc = add(a, "--vdev");
	if (rc)
		return rc;
	/* af_packet opens one socket pair per queue pair, fixed when the device is probed. */
	if (!strncmp(spec, "net_af_packet", 13) && !strstr(spec, "qpairs="))
		return add(a, "%s,qpairs=%u", spec, queues);
	return add(a, "%s", spec);
}

static int add_lcores(struct dp_eal_argv *a, unsigned n_lcores, const int *cpus, size_t n_cpus)
{
	char map[512];
	size_t o = 0;
	for (unsigned i = 0; i < n_lcores; i++) {
		int n = snprintf(map + o, sizeof(map) - o, "%s%u@%d", i ? "," : "", i,
				 n_cpus ? cpus[i % n_cpus] : 0);
		if (n < 0 || (size_t)n >= sizeof(map) - o)
			return -E2BIG;
		o += (size_t)n;
	}
	int rc = add(a, "--lcores");
	return rc ? rc : add(a, "%s", map);
}

static int add_extra(struct dp_eal_argv *a, const char *extra)
{
	const char *p = extra;
	while (*p) {
		while (isspace((unsigned char)*p))
			p++;
		size_t n = 0;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (n) {
			int rc = add(a, "%.*s", (int)n, p);
			if (rc)
				return rc;
		}
		p += n;
	}
	return 0;
}

int dp_eal_args_build(const struct dp_config *cfg, bool use_hugepages, const int *cpus,
		      size_t n_cpus, struct dp_eal_argv *out)
{
	memset(out, 0, sizeof(*out));
	unsigned lcores = (unsigned)cfg->workers + 1;
	int rc = add(out, "bugle-dataplane");
	if (!rc)
		rc = add_lcores(out, lcores, cpus, n_cpus);
	if (!rc)
		rc = add(out, "--file-prefix");
	if (!rc)
		rc = add(out, "bugle-%s", cfg->node);
	if (!rc)
		rc = add(out, "-m");
	if (!rc)
		rc = add(out, "%lld", (long long)cfg->memory_mb);
	if (!rc && !use_hugepages)
		rc = add(out, "--no-huge");
	if (!rc && !dp_device_is_pci(cfg->pub.device) &&
	    (!cfg->internal.device[0] || !dp_device_is_pci(cfg->internal.device)))
		rc = add(out, "--no-pci");
	if (!rc)
		rc = add_device(out, cfg->pub.device, lcores);
	if (!rc)
		rc = add_device(out, cfg->internal.device, lcores);
	/* EAL's own INFO lines would drown ours; debug brings them back. */
	if (!rc)
		rc = add(out, "--log-level");
	if (!rc)
		rc = add(out, "%s", cfg->log_level >= BGL_LOG_DEBUG ? "*:info" : "*:warning");
	if (!rc)
		rc = add_extra(out, cfg->eal_args);
	return rc;
}

bool dp_hugepages_wanted(int setting, const char *meminfo_path, int64_t memory_mb)
{
	if (setting == DP_HUGEPAGES_ON)
		return true;
	if (setting == DP_HUGEPAGES_OFF)
		return false;
	FILE *f = fopen(meminfo_path, "r");
	if (!f)
		return false;
	char line[256];
	long free_pages = 0, reserved = 0, page_kb = 2048;
	while (fgets(line, sizeof(line), f)) {
		sscanf(line, "HugePages_Free: %ld", &free_pages);
		sscanf(line, "HugePages_Rsvd: %ld", &reserved);
		sscanf(line, "Hugepagesize: %ld kB", &page_kb);
	}
	fclose(f);
	long usable = free_pages - reserved;
	return usable > 0 && (int64_t)usable * page_kb >= memory_mb * 1024;
}
