/* Outstanding calls of one client: a fixed table indexed by request id, threaded on a list
 * ordered by deadline so one timer serves every timeout.
 *
 * Return convention: dpc_pending_init() returns 0 or a negative errno; lookups return a pointer
 * or NULL.
 */
#ifndef BUGLE_CP_DPCLIENT_PENDING_H
#define BUGLE_CP_DPCLIENT_PENDING_H

#include <stdint.h>

#include "dpclient-t.h"

#define DPC_PENDING_NONE UINT32_MAX

struct dpc_pending {
	uint64_t id;		/* 0 = free slot */
	uint64_t deadline_ms;
	Bugle__Dp__Method method;
	dpclient_reply_fn cb;
	void *arg;
	uint32_t prev, next;	/* deadline order */
};

struct dpc_pending_table {
	struct dpc_pending *slots;
	uint32_t cap;
	uint32_t count;
	uint32_t head, tail;	/* earliest / latest deadline */
};

int dpc_pending_init(struct dpc_pending_table *t, uint32_t cap);
void dpc_pending_destroy(struct dpc_pending_table *t);

/* A free slot for a new call whose id is >= *next_id; sets *next_id past it. NULL when full. */
struct dpc_pending *dpc_pending_add(struct dpc_pending_table *t, uint64_t *next_id,
				    uint64_t deadline_ms);
struct dpc_pending *dpc_pending_find(struct dpc_pending_table *t, uint64_t id);
void dpc_pending_remove(struct dpc_pending_table *t, struct dpc_pending *p);
/* The call with the earliest deadline, or NULL. */
struct dpc_pending *dpc_pending_first(struct dpc_pending_table *t);

#endif
