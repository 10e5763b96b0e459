/* Bounded FIFO of messages waiting for the broker. */
#include "cp/bus-pending.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int cp_bus_pending_init(struct cp_bus_pending *q, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->cap = cap;
	if (cap == 0)
		return 0;
	q->ring = calloc(cap, sizeof(*q->ring));
	return q->ring ? 0 : -ENOMEM;
}

struct cp_bus_msg *cp_bus_msg_new(const char *exchange, const char *routing_key,
				  const char *body, size_t len)
{
	size_t el = strlen(exchange) + 1, rl = strlen(routing_key) + 1;
	struct cp_bus_msg *m = malloc(sizeof(*m) + el + rl + len + 1);
	if (!m)
		return NULL;
	char *s = (char *)(m + 1);
	memcpy(s, exchange, el);
	m->exchange = s;
	memcpy(s + el, routing_key, rl);
	m->routing_key = s + el;
	memcpy(s + el + rl, body, len);
	s[el + rl + len] = '\0';
	m->body = s + el + rl;
	m->len = len;
	return m;
}

int cp_bus_pending_push(struct cp_bus_pending *q, struct cp_bus_msg *m)
{
	if (q->cap == 0) {
		q->dropped++;
		free(m);
		return -ENOSPC;
	}
	if (q->count == q->cap) {
		free(q->ring[q->head]);
		q->head = (q->head + 1) % q->cap;
		q->count--;
		q->dropped++;
	}
	q->ring[(q->head + q->count) % q->cap] = m;
	q->count++;
	return 0;
}

void cp_bus_pending_unpop(struct cp_bus_pending *q, struct cp_bus_msg *m)
{
	if (q->cap == 0 || q->count == q->cap) {
		q->dropped++;
		free(m);
		return;
	}
	q->head = (q->head + q->cap - 1) % q->cap;
	q->ring[q->head] = m;
	q->count++;
}

struct cp_bus_msg *cp_bus_pending_pop(struct cp_bus_pending *q)
{
	if (q->count == 0)
		return NULL;
	struct cp_bus_msg *m = q->ring[q->head];
	q->ring[q->head] = NULL;
	q->head = (q->head + 1) % q->cap;
	q->count--;
	return m;
}

void cp_bus_pending_free(struct cp_bus_pending *q)
{
	for (struct cp_bus_msg *m; (m = cp_bus_pending_pop(q)) != NULL;)
		free(m);
	free(q->ring);
	q->ring = NULL;
	q->cap = 0;
}
