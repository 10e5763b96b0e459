/* Command line of bugle-controlplane: -c FILE, --set k=v (repeatable), --check-config, --help.
 * Return convention: 0 or a negative errno (the message is written to the given stream).
 */
#ifndef CP_CLI_H
#define CP_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CP_CLI_MAX_SETS 64

struct cp_cli {
	const char *config_path;		/* NULL: defaults only */
	const char *sets[CP_CLI_MAX_SETS];	/* point into argv */
	size_t n_sets;
	bool check_config;
	bool help;
};

int cp_cli_parse(int argc, char **argv, struct cp_cli *out, FILE *err);
void cp_cli_usage(const char *prog, FILE *out);

#endif
