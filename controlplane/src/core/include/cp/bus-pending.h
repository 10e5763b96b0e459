/* Messages kept while the bus is disconnected: a bounded FIFO that drops (and counts) the oldest
 * when full, so a long outage costs bounded memory and the newest state wins.
 * Return convention: 0 or a negative errno; pop returns a message or NULL.
 */
#ifndef CP_BUS_PENDING_H
#define CP_BUS_PENDING_H

#include <stddef.h>
#include <stdint.h>

struct cp_bus_msg {
	const char *exchange;	/* full exchange name */
	const char *routing_key;
	const char *body;
	size_t len;		/* one allocation holds the struct and the strings */
};

struct cp_bus_pending {
	struct cp_bus_msg **ring;
	size_t cap, head, count;
	uint64_t dropped;
};

int cp_bus_pending_init(struct cp_bus_pending *q, size_t cap);
struct cp_bus_msg *cp_bus_msg_new(const char *exchange, const char *routing_key,
				  const char *body, size_t len);
/* Takes ownership; drops the oldest when full. -ENOSPC (message freed) when cap is 0. */
int cp_bus_pending_push(struct cp_bus_pending *q, struct cp_bus_msg *m);
/* Put back at the front (a send failed); drops m if the queue refilled meanwhile. */
void cp_bus_pending_unpop(struct cp_bus_pending *q, struct cp_bus_msg *m);
struct cp_bus_msg *cp_bus_pending_pop(struct cp_bus_pending *q);
void cp_bus_pending_free(struct cp_bus_pending *q);

#endif
