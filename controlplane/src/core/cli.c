/* Parsing bugle-controlplane's arguments (getopt_long). */
#include "cp/cli.h"

#include "cp/config.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

void cp_cli_usage(const char *prog, FILE *out)
{
	fprintf(out,
		"usage: %s [-c FILE] [--set section.key=value ...] [--log-format text|json]\n"
		"          [--check-config] [--help]\n"
		"  -c, --config FILE   INI configuration file\n"
		"  -s, --set K=V       override one setting (after the file)\n"
		"      --log-format F  text or json (the same as --set log.format=F)\n"
		"      --check-config  validate the configuration and exit (0 good, 2 bad)\n"
		"  -h, --help          this text and every setting\n"
		"Signals: SIGTERM/SIGINT stop in order; SIGHUP re-reads FILE (reloadable settings).\n\n",
		prog);
	bgl_settings_print_help(cp_config_table(), out);
}

int cp_cli_parse(int argc, char **argv, struct cp_cli *out, FILE *err)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "check-config", no_argument, NULL, 'k' },
		{ "log-format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	memset(out, 0, sizeof(*out));
	optind = 1;
	opterr = 0;
	for (int c; (c = getopt_long(argc, argv, ":c:s:h", opts, NULL)) != -1;) {
		switch (c) {
		case 'c':
			out->config_path = optarg;
			break;
		case 's':
			if (out->n_sets == CP_CLI_MAX_SETS) {
				fprintf(err, "too many --set options (at most %d)\n", CP_CLI_MAX_SETS);
				return -E2BIG;
			}
			out->sets[out->n_sets++] = optarg;
			break;
		case 'k':
			out->check_config = true;
			break;
		case 'f': {
			/* One text for the process: it must outlive parsing, as argv does. */
			static char log_format_set[64];
			if (out->n_sets == CP_CLI_MAX_SETS) {
				fprintf(err, "too many --set options (at most %d)\n", CP_CLI_MAX_SETS);
				return -E2BIG;
			}
			snprintf(log_format_set, sizeof(log_format_set), "log.format=%s", optarg);
			out->sets[out->n_sets++] = log_format_set;
			break;
		}
		case 'h':
			out->help = true;
			break;
		case ':':
			fprintf(err, "option %s needs a value\n", argv[optind - 1]);
			return -EINVAL;
		default:
			fprintf(err, "unknown option %s\n", argv[optind - 1]);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(err, "unexpected argument '%s'\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}
