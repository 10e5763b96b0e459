/* Typed settings table shared by both daemons (Redis static_configs[] style).
 *
 * Each daemon declares one table of struct bgl_setting describing every setting it has: name
 * ("section.key", as written in its INI file), type, default (as text, parsed by the same code as
 * the file), bounds, whether it may change at run time, and where it lives in the daemon's config
 * struct. Defaults, the INI file, command-line overrides, --help and `buglectl settings` all go
 * through this one table.
 *
 * Return convention: 0 on success or a negative errno; on failure the bgl_settings_error says
 * which file, line and setting were at fault.
 */
#ifndef BUGLE_SETTINGS_H
#define BUGLE_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum bgl_setting_type {
	BGL_SETTING_INT,	/* int64_t, bounded by min..max */
	BGL_SETTING_BOOL,	/* bool: true/false/yes/no/on/off/1/0 */
	BGL_SETTING_STRING,	/* char[size], length bounded by size-1 */
	BGL_SETTING_ENUM,	/* int: index into choices ("text|json") */
};

struct bgl_setting {
	const char *name;	/* "section.key" */
	enum bgl_setting_type type;
	const char *def;	/* default, as text */
	int64_t min, max;	/* INT bounds */
	const char *choices;	/* ENUM: '|'-separated names */
	bool reloadable;	/* may change while running (SIGHUP, buglectl settings set) */
	const char *help;
	size_t offset;		/* into the daemon's config struct */
	size_t size;		/* of the field there */
};

#define BGL_FIELD_SIZE(ctype, field) sizeof(((ctype *)0)->field)

#define BGL_SETTING_INT_DEF(nm, ctype, field, dflt, lo, hi, reload, hlp)                            \
	{ .name = (nm), .type = BGL_SETTING_INT, .def = #dflt, .min = (lo), .max = (hi),          \
	  .reloadable = (reload), .help = (hlp), .offset = offsetof(ctype, field),                   \
	  .size = BGL_FIELD_SIZE(ctype, field) }
#define BGL_SETTING_BOOL_DEF(nm, ctype, field, dflt, reload, hlp)                                  \
	{ .name = (nm), .type = BGL_SETTING_BOOL, .def = (dflt), .reloadable = (reload),          \
	  .help = (hlp), .offset = offsetof(ctype, field), .size = BGL_FIELD_SIZE(ctype, field) }
#define BGL_SETTING_STRING_DEF(nm, ctype, field, dflt, reload, hlp)                                \
	{ .name = (nm), .type = BGL_SETTING_STRING, .def = (dflt), .reloadable = (reload),        \
	  .help = (hlp), .offset = offsetof(ctype, field), .size = BGL_FIELD_SIZE(ctype, field) }
#define BGL_SETTING_ENUM_DEF(nm, ctype, field, dflt, chs, reload, hlp)                             \
	{ .name = (nm), .type = BGL_SETTING_ENUM, .def = (dflt), .choices = (chs),                \
	  .reloadable = (reload), .help = (hlp), .offset = offsetof(ctype, field),                   \
	  .size = BGL_FIELD_SIZE(ctype, field) }

struct bgl_settings_table {
	const struct bgl_setting *items;
	size_t count;
};

struct bgl_settings_error {
	char msg[512];		/* "file:line: setting 'x': reason" */
};

/* Fill cfg with every default. Fails only on a broken table (a programming error). */
int bgl_settings_defaults(const struct bgl_settings_table *t, void *cfg,
			  struct bgl_settings_error *err);

/* Apply an INI file over cfg. Unknown sections or keys are errors (typos must not pass). */
int bgl_settings_load_file(const struct bgl_settings_table *t, void *cfg, const char *path,
			   struct bgl_settings_error *err);

/* Apply INI text already in memory; origin names it in errors. */
int bgl_settings_load_text(const struct bgl_settings_table *t, void *cfg, const char *text,
			   size_t len, const char *origin, struct bgl_settings_error *err);

/* Set one setting from text ("section.key", "value"). only_reloadable refuses the others
 * with -EPERM (run-time changes). */
int bgl_settings_set(const struct bgl_settings_table *t, void *cfg, const char *name,
		     const char *value, bool only_reloadable, struct bgl_settings_error *err);

/* Current value of one setting as text. */
int bgl_settings_get(const struct bgl_settings_table *t, const void *cfg, const char *name,
		     char *buf, size_t len);

const struct bgl_setting *bgl_settings_find(const struct bgl_settings_table *t, const char *name);

/* --help: every setting with type, default, bounds and whether it is reloadable. */
void bgl_settings_print_help(const struct bgl_settings_table *t, FILE *out);

#endif
