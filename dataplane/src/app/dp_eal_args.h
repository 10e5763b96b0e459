/* Building the EAL command line from the settings.
 * Return convention: 0 or a negative errno (-E2BIG when the arguments do not fit); the
 * predicates return bool.
 */
#ifndef BUGLE_DP_EAL_ARGS_H
#define BUGLE_DP_EAL_ARGS_H

#include <stdbool.h>
#include <stddef.h>

#include "dp_config-t.h"

#define DP_EAL_MAX_ARGS 64

struct dp_eal_argv {
	int argc;
	char *argv[DP_EAL_MAX_ARGS + 1];	/* NULL-terminated; points into buf */
	char buf[4096];
	size_t used;
};

/* cpus/n_cpus: the CPUs this process may run on; lcore i is pinned to cpus[i % n_cpus] so
 * more lcores than CPUs still start (they then share). */
int dp_eal_args_build(const struct dp_config *cfg, bool use_hugepages, const int *cpus,
		      size_t n_cpus, struct dp_eal_argv *out);

/* A PCI address ("0000:03:00.0" or "03:00.0") rather than a vdev spec. */
bool dp_device_is_pci(const char *spec);

/* The EAL name of the device: the vdev spec up to its first ',' or the PCI address. */
void dp_device_name(const char *spec, char *name, size_t len);

/* Whether hugepages should be used: on/off as configured; auto reads meminfo_path (normally
 * /proc/meminfo) and says yes when the free, unreserved hugepages hold memory_mb: EAL cannot
 * fall back once it has started, so a short pool means --no-huge rather than a failed start. */
bool dp_hugepages_wanted(int setting, const char *meminfo_path, int64_t memory_mb);

#endif
