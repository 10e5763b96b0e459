/* One object, two renderings: --json prints it as is; people get aligned "key: value" lines,
 * and arrays of objects as tables. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buglectl.h"

static void print_scalar(FILE *out, json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY);
	if (json_is_null(v))
		fputs("-", out);	/* unknown (a node that did not answer) */
	else if (json_is_string(v))
		fputs(json_string_value(v), out);
	else if (s)
		fputs(s, out);
	free(s);
}

/* A table cell: strings as they are, unknown (null) as "-", the rest as JSON; free() it. */
static char *cell_text(const json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_null(v))
		return strdup("-");
	return json_dumps(v, JSON_ENCODE_ANY);
}

static void print_table(FILE *out, const char *title, json_t *rows)
{
	json_t *first = json_array_get(rows, 0);
	if (!json_is_object(first)) {
		fprintf(out, "%s: ", title);
		print_scalar(out, rows);
		fputc('\n', out);
		return;
	}
	fprintf(out, "\n%s\n", title);
	/* Column widths from the header and every cell. */
	size_t ncol = json_object_size(first), c = 0;
	size_t width[32] = { 0 };
	const char *key;
	json_t *val;
	json_object_foreach(first, key, val) {
		if (c < 32)
			width[c] = strlen(key);
		c++;
	}
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		c = 0;
		json_object_foreach(row, key, val) {
			char *s = cell_text(val);
			if (c < 32 && s && strlen(s) > width[c])
				width[c] = strlen(s);
			free(s);
			c++;
		}
	}
	c = 0;
	json_object_foreach(first, key, val) {
		if (c < 32)
			fprintf(out, "  %-*s", (int)width[c], key);
		c++;
	}
	fputc('\n', out);
	json_array_foreach(rows, i, row) {
		c = 0;
		json_object_foreach(row, key, val) {
			char *s = cell_text(val);
			if (c < 32 && c < ncol)
				fprintf(out, "  %-*s", (int)width[c], s ? s : "");
			free(s);
			c++;
		}
		fputc('\n', out);
	}
}

void ctl_render(FILE *out, bool json, const json_t *doc)
{
	if (json) {
		char *s = json_dumps(doc, JSON_COMPACT);
		if (s)
			fprintf(out, "%s\n", s);
		free(s);
		return;
	}
	size_t w = 0;
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)doc, key, val) {
		if (!json_is_array(val) && strlen(key) > w)
			w = strlen(key);
	}
	json_object_foreach((json_t *)doc, key, val) {
		if (json_is_array(val))
			continue;
		fprintf(out, "%-*s  ", (int)w, key);
		print_scalar(out, val);
		fputc('\n', out);
	}
	json_object_foreach((json_t *)doc, key, val) {
		if (json_is_array(val))
			print_table(out, key, val);
	}
}

void ctl_print(const struct ctl_options *opt, json_t *doc)
{
	ctl_render(stdout, opt->json, doc);
	json_decref(doc);
}

int ctl_error(const struct ctl_options *opt, enum ctl_exit code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (opt && opt->json) {
		json_t *e = json_pack("{s:s, s:i}", "error", msg, "exit_code", (int)code);
		char *s = json_dumps(e, JSON_COMPACT);
		if (s)
			puts(s);
		free(s);
		json_decref(e);
	}
	fprintf(stderr, "buglectl: %s\n", msg);
	return code;
}
