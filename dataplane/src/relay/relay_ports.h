/* The public RTP port allocator: even RTP ports from the configured range, RTCP = RTP + 1.
 * Return convention: 0 or a negative errno; relay_ports_alloc returns a port or 0.
 * Main lcore only.
 */
#ifndef BUGLE_RELAY_PORTS_H
#define BUGLE_RELAY_PORTS_H

#include "relay-t.h"

/* Even RTP ports whose RTCP port (+1) is still in [min, max]. -EINVAL when there is none. */
int relay_ports_init(struct relay_ports *p, uint16_t min, uint16_t max);
void relay_ports_fini(struct relay_ports *p);
/* An RTP port, or 0 when every pair is taken. */
uint16_t relay_ports_alloc(struct relay_ports *p);
/* -EINVAL for a port that is not an RTP port of the range. */
int relay_ports_free(struct relay_ports *p, uint16_t port);
/* Index of the pair an RTP or RTCP port belongs to, or -1 outside the range. */
static inline int32_t relay_ports_pair(const struct relay_ports *p, uint16_t port)
{
	uint32_t off = (uint32_t)port - p->base;
	if (port < p->base || off / 2 >= p->n_pairs)
		return -1;
	return (int32_t)(off / 2);
}

#endif
