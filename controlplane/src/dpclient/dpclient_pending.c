/* Pending-call table: O(1) lookup by id (slot = id % cap), deadline list kept sorted by
 * inserting from the tail, where calls with the usual timeout land. */
#include "dpclient_pending.h"

#include <errno.h>
#include <stdlib.h>

int dpc_pending_init(struct dpc_pending_table *t, uint32_t cap)
{
	if (cap == 0)
		return -EINVAL;
	t->slots = calloc(cap, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->cap = cap;
	t->count = 0;
	t->head = DPC_PENDING_NONE;
	t->tail = DPC_PENDING_NONE;
	return 0;
}

void dpc_pending_destroy(struct dpc_pending_table *t)
{
	free(t->slots);
	t->slots = NULL;
}

static void link_by_deadline(struct dpc_pending_table *t, uint32_t idx)
{
	struct dpc_pending *p = &t->slots[idx];
	uint32_t after = t->tail;

	while (after != DPC_PENDING_NONE && t->slots[after].deadline_ms > p->deadline_ms)
		after = t->slots[after].prev;
	p->prev = after;
	p->next = after == DPC_PENDING_NONE ? t->head : t->slots[after].next;
	if (p->next == DPC_PENDING_NONE)
		t->tail = idx;
	else
		t->slots[p->next].prev = idx;
	if (after == DPC_PENDING_NONE)
		t->head = idx;
	else
		t->slots[after].next = idx;
}

struct dpc_pending *dpc_pending_add(struct dpc_pending_table *t, uint64_t *next_id,
				    uint64_t deadline_ms)
{
	if (t->count == t->cap)
		return NULL;
	for (uint32_t probe = 0; probe < t->cap; probe++) {
		uint64_t id = *next_id + probe;
		uint32_t idx;

		if (id == 0)	/* 0 marks a free slot and an event; never a request id */
			continue;
		idx = (uint32_t)(id % t->cap);
		if (t->slots[idx].id != 0)
			continue;
		*next_id = id + 1;
		t->slots[idx] = (struct dpc_pending){ .id = id, .deadline_ms = deadline_ms };
		link_by_deadline(t, idx);
		t->count++;
		return &t->slots[idx];
	}
	return NULL;
}

struct dpc_pending *dpc_pending_find(struct dpc_pending_table *t, uint64_t id)
{
	struct dpc_pending *p;

	if (id == 0)
		return NULL;
	p = &t->slots[id % t->cap];
	return p->id == id ? p : NULL;
}

void dpc_pending_remove(struct dpc_pending_table *t, struct dpc_pending *p)
{
	if (p->prev == DPC_PENDING_NONE)
		t->head = p->next;
	else
		t->slots[p->prev].next = p->next;
	if (p->next == DPC_PENDING_NONE)
		t->tail = p->prev;
	else
		t->slots[p->next].prev = p->prev;
	p->id = 0;
	t->count--;
}

struct dpc_pending *dpc_pending_first(struct dpc_pending_table *t)
{
	return t->head == DPC_PENDING_NONE ? NULL : &t->slots[t->head];
}
