/* The typed settings table: defaults, parsing one value, get/set, --help. */
#include "bugle/settings.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "settings_internal.h"

void bgl_settings_fail(struct bgl_settings_error *err, const char *origin, unsigned line,
		       const char *name, const char *fmt, ...)
{
	if (!err)
		return;
	char why[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (origin && line && name)
		snprintf(err->msg, sizeof(err->msg), "%s:%u: setting '%s': %s", origin, line, name, why);
	else if (origin && line)
		snprintf(err->msg, sizeof(err->msg), "%s:%u: %s", origin, line, why);
	else if (name)
		snprintf(err->msg, sizeof(err->msg), "setting '%s': %s", name, why);
	else
		snprintf(err->msg, sizeof(err->msg), "%s", why);
}

const struct bgl_setting *bgl_settings_find(const struct bgl_settings_table *t, const char *name)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->items[i].name, name) == 0)
			return &t->items[i];
	return NULL;
}

static int parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Index of v among the '|'-separated choices, or -1. */
static int enum_index(const char *choices, const char *v)
{
	size_t vlen = strlen(v);
	int idx = 0;
	for (const char *p = choices; *p; idx++) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n == vlen && strncasecmp(p, v, n) == 0)
			return idx;
		if (!bar)
			break;
		p = bar + 1;
	}
	return -1;
}

static int enum_name(const char *choices, int idx, char *buf, size_t len)
{
	const char *p = choices;
	for (int i = 0; i < idx && p; i++) {
		p = strchr(p, '|');
		if (p)
			p++;
	}
	if (!p)
		return -ERANGE;
	const char *bar = strchr(p, '|');
	size_t n = bar ? (size_t)(bar - p) : strlen(p);
	if (n >= len)
		return -ENOSPC;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return 0;
}

/* Integers accept an optional unit suffix for sizes (k, m, g) and durations (ms, s, m, h) only
 * when the whole value is a plain number followed by it; the table's bounds are in base units. */
static int parse_int(const char *v, int64_t *out)
{
	errno = 0;
	char *end;
	long long n = strtoll(v, &end, 0);
	if (end == v || errno == ERANGE)
		return -EINVAL;
	if (*end != '\0')
		return -EINVAL;
	*out = n;
	return 0;
}

int bgl_settings_apply_one(const struct bgl_setting *s, void *cfg, const char *value,
			   const char *origin, unsigned line, struct bgl_settings_error *err)
{
	char *field = (char *)cfg + s->offset;
	switch (s->type) {
	case BGL_SETTING_INT: {
		int64_t n;
		if (parse_int(value, &n) < 0) {
			bgl_settings_fail(err, origin, line, s->name, "'%s' is not an integer", value);
			return -EINVAL;
		}
		if (n < s->min || n > s->max) {
			bgl_settings_fail(err, origin, line, s->name,
					  "%" PRId64 " is out of range %" PRId64 "..%" PRId64, n, s->min,
					  s->max);
			return -ERANGE;
		}
		if (s->size == sizeof(int64_t)) {
			int64_t v = n;
			memcpy(field, &v, sizeof(v));
		} else if (s->size == sizeof(int32_t)) {
			if (n < INT32_MIN || n > INT32_MAX) {
				bgl_settings_fail(err, origin, line, s->name, "too large");
				return -ERANGE;
			}
			int32_t v = (int32_t)n;
			memcpy(field, &v, sizeof(v));
		} else {
			bgl_settings_fail(err, NULL, 0, s->name, "table: integer field of size %zu",
					  s->size);
			return -EINVAL;
		}
		return 0;
	}
	case BGL_SETTING_BOOL: {
		bool b;
		if (parse_bool(value, &b) < 0) {
			bgl_settings_fail(err, origin, line, s->name,
					  "'%s' is not a boolean (true/false, yes/no, on/off, 1/0)", value);
			return -EINVAL;
		}
		if (s->size != sizeof(bool)) {
			bgl_settings_fail(err, NULL, 0, s->name, "table: bool field of size %zu", s->size);
			return -EINVAL;
		}
		memcpy(field, &b, sizeof(b));
		return 0;
	}
	case BGL_SETTING_STRING: {
		size_t n = strlen(value);
		if (n >= s->size) {
			bgl_settings_fail(err, origin, line, s->name, "value is %zu bytes, at most %zu", n,
					  s->size - 1);
			return -ENAMETOOLONG;
		}
		memcpy(field, value, n + 1);
		return 0;
	}
	case BGL_SETTING_ENUM: {
		int idx = enum_index(s->choices, value);
		if (idx < 0) {
			bgl_settings_fail(err, origin, line, s->name, "'%s' is not one of %s", value,
					  s->choices);
			return -EINVAL;
		}
		if (s->size != sizeof(int)) {
			bgl_settings_fail(err, NULL, 0, s->name, "table: enum field of size %zu", s->size);
			return -EINVAL;
		}
		memcpy(field, &idx, sizeof(idx));
		return 0;
	}
	}
	bgl_settings_fail(err, NULL, 0, s->name, "table: unknown type");
	return -EINVAL;
}

