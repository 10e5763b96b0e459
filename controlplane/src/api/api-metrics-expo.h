/* A writer of the Prometheus text exposition format 0.0.4 into a growing buffer, for the
 * control plane's /metrics. Names follow the data plane's exporter: counters end in _total,
 * what differs between samples of a family goes in labels.
 * Return convention: none; a failed allocation marks the writer failed (api_expo_take then
 * returns NULL) and every later call does nothing.
 */
#ifndef API_METRICS_EXPO_H
#define API_METRICS_EXPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct api_expo {
	char *buf;
	size_t len, cap;
	bool failed;
};

/* One label of a sample; the value is escaped on output. */
struct api_label {
	const char *name;
	const char *value;
};

void api_expo_init(struct api_expo *w);
/* "# HELP" and "# TYPE" lines; type is "counter", "gauge" or "histogram". */
void api_expo_family(struct api_expo *w, const char *name, const char *type, const char *help);
void api_expo_sample(struct api_expo *w, const char *name, const struct api_label *labels,
		     size_t n_labels, uint64_t value);
void api_expo_sample_double(struct api_expo *w, const char *name,
			    const struct api_label *labels, size_t n_labels, double value);
/* A family with its one unlabelled sample. */
void api_expo_counter(struct api_expo *w, const char *name, const char *help, uint64_t value);
void api_expo_gauge(struct api_expo *w, const char *name, const char *help, uint64_t value);
/* One sample of a family whose samples differ in one label: that label's value and the count. */
struct api_expo_row {
	const char *label_value;
	uint64_t value;
};
/* A family of the given type with one sample per row, labelled label="row's label_value". */
void api_expo_rows(struct api_expo *w, const char *name, const char *type, const char *help,
		   const char *label, const struct api_expo_row *rows, size_t n_rows);
/* The text (caller frees) and its length; NULL when a write failed. The writer is reset. */
char *api_expo_take(struct api_expo *w, size_t *len);

#endif
