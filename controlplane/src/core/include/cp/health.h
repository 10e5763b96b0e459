/* Dependency health: register a dependency, report up/down, render as JSON, write the status
 * file (atomically, by rename) whenever something changes.
 * Return convention: 0, an index, or a negative errno; cp_health_json returns a string or NULL.
 */
#ifndef CP_HEALTH_H
#define CP_HEALTH_H

#include "cp/health-t.h"

#include <stdbool.h>

void cp_health_init(struct cp_health *h, const char *node, const char *status_file);

/* Index of the new dependency (down until reported), or -ENOSPC. */
int cp_health_register(struct cp_health *h, const char *name);

/* Report a state; logs and rewrites the status file when the state changes. err may be NULL. */
void cp_health_report(struct cp_health *h, int dep, bool up, const char *err);

/* The status document; free() it. */
char *cp_health_json(const struct cp_health *h);

int cp_health_write_file(struct cp_health *h);

#endif
