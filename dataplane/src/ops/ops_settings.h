/* Run-time settings over a daemon's typed settings table: list them (current, default and
 * start-up values), change a reloadable one and push it to the code that uses it (an apply
 * hook), list what differs from start-up, revert. Main lcore only.
 *
 * Return convention: ops_settings_set/revert return 0 or a negative errno with the reason in
 * err (-ENOENT unknown name, -EPERM not reloadable, -EINVAL/-ERANGE bad value, or the hook's
 * error); the ctl handlers return a bugle_dp_Status; fill returns a count.
 */
#ifndef BUGLE_OPS_SETTINGS_H
#define BUGLE_OPS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "bugle/settings.h"
#include "dataplane.pb.h"

/* Called after a reloadable setting whose name starts with prefix has changed in live. */
struct ops_setting_hook {
	const char *prefix;	/* "log.level", "filter." */
	int (*apply)(void *ctx, const void *live, char *err, size_t err_cap);
};

struct ops_settings {
	const struct bgl_settings_table *table;	/* RO */
	const void *startup;	/* RO: the values start-up read (file, command line) */
	void *live;		/* main lcore: the values in force now */
	const struct ops_setting_hook *hooks;	/* RO */
	size_t n_hooks;
	void *hook_ctx;
};

int ops_settings_set(struct ops_settings *s, const char *name, const char *value, char *err,
		     size_t err_cap);

/* Every changed setting back to its start-up value; *n_reverted says how many. */
int ops_settings_revert(struct ops_settings *s, size_t *n_reverted, char *err, size_t err_cap);

/* One Setting per matching entry (name: exact, "" for all; changed_only: those differing from
 * start-up), at most out->settings capacity. */
size_t ops_settings_fill(const struct ops_settings *s, const char *name, bool changed_only,
			 bugle_dp_SettingsReply *out);

/* Control-channel methods (ctx: struct ops_settings). */
int ops_ctl_get_settings(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			 size_t resp_cap, size_t *resp_len, char *err, size_t err_cap);
int ops_ctl_set_setting(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			size_t resp_cap, size_t *resp_len, char *err, size_t err_cap);
int ops_ctl_revert_settings(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			    size_t resp_cap, size_t *resp_len, char *err, size_t err_cap);

#endif
