/* buglectl [OPTIONS] GROUP COMMAND [ARGS] | buglectl [OPTIONS] status|drain|undrain [ARGS]
 * Finds the command in the groups' tables and runs it. A group whose table holds one command
 * named "" is a command by itself (status, drain, undrain). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "buglectl.h"

static const struct {
	const char *name;
	const char *help;
	const struct ctl_command *commands;
} groups[] = {
	{ "status", "every node of the set-up", ctl_status_commands },
	{ "calls", "live calls through the API (needs --api-key)", ctl_calls_commands },
	{ "registrations", "live registrations through the API (needs --api-key)",
	  ctl_registrations_commands },
	{ "drain", "a node stops taking new calls", ctl_drain_commands },
	{ "undrain", "a node takes new calls again", ctl_undrain_commands },
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

static void print_command(FILE *out, const struct ctl_command *c)
{
	char synopsis[128];
	snprintf(synopsis, sizeof(synopsis), "%s%s%s %s", c->group, c->name[0] ? " " : "", c->name,
		 c->args);
	fprintf(out, "  %-44s %s\n", synopsis, c->help);
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: buglectl [OPTIONS] GROUP COMMAND [ARGS]   (GROUP --help lists its commands)\n\n"
		"  --json          machine-readable output (one JSON document)\n"
		"  --control ADDR  a data plane's control channel, host:port or unix:/path; may repeat\n"
		"                  (default: $BUGLE_CONTROL, comma-separated, or 127.0.0.1:7010)\n"
		"  --api URL       a control plane's REST API; may repeat (default: $BUGLE_API,\n"
		"                  comma-separated, or http://127.0.0.1:8000)\n"
		"  --api-key KEY   API key for calls and registrations (default: $BUGLE_API_KEY)\n"
		"  --timeout MS    how long to wait for each answer (default 5000)\n\n"
		"Exit codes: 0 ok, 1 the node answered with an error (status: something down),\n"
		"2 usage, 3 node unreachable.\n\n"
		"Commands:\n");
	for (size_t g = 0; g < N_GROUPS; g++)
		for (const struct ctl_command *c = groups[g].commands; c->name; c++)
			print_command(out, c);
}

static void group_usage(const char *group)
{
	printf("usage: buglectl [OPTIONS] %s COMMAND [ARGS]   (COMMAND --help for one)\n\n", group);
	for (size_t g = 0; g < N_GROUPS; g++)
		if (strcmp(groups[g].name, group) == 0)
			for (const struct ctl_command *c = groups[g].commands; c->name; c++)
				print_command(stdout, c);
}

static bool wants_help(int argc, char **argv)
{
	return argc > 0 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0);
}

bool ctl_parse_long(const char *text, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (end == text || *end || errno || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* Adds a node address; a comma-separated list (from the environment) adds each. */
static int add_nodes(struct ctl_options *opt, const char **list, size_t *n, char *text)
{
	for (char *save = NULL, *p = strtok_r(text, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		if (!*p)
			continue;
		if (*n >= CTL_MAX_NODES)
			return ctl_error(opt, CTL_USAGE, "at most %d nodes of each kind", CTL_MAX_NODES);
		size_t len = strlen(p);
		while (len && p[len - 1] == '/')	/* "http://h:8000/" is the same API */
			p[--len] = '\0';
		list[(*n)++] = p;
	}
	return CTL_OK;
}

static int run(struct ctl_options *opt, int argc, char **argv)
{
	if (argc - optind < 1) {
		usage(stderr);
		return CTL_USAGE;
	}
	const char *group = argv[optind];
	int rest = argc - optind - 1;
	char **rest_argv = argv + optind + 1;
	bool group_known = false;	/* a group may span several tables (dataplane) */
	for (size_t g = 0; g < N_GROUPS; g++) {
		if (strcmp(groups[g].name, group) != 0)
			continue;
		group_known = true;
		const struct ctl_command *c = groups[g].commands;
		if (c->name && c->name[0] == '\0') {	/* a command by itself */
			if (wants_help(rest, rest_argv)) {
				printf("usage: buglectl [OPTIONS] %s%s%s\n  %s\n", c->group,
				       c->args[0] ? " " : "", c->args, c->help);
				return CTL_OK;
			}
			return c->run(opt, rest, rest_argv);
		}
	}
	if (group_known && (rest == 0 || wants_help(rest, rest_argv))) {
		group_usage(group);
		return rest == 0 ? CTL_USAGE : CTL_OK;
	}
	for (size_t g = 0; group_known && g < N_GROUPS; g++) {
		if (strcmp(groups[g].name, group) != 0)
			continue;
		for (const struct ctl_command *c = groups[g].commands; c->name; c++) {
			if (strcmp(c->name, rest_argv[0]) != 0)
				continue;
			if (wants_help(rest - 1, rest_argv + 1)) {
				printf("usage: buglectl [OPTIONS] %s %s %s\n  %s\n", c->group, c->name,
				       c->args, c->help);
				return CTL_OK;
			}
			return c->run(opt, rest - 1, rest_argv + 1);
		}
	}
	if (group_known)
		return ctl_error(opt, CTL_USAGE, "unknown command '%s %s' (see buglectl %s --help)",
				 group, rest_argv[0], group);
	return ctl_error(opt, CTL_USAGE, "unknown group '%s' (see buglectl --help)", group);
}

int main(int argc, char **argv)
{
	struct ctl_options opt = { .json = false, .timeout_ms = 5000 };
	opt.api_key = getenv("BUGLE_API_KEY");

	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "control", required_argument, NULL, 'c' },
		{ "api", required_argument, NULL, 'a' },
		{ "api-key", required_argument, NULL, 'k' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, rc = CTL_OK;
	while (rc == CTL_OK && (ch = getopt_long(argc, argv, "+jc:a:k:t:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j': opt.json = true; break;
		case 'c': rc = add_nodes(&opt, opt.controls, &opt.n_controls, optarg); break;
		case 'a': rc = add_nodes(&opt, opt.apis, &opt.n_apis, optarg); break;
		case 'k': opt.api_key = optarg; break;
		case 't': {
			long v;
			if (!ctl_parse_long(optarg, 1, 600000, &v))
				return ctl_error(&opt, CTL_USAGE, "--timeout takes 1..600000 ms");
			opt.timeout_ms = (int)v;
			break;
		}
		case 'h': usage(stdout); return CTL_OK;
		default: usage(stderr); return CTL_USAGE;
		}
	}
	if (rc != CTL_OK)
		return rc;
	/* Defaults apply per kind when no flag named one; the environment's lists are copied so
	 * strtok_r never writes into it. */
	char *env_control = strdup(getenv("BUGLE_CONTROL") ? getenv("BUGLE_CONTROL") : "127.0.0.1:7010");
	char *env_api = strdup(getenv("BUGLE_API") ? getenv("BUGLE_API") : "http://127.0.0.1:8000");
	if (!env_control || !env_api)
		rc = ctl_error(&opt, CTL_FAILED, "out of memory");
	if (rc == CTL_OK && opt.n_controls == 0)
		rc = add_nodes(&opt, opt.controls, &opt.n_controls, env_control);
	if (rc == CTL_OK && opt.n_apis == 0)
		rc = add_nodes(&opt, opt.apis, &opt.n_apis, env_api);
	opt.control = opt.n_controls ? opt.controls[0] : "127.0.0.1:7010";
	if (rc == CTL_OK) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		rc = run(&opt, argc, argv);
		curl_global_cleanup();
	}
	free(env_control);
	free(env_api);
	return rc;
}
