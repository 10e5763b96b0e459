/* Stores CDR rows through the pg pool. While PostgreSQL is away rows wait in a bounded queue
 * (beyond the cap the oldest is dropped and counted) and are retried with a doubling delay;
 * a row PostgreSQL refuses is retried a few times, then dropped and counted. Each stored row
 * is announced on the bus (callevt exchange, routing key "cdr.<account>.<call-id>").
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CALLS_CDR_WRITER_H
#define CALLS_CDR_WRITER_H

#include "calls-cdr.h"

#include <stdint.h>
#include <uv.h>

struct cp_bus;
struct calls_cdr_writer;

struct calls_cdr_writer_stats {
	uint64_t stored, retried, dropped_queue_full, dropped_refused;
	uint64_t queued;		/* waiting now */
};

struct calls_cdr_writer *calls_cdr_writer_new(uv_loop_t *loop, struct cp_pg_pool *pg,
					      struct cp_bus *bus, unsigned queue_max);
/* Takes the row's strings (the row is left empty). */
int calls_cdr_writer_put(struct calls_cdr_writer *w, struct calls_cdr_row *row);
void calls_cdr_writer_stats(const struct calls_cdr_writer *w, struct calls_cdr_writer_stats *o);
/* Rows still queued are dropped (and logged); frees itself once libuv closed its timer and
 * the pool answered what is in flight. */
void calls_cdr_writer_close(struct calls_cdr_writer *w);

#endif
