/* A writer for the Prometheus text exposition format, version 0.0.4, into a caller's buffer.
 * Return convention: 0 or a negative errno (-EINVAL for a bad metric or label name, -ENOSPC when
 * the buffer is full; after -ENOSPC the writer stays full and every later call fails too).
 */
#ifndef BUGLE_OPS_EXPO_H
#define BUGLE_OPS_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum ops_metric_type { OPS_COUNTER, OPS_GAUGE };

struct ops_expo {
	char *buf;
	size_t cap;
	size_t len;		/* bytes written so far (never counts the NUL) */
	bool full;		/* a write did not fit: the exposition is truncated */
};

struct ops_label {
	const char *name;	/* [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" */
	const char *value;	/* any UTF-8; escaped on output */
};

void ops_expo_init(struct ops_expo *w, char *buf, size_t cap);

/* Metric names: [a-zA-Z_:][a-zA-Z0-9_:]*; label names as in struct ops_label. */
bool ops_expo_metric_name_ok(const char *name);
bool ops_expo_label_name_ok(const char *name);

/* "# HELP name help" (backslash and newline escaped) then "# TYPE name counter|gauge". A counter
 * family's name must end in "_total". Call once per family, before its samples. */
int ops_expo_family(struct ops_expo *w, const char *name, enum ops_metric_type type,
		    const char *help);

/* "name{l1="v1",...} value": label values escaped (backslash, double quote, newline). */
int ops_expo_sample(struct ops_expo *w, const char *name, const struct ops_label *labels,
		    size_t n_labels, uint64_t value);

#endif
