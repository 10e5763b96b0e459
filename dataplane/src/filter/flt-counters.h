/* Reading the filter's counters (declared once in FLT_COUNTERS, flt-t.h). Counters are per
 * instance and written only by its lcore; the stats code sums them over the workers.
 *
 * Return convention: name/help return a string or NULL for an unknown counter; read returns
 * nothing.
 */
#ifndef BUGLE_FLT_COUNTERS_H
#define BUGLE_FLT_COUNTERS_H

#include <stdint.h>

#include "flt-t.h"

struct flt;

const char *flt_counter_name(enum flt_counter c);
const char *flt_counter_help(enum flt_counter c);

/* Safe from any thread: relaxed loads of single-writer counters. */
void flt_counters_read(const struct flt *f, uint64_t out[FLT_COUNTER_COUNT]);

#endif
