/* Shared between the table code and the INI reader; not part of the public interface. */
#ifndef BUGLE_SETTINGS_INTERNAL_H
#define BUGLE_SETTINGS_INTERNAL_H

#include "bugle/settings.h"

int bgl_settings_apply_one(const struct bgl_setting *s, void *cfg, const char *value,
			   const char *origin, unsigned line, struct bgl_settings_error *err);
void bgl_settings_fail(struct bgl_settings_error *err, const char *origin, unsigned line,
		       const char *name, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
