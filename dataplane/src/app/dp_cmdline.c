/* Defaults, then the file, then each --set in order: later wins, like the INI itself. */
#include "dp_cmdline.h"

#include <errno.h>
#include <string.h>

#include "dp_settings.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: bugle-dataplane -c FILE [--set section.key=value ...] "
		   "[--log-format text|json] [--help]\n");
}

static int apply_set(const struct bgl_settings_table *t, struct dp_config *cfg, const char *arg,
		     struct bgl_settings_error *err)
{
	char name[128];
	const char *eq = strchr(arg, '=');
	if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof(name)) {
		snprintf(err->msg, sizeof(err->msg), "--set: '%s' is not section.key=value", arg);
		return -EINVAL;
	}
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	return bgl_settings_set(t, cfg, name, eq + 1, false, err);
}

int dp_cmdline_load(int argc, char **argv, struct dp_config *cfg, FILE *out, FILE *errout)
{
	const struct bgl_settings_table *t = dp_settings_table();
	struct bgl_settings_error err = { { 0 } };
	const char *file = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(out);
			bgl_settings_print_help(t, out);
			return 1;
		}
	}
	if (bgl_settings_defaults(t, cfg, &err) < 0) {
		fprintf(errout, "bugle-dataplane: %s\n", err.msg);
		return -EINVAL;
	}
	/* The file first, so --set overrides it wherever it appears on the line. */
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) {
			if (i + 1 >= argc) {
				usage(errout);
				return -EINVAL;
			}
			file = argv[++i];
		} else if (!strcmp(argv[i], "--set") || !strcmp(argv[i], "--log-format")) {
			if (i + 1 >= argc) {
				usage(errout);
				return -EINVAL;
			}
			i++;
		} else {
			fprintf(errout, "bugle-dataplane: unknown argument '%s'\n", argv[i]);
			usage(errout);
			return -EINVAL;
		}
	}
	if (!file) {
		fprintf(errout, "bugle-dataplane: -c FILE is required\n");
		usage(errout);
		return -EINVAL;
	}
	int rc = bgl_settings_load_file(t, cfg, file, &err);
	for (int i = 1; rc == 0 && i < argc; i++)
		if (!strcmp(argv[i], "--set"))
			rc = apply_set(t, cfg, argv[++i], &err);
		else if (!strcmp(argv[i], "--log-format"))	/* --set log.format=F */
			rc = bgl_settings_set(t, cfg, "log.format", argv[++i], false, &err);
		else if (!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config"))
			i++;
	if (rc == 0)
		rc = dp_config_check(cfg, file, &err);
	if (rc < 0) {
		fprintf(errout, "bugle-dataplane: %s\n", err.msg);
		return rc;
	}
	return 0;
}
