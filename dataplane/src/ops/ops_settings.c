/* Values travel as text through bgl_settings_get/set, the same code that reads the INI file, so
 * a value accepted at run time is exactly one the file would accept. */
#include "ops_settings.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl_body.h"

#define VALUE_MAX 1024	/* the largest setting (a string field) fits with its NUL */

static const char *type_name(enum bgl_setting_type t)
{
	switch (t) {
	case BGL_SETTING_INT: return "int";
	case BGL_SETTING_BOOL: return "bool";
	case BGL_SETTING_STRING: return "string";
	case BGL_SETTING_ENUM: return "enum";
	}
	return "?";
}

static bool differs(const struct ops_settings *s, const struct bgl_setting *d)
{
	char now[VALUE_MAX], then[VALUE_MAX];
	if (bgl_settings_get(s->table, s->live, d->name, now, sizeof(now)) < 0 ||
	    bgl_settings_get(s->table, s->startup, d->name, then, sizeof(then)) < 0)
		return false;
	return strcmp(now, then) != 0;
}

static int run_hooks(struct ops_settings *s, const char *name, char *err, size_t err_cap)
{
	for (size_t i = 0; i < s->n_hooks; i++) {
		const struct ops_setting_hook *h = &s->hooks[i];
		if (strncmp(name, h->prefix, strlen(h->prefix)) != 0)
			continue;
		int rc = h->apply(s->hook_ctx, s->live, err, err_cap);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int ops_settings_set(struct ops_settings *s, const char *name, const char *value, char *err,
		     size_t err_cap)
{
	const struct bgl_setting *d = bgl_settings_find(s->table, name);
	if (!d) {
		snprintf(err, err_cap, "no setting named '%s'", name);
		return -ENOENT;
	}
	if (!d->reloadable) {
		snprintf(err, err_cap, "setting '%s' is not reloadable: it takes effect at start-up only",
			 name);
		return -EPERM;
	}
	char old[VALUE_MAX];
	struct bgl_settings_error e;
	if (bgl_settings_get(s->table, s->live, name, old, sizeof(old)) < 0) {
		snprintf(err, err_cap, "setting '%s': cannot read its value", name);
		return -EIO;
	}
	int rc = bgl_settings_set(s->table, s->live, name, value, true, &e);
	if (rc < 0) {
		snprintf(err, err_cap, "%s", e.msg);
		return rc;
	}
	rc = run_hooks(s, name, err, err_cap);
	if (rc < 0) {
		/* The users refused it: put the old value back so that live says what is in force. */
		char why[256];
		snprintf(why, sizeof(why), "%s", err);
		bgl_settings_set(s->table, s->live, name, old, true, &e);
		run_hooks(s, name, err, err_cap);
		snprintf(err, err_cap, "setting '%s': %s", name, why);
	}
	return rc;
}

int ops_settings_revert(struct ops_settings *s, size_t *n_reverted, char *err, size_t err_cap)
{
	*n_reverted = 0;
	for (size_t i = 0; i < s->table->count; i++) {
		const struct bgl_setting *d = &s->table->items[i];
		if (!differs(s, d))
			continue;
		char then[VALUE_MAX];
		bgl_settings_get(s->table, s->startup, d->name, then, sizeof(then));
		int rc = ops_settings_set(s, d->name, then, err, err_cap);
		if (rc < 0)
			return rc;
		(*n_reverted)++;
	}
	return 0;
}

static void fill_one(const struct ops_settings *s, const struct bgl_setting *d,
		     bugle_dp_Setting *o)
{
	*o = (bugle_dp_Setting)bugle_dp_Setting_init_zero;
	snprintf(o->name, sizeof(o->name), "%s", d->name);
	bgl_settings_get(s->table, s->live, d->name, o->value, sizeof(o->value));
	bgl_settings_get(s->table, s->startup, d->name, o->startup_value, sizeof(o->startup_value));
	snprintf(o->default_value, sizeof(o->default_value), "%s", d->def ? d->def : "");
	o->reloadable = d->reloadable;
	snprintf(o->type, sizeof(o->type), "%s", type_name(d->type));
	snprintf(o->help, sizeof(o->help), "%s", d->help ? d->help : "");
}

size_t ops_settings_fill(const struct ops_settings *s, const char *name, bool changed_only,
			 bugle_dp_SettingsReply *out)
{
	const size_t cap = sizeof(out->settings) / sizeof(out->settings[0]);
	out->settings_count = 0;
	for (size_t i = 0; i < s->table->count && out->settings_count < cap; i++) {
		const struct bgl_setting *d = &s->table->items[i];
		if ((name && name[0] && strcmp(name, d->name) != 0) || (changed_only && !differs(s, d)))
			continue;
		fill_one(s, d, &out->settings[out->settings_count++]);
	}
	return out->settings_count;
}

static int status_of(int rc)
{
	switch (rc) {
	case -ENOENT: return bugle_dp_Status_STATUS_NOT_FOUND;
	case -EPERM: return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	case -EINVAL:
	case -ERANGE: return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	default: return bugle_dp_Status_STATUS_INTERNAL;
	}
}

/* Replies are large (64 settings of 1 KB values): static storage of the main lcore. */
static bugle_dp_SettingsReply reply;

int ops_ctl_get_settings(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			 size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	const struct ops_settings *s = ctx;
	bugle_dp_SettingsRequest in = bugle_dp_SettingsRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SettingsRequest_fields, &in, err,
				   err_cap);
	if (st)
		return st;
	if (in.name[0] && !bgl_settings_find(s->table, in.name)) {
		snprintf(err, err_cap, "no setting named '%s'", in.name);
		return bugle_dp_Status_STATUS_NOT_FOUND;
	}
	ops_settings_fill(s, in.name, in.changed_only, &reply);
	return dpctl_encode_body(bugle_dp_SettingsReply_fields, &reply, resp, resp_cap, resp_len,
				 err, err_cap);
}

int ops_ctl_set_setting(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	struct ops_settings *s = ctx;
	static bugle_dp_SetSettingRequest in;
	in = (bugle_dp_SetSettingRequest)bugle_dp_SetSettingRequest_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_SetSettingRequest_fields, &in, err,
				   err_cap);
	if (st)
		return st;
	int rc = ops_settings_set(s, in.name, in.value, err, err_cap);
	if (rc < 0)
		return status_of(rc);
	ops_settings_fill(s, in.name, false, &reply);
	return dpctl_encode_body(bugle_dp_SettingsReply_fields, &reply, resp, resp_cap, resp_len,
				 err, err_cap);
}

int ops_ctl_revert_settings(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			    size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	struct ops_settings *s = ctx;
	bugle_dp_Empty in = bugle_dp_Empty_init_zero;
	int st = dpctl_decode_body(req, req_len, bugle_dp_Empty_fields, &in, err, err_cap);
	if (st)
		return st;
	/* The reply lists what is about to be reverted, as it stood before. */
	ops_settings_fill(s, "", true, &reply);
	size_t n;
	int rc = ops_settings_revert(s, &n, err, err_cap);
	if (rc < 0)
		return status_of(rc);
	return dpctl_encode_body(bugle_dp_SettingsReply_fields, &reply, resp, resp_cap, resp_len,
				 err, err_cap);
}
