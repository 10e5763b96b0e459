/* What the call module shows the rest of the daemon (the API's /metrics).
 * Return convention: true when the call module runs, false otherwise (out untouched).
 *
 * Threading: the loop thread.
 */
#ifndef MOD_CALL_H
#define MOD_CALL_H

#include "call-t.h"

#include <stdbool.h>

/* The running controller's counters and live calls. */
bool call_module_counters(struct call_counters *out);

#endif
