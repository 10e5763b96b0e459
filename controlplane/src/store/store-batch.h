/* Group commit for document creation: creates that arrive while enough of them are already in
 * flight wait, and go to PostgreSQL together as one statement, so one commit (one WAL flush)
 * serves many requests. Nothing is answered before its commit: durability is unchanged, only
 * the number of flushes per request drops. An idle server sends each create at once, alone.
 * Return convention: creators return a pointer or NULL; store_batch_doc_create as the store's
 * asynchronous calls (0 and the callback runs once later, or a negative errno and it never
 * runs); the rest return nothing.
 *
 * Threading: the loop thread only, like the pool.
 */
#ifndef STORE_BATCH_H
#define STORE_BATCH_H

#include "store.h"

struct store_batcher;

struct store_batch_stats {
	uint64_t statements;	/* INSERT statements sent (a single create is one too) */
	uint64_t rows;		/* creates sent */
	uint64_t retried_alone;	/* creates re-sent one by one after their group failed */
	unsigned largest;	/* most creates in one statement */
};

/* max_inflight: create statements in flight at once before further creates wait and group
 * (keep it under the pool size so reads still find a connection); max_group: creates in one
 * statement. */
struct store_batcher *store_batcher_new(struct cp_pg_pool *pg, unsigned max_inflight,
					unsigned max_group);
/* Only once nothing is in flight or waiting (the caller counts its own calls). */
void store_batcher_free(struct store_batcher *b);

/* store_doc_create through the batcher: same row, same errors. data is referenced, not
 * copied, until the callback. */
int store_batch_doc_create(struct store_batcher *b, const char *account_id, const char *type,
			   const char *id, json_t *data, store_cb cb, void *arg);

void store_batcher_stats(const struct store_batcher *b, struct store_batch_stats *out);

#endif
