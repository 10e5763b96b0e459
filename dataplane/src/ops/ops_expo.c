/* The exposition writer: every byte goes through put() so that a full buffer is noticed once
 * and the text is never cut in the middle of a line without the caller knowing. */
#include "ops_expo.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void ops_expo_init(struct ops_expo *w, char *buf, size_t cap)
{
	*w = (struct ops_expo){ .buf = buf, .cap = cap };
	if (cap)
		buf[0] = '\0';
}

static bool name_char(char c, bool first, bool colon)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
		return true;
	if (colon && c == ':')
		return true;
	return !first && c >= '0' && c <= '9';
}

static bool name_ok(const char *name, bool colon)
{
	if (!name || !name[0])
		return false;
	for (size_t i = 0; name[i]; i++)
		if (!name_char(name[i], i == 0, colon))
			return false;
	return true;
}

bool ops_expo_metric_name_ok(const char *name)
{
	return name_ok(name, true);
}

bool ops_expo_label_name_ok(const char *name)
{
	/* Names starting with "__" are reserved for Prometheus itself. */
	return name_ok(name, false) && strncmp(name, "__", 2) != 0;
}

static int put(struct ops_expo *w, const char *s, size_t n)
{
	/* Keep one byte for the NUL so the buffer is always a C string. */
	if (w->full || w->len + n + 1 > w->cap) {
		w->full = true;
		return -ENOSPC;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
	return 0;
}

static int puts_(struct ops_expo *w, const char *s)
{
	return put(w, s, strlen(s));
}

/* HELP text escapes backslash and newline; label values also escape the double quote. */
static int put_escaped(struct ops_expo *w, const char *s, bool quote)
{
	int rc = 0;
	for (; *s && rc == 0; s++) {
		if (*s == '\\')
			rc = put(w, "\\\\", 2);
		else if (*s == '\n')
			rc = put(w, "\\n", 2);
		else if (quote && *s == '"')
			rc = put(w, "\\\"", 2);
		else
			rc = put(w, s, 1);
	}
	return rc;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int ops_expo_family(struct ops_expo *w, const char *name, enum ops_metric_type type,
		    const char *help)
{
	if (!ops_expo_metric_name_ok(name) || (type == OPS_COUNTER && !ends_with(name, "_total")))
		return -EINVAL;
	int rc = puts_(w, "# HELP ");
	if (!rc)
		rc = puts_(w, name);
	if (!rc)
		rc = puts_(w, " ");
	if (!rc)
		rc = put_escaped(w, help ? help : "", false);
	if (!rc)
		rc = puts_(w, "\n# TYPE ");
	if (!rc)
		rc = puts_(w, name);
	if (!rc)
		rc = puts_(w, type == OPS_COUNTER ? " counter\n" : " gauge\n");
	return rc;
}

int ops_expo_sample(struct ops_expo *w, const char *name, const struct ops_label *labels,
		    size_t n_labels, uint64_t value)
{
	if (!ops_expo_metric_name_ok(name))
		return -EINVAL;
	for (size_t i = 0; i < n_labels; i++)
		if (!ops_expo_label_name_ok(labels[i].name) || !labels[i].value)
			return -EINVAL;
	int rc = puts_(w, name);
	for (size_t i = 0; i < n_labels && rc == 0; i++) {
		rc = puts_(w, i ? "," : "{");
		if (!rc)
			rc = puts_(w, labels[i].name);
		if (!rc)
			rc = puts_(w, "=\"");
		if (!rc)
			rc = put_escaped(w, labels[i].value, true);
		if (!rc)
			rc = puts_(w, "\"");
	}
	if (!rc && n_labels)
		rc = puts_(w, "}");
	char num[32];
	int n = snprintf(num, sizeof(num), " %" PRIu64 "\n", value);
	return rc ? rc : put(w, num, (size_t)n);
}
