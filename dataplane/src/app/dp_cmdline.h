/* Command line of bugle-dataplane: -c FILE [--set section.key=value ...] [--help].
 * Return convention: 0 to run, 1 when --help was printed (exit 0), a negative errno when the
 * command line, the file or a value is bad (the message is already on errout; exit 2).
 */
#ifndef BUGLE_DP_CMDLINE_H
#define BUGLE_DP_CMDLINE_H

#include <stdio.h>

#include "dp_config-t.h"

int dp_cmdline_load(int argc, char **argv, struct dp_config *cfg, FILE *out, FILE *errout);

#endif