int bgl_settings_defaults(const struct bgl_settings_table *t, void *cfg,
			  struct bgl_settings_error *err)
{
	for (size_t i = 0; i < t->count; i++) {
		int rc = bgl_settings_apply_one(&t->items[i], cfg, t->items[i].def ? t->items[i].def : "",
						"(default)", 1, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int bgl_settings_set(const struct bgl_settings_table *t, void *cfg, const char *name,
		     const char *value, bool only_reloadable, struct bgl_settings_error *err)
{
	const struct bgl_setting *s = bgl_settings_find(t, name);
	if (!s) {
		bgl_settings_fail(err, NULL, 0, name, "unknown setting");
		return -ENOENT;
	}
	if (only_reloadable && !s->reloadable) {
		bgl_settings_fail(err, NULL, 0, name, "cannot change while running (restart needed)");
		return -EPERM;
	}
	return bgl_settings_apply_one(s, cfg, value, NULL, 0, err);
}

int bgl_settings_get(const struct bgl_settings_table *t, const void *cfg, const char *name,
		     char *buf, size_t len)
{
	const struct bgl_setting *s = bgl_settings_find(t, name);
	if (!s)
		return -ENOENT;
	const char *field = (const char *)cfg + s->offset;
	int n = 0;
	switch (s->type) {
	case BGL_SETTING_INT:
		if (s->size == sizeof(int64_t)) {
			int64_t v;
			memcpy(&v, field, sizeof(v));
			n = snprintf(buf, len, "%" PRId64, v);
		} else {
			int32_t v;
			memcpy(&v, field, sizeof(v));
			n = snprintf(buf, len, "%" PRId32, v);
		}
		break;
	case BGL_SETTING_BOOL: {
		bool b;
		memcpy(&b, field, sizeof(b));
		n = snprintf(buf, len, "%s", b ? "true" : "false");
		break;
	}
	case BGL_SETTING_STRING:
		n = snprintf(buf, len, "%s", field);
		break;
	case BGL_SETTING_ENUM: {
		int idx;
		memcpy(&idx, field, sizeof(idx));
		return enum_name(s->choices, idx, buf, len);
	}
	}
	return (n < 0 || (size_t)n >= len) ? -ENOSPC : 0;
}

static const char *type_name(const struct bgl_setting *s)
{
	switch (s->type) {
	case BGL_SETTING_INT: return "integer";
	case BGL_SETTING_BOOL: return "boolean";
	case BGL_SETTING_STRING: return "string";
	case BGL_SETTING_ENUM: return "enum";
	}
	return "?";
}

void bgl_settings_print_help(const struct bgl_settings_table *t, FILE *out)
{
	fprintf(out, "Settings (INI: [section] then key = value; --set section.key=value):\n");
	for (size_t i = 0; i < t->count; i++) {
		const struct bgl_setting *s = &t->items[i];
		fprintf(out, "  %-28s %-8s default: %s", s->name, type_name(s),
			(s->def && *s->def) ? s->def : "(empty)");
		if (s->type == BGL_SETTING_INT)
			fprintf(out, "  range: %" PRId64 "..%" PRId64, s->min, s->max);
		if (s->type == BGL_SETTING_ENUM)
			fprintf(out, "  one of: %s", s->choices);
		if (s->type == BGL_SETTING_STRING)
			fprintf(out, "  max length: %zu", s->size - 1);
		fprintf(out, "%s\n      %s\n", s->reloadable ? "  (reloadable)" : "", s->help ? s->help : "");
	}
}
