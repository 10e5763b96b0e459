/* INI reader for the settings table: "[section]" lines, "key = value" lines, full-line comments
 * starting with '#' or ';'. Strict on purpose: an unknown section or key, a key set twice, a line
 * that is neither, or a NUL byte stops start-up with the file and line. */
#include "bugle/settings.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "settings_internal.h"

#define INI_MAX_FILE (1u << 20)
#define INI_MAX_LINE 4096
#define INI_MAX_SECTION 64

static char *trim(char *s, char *end)
{
	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	*end = '\0';
	return s;
}

static bool valid_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

int bgl_settings_load_text(const struct bgl_settings_table *t, void *cfg, const char *text,
			   size_t len, const char *origin, struct bgl_settings_error *err)
{
	if (len > INI_MAX_FILE) {
		bgl_settings_fail(err, origin, 0, NULL, "file is larger than %u bytes", INI_MAX_FILE);
		return -EFBIG;
	}
	if (memchr(text, '\0', len)) {
		size_t off = (size_t)((const char *)memchr(text, '\0', len) - text);
		unsigned line = 1;
		for (size_t i = 0; i < off; i++)
			line += text[i] == '\n';
		bgl_settings_fail(err, origin, line, NULL, "NUL byte in file");
		return -EINVAL;
	}
	/* First line each setting was seen on, to refuse a key set twice. */
	unsigned *seen = calloc(t->count ? t->count : 1, sizeof(*seen));
	if (!seen) {
		bgl_settings_fail(err, origin, 0, NULL, "out of memory");
		return -ENOMEM;
	}

	char section[INI_MAX_SECTION] = "";
	char buf[INI_MAX_LINE + 1];
	int rc = 0;
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < len && rc == 0) {
		lineno++;
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		if (n > INI_MAX_LINE) {
			bgl_settings_fail(err, origin, lineno, NULL, "line longer than %d bytes",
					  INI_MAX_LINE);
			rc = -EINVAL;
			break;
		}
		memcpy(buf, text + pos, n);
		buf[n] = '\0';
		pos += n + (nl ? 1 : 0);

		char *line = trim(buf, buf + n);
		if (*line == '\0' || *line == '#' || *line == ';')
			continue;

		if (*line == '[') {
			char *close = strchr(line, ']');
			if (!close || close[1] != '\0') {
				bgl_settings_fail(err, origin, lineno, NULL, "malformed section header");
				rc = -EINVAL;
				break;
			}
			char *name = trim(line + 1, close);
			if (!valid_name(name) || strlen(name) >= sizeof(section)) {
				bgl_settings_fail(err, origin, lineno, NULL, "bad section name '%s'", name);
				rc = -EINVAL;
				break;
			}
			/* A section must own at least one setting, so typos show up here. */
			size_t sl = strlen(name);
			bool known = false;
			for (size_t i = 0; i < t->count && !known; i++)
				known = strncmp(t->items[i].name, name, sl) == 0 &&
					t->items[i].name[sl] == '.';
			if (!known) {
				bgl_settings_fail(err, origin, lineno, NULL, "unknown section [%s]", name);
				rc = -ENOENT;
				break;
			}
			snprintf(section, sizeof(section), "%s", name);
			continue;
		}

		char *eq = strchr(line, '=');
		if (!eq) {
			bgl_settings_fail(err, origin, lineno, NULL,
					  "expected 'key = value' or '[section]'");
			rc = -EINVAL;
			break;
		}
		char *key = trim(line, eq);
		char *value = trim(eq + 1, eq + 1 + strlen(eq + 1));
		size_t vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		if (!section[0]) {
			bgl_settings_fail(err, origin, lineno, NULL, "'%s' is outside any [section]", key);
			rc = -EINVAL;
			break;
		}
		if (!valid_name(key)) {
			bgl_settings_fail(err, origin, lineno, NULL, "bad key name '%s'", key);
			rc = -EINVAL;
			break;
		}
		char full[INI_MAX_SECTION * 2 + 2];
		snprintf(full, sizeof(full), "%s.%s", section, key);
		const struct bgl_setting *s = bgl_settings_find(t, full);
		if (!s) {
			bgl_settings_fail(err, origin, lineno, full, "unknown setting");
			rc = -ENOENT;
			break;
		}
		size_t idx = (size_t)(s - t->items);
		if (seen[idx]) {
			bgl_settings_fail(err, origin, lineno, full, "already set on line %u", seen[idx]);
			rc = -EEXIST;
			break;
		}
		seen[idx] = lineno;
		rc = bgl_settings_apply_one(s, cfg, value, origin, lineno, err);
	}
	free(seen);
	return rc;
}

int bgl_settings_load_file(const struct bgl_settings_table *t, void *cfg, const char *path,
			   struct bgl_settings_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		int e = errno;
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: cannot open: %s", path, strerror(e));
		return -e;
	}
	char *text = malloc(INI_MAX_FILE + 1);
	if (!text) {
		fclose(f);
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: out of memory", path);
		return -ENOMEM;
	}
	size_t len = fread(text, 1, INI_MAX_FILE + 1, f);
	int rd_err = ferror(f);
	fclose(f);
	int rc;
	if (rd_err) {
		if (err)
			snprintf(err->msg, sizeof(err->msg), "%s: read error", path);
		rc = -EIO;
	} else {
		rc = bgl_settings_load_text(t, cfg, text, len, path, err);
	}
	free(text);
	return rc;
}
