/* The exposition text: HELP/TYPE headers, samples with escaped label values. */
#include "api-metrics-expo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_expo_init(struct api_expo *w)
{
	*w = (struct api_expo){ 0 };
}

static bool reserve(struct api_expo *w, size_t more)
{
	if (w->failed)
		return false;
	if (w->len + more + 1 <= w->cap)
		return true;
	size_t cap = w->cap ? w->cap : 8192;
	while (cap < w->len + more + 1)
		cap *= 2;
	char *nb = realloc(w->buf, cap);
	if (!nb) {
		w->failed = true;
		return false;
	}
	w->buf = nb;
	w->cap = cap;
	return true;
}

static void put(struct api_expo *w, const char *s, size_t n)
{
	if (!reserve(w, n))
		return;
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void puts_(struct api_expo *w, const char *s)
{
	put(w, s, strlen(s));
}

/* HELP text escapes backslash and newline; label values also the double quote. */
static void escaped(struct api_expo *w, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			put(w, "\\\\", 2);
		else if (*s == '\n')
			put(w, "\\n", 2);
		else if (quote && *s == '"')
			put(w, "\\\"", 2);
		else
			put(w, s, 1);
	}
}

void api_expo_family(struct api_expo *w, const char *name, const char *type, const char *help)
{
	puts_(w, "# HELP ");
	puts_(w, name);
	puts_(w, " ");
	escaped(w, help, false);
	puts_(w, "\n# TYPE ");
	puts_(w, name);
	puts_(w, " ");
	puts_(w, type);
	puts_(w, "\n");
}

static void head(struct api_expo *w, const char *name, const struct api_label *labels, size_t n)
{
	puts_(w, name);
	if (!n)
		return;
	puts_(w, "{");
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(w, ",");
		puts_(w, labels[i].name);
		puts_(w, "=\"");
		escaped(w, labels[i].value, true);
		puts_(w, "\"");
	}
	puts_(w, "}");
}

void api_expo_sample(struct api_expo *w, const char *name, const struct api_label *labels,
		     size_t n_labels, uint64_t value)
{
	char v[32];
	head(w, name, labels, n_labels);
	int n = snprintf(v, sizeof(v), " %llu\n", (unsigned long long)value);
	put(w, v, (size_t)n);
}

void api_expo_sample_double(struct api_expo *w, const char *name,
			    const struct api_label *labels, size_t n_labels, double value)
{
	char v[48];
	head(w, name, labels, n_labels);
	int n = snprintf(v, sizeof(v), " %.9g\n", value);
	put(w, v, (size_t)n);
}

void api_expo_counter(struct api_expo *w, const char *name, const char *help, uint64_t value)
{
	api_expo_family(w, name, "counter", help);
	api_expo_sample(w, name, NULL, 0, value);
}

void api_expo_gauge(struct api_expo *w, const char *name, const char *help, uint64_t value)
{
	api_expo_family(w, name, "gauge", help);
	api_expo_sample(w, name, NULL, 0, value);
}

void api_expo_rows(struct api_expo *w, const char *name, const char *type, const char *help,
		   const char *label, const struct api_expo_row *rows, size_t n_rows)
{
	api_expo_family(w, name, type, help);
	for (size_t i = 0; i < n_rows; i++)
		api_expo_sample(w, name, &(struct api_label){ label, rows[i].label_value }, 1,
				rows[i].value);
}

char *api_expo_take(struct api_expo *w, size_t *len)
{
	char *text = w->failed ? NULL : w->buf;
	if (w->failed)
		free(w->buf);
	else if (!text && reserve(w, 0))
		text = w->buf; /* nothing written: an empty exposition */
	*len = text ? w->len : 0;
	api_expo_init(w);
	return text;
}
