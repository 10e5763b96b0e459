/* buglectl [--json] [--control ADDR] [--timeout MS] GROUP COMMAND [ARGS]
 * Finds the command in the groups' tables and runs it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buglectl.h"

static const struct {
	const char *name;
	const char *help;
	const struct ctl_command *commands;
} groups[] = {
	{ "dataplane", "a data plane, over its control channel", ctl_dataplane_commands },
	{ "account", "accounts, straight in PostgreSQL (bootstrap)", ctl_account_commands },
	{ "session", "media sessions on a data plane (offer/answer/update/delete/query)", ctl_session_commands },
	{ "bans", "the flood filter's bans on a data plane", ctl_bans_commands },
	{ "filter", "the flood filter policy of a data plane", ctl_filter_commands },
	{ "dispatcher", "the control planes a data plane's edge proxy uses", ctl_dispatcher_commands },
	{ "dataplane", "a data plane's /metrics and drain", ctl_ops_dataplane_commands },
	{ "settings", "run-time settings of a data plane", ctl_settings_commands },
};
#define N_GROUPS (sizeof(groups) / sizeof(groups[0]))

static void usage(FILE *out)
{
	fprintf(out,
		"usage: buglectl [--json] [--control ADDR] [--timeout MS] GROUP COMMAND [ARGS]\n\n"
		"  --json          machine-readable output (one JSON document)\n"
		"  --control ADDR  data plane control channel, host:port or unix:/path\n"
		"                  (default: $BUGLE_CONTROL or 127.0.0.1:7010)\n"
		"  --timeout MS    how long to wait for an answer (default 5000)\n\n"
		"Exit codes: 0 ok, 1 the node answered with an error, 2 usage, 3 node unreachable.\n\n"
		"Commands:\n");
	for (size_t g = 0; g < N_GROUPS; g++)
		for (const struct ctl_command *c = groups[g].commands; c->name; c++) {
			char synopsis[96];
			snprintf(synopsis, sizeof(synopsis), "%s %s %s", c->group, c->name, c->args);
			fprintf(out, "  %-34s %s\n", synopsis, c->help);
		}
}

int main(int argc, char **argv)
{
	struct ctl_options opt = { .json = false, .timeout_ms = 5000 };
	opt.control = getenv("BUGLE_CONTROL") ? getenv("BUGLE_CONTROL") : "127.0.0.1:7010";

	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "control", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "+jc:t:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': opt.json = true; break;
		case 'c': opt.control = optarg; break;
		case 't': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (*end || v <= 0 || v > 600000)
				return ctl_error(&opt, CTL_USAGE, "--timeout takes 1..600000 ms");
			opt.timeout_ms = (int)v;
			break;
		}
		case 'h': usage(stdout); return CTL_OK;
		default: usage(stderr); return CTL_USAGE;
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return CTL_USAGE;
	}
	const char *group = argv[optind], *name = argv[optind + 1];
	bool group_known = false;	/* a group may span several tables (dataplane) */
	for (size_t g = 0; g < N_GROUPS; g++) {
		if (strcmp(groups[g].name, group) != 0)
			continue;
		group_known = true;
		for (const struct ctl_command *c = groups[g].commands; c->name; c++) {
			if (strcmp(c->name, name) != 0)
				continue;
			int sub_argc = argc - optind - 2;
			char **sub_argv = argv + optind + 2;
			if (sub_argc > 0 && (strcmp(sub_argv[0], "--help") == 0 || strcmp(sub_argv[0], "-h") == 0)) {
				printf("usage: buglectl [--json] %s %s %s\n  %s\n", c->group, c->name, c->args, c->help);
				return CTL_OK;
			}
			return c->run(&opt, sub_argc, sub_argv);
		}
	}
	if (group_known)
		return ctl_error(&opt, CTL_USAGE, "unknown command '%s %s' (see buglectl --help)", group, name);
	return ctl_error(&opt, CTL_USAGE, "unknown group '%s' (see buglectl --help)", group);
}
