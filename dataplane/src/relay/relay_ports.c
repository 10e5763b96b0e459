/* A ring of free pair indexes: allocation takes from the head, release appends at the tail. */
#include "relay_ports.h"

#include <errno.h>
#include <stdlib.h>

int relay_ports_init(struct relay_ports *p, uint16_t min, uint16_t max)
{
	uint32_t base = ((uint32_t)min + 1) & ~1u;
	p->ring = NULL;
	if (min == 0 || max < min || base + 1 > max)
		return -EINVAL;
	p->base = (uint16_t)base;
	p->n_pairs = ((uint32_t)max - base + 1) / 2;
	p->ring = calloc(p->n_pairs, sizeof(*p->ring));
	if (!p->ring)
		return -ENOMEM;
	for (uint32_t i = 0; i < p->n_pairs; i++)
		p->ring[i] = i;
	p->head = 0;
	p->count = p->n_pairs;
	return 0;
}

void relay_ports_fini(struct relay_ports *p)
{
	free(p->ring);
	p->ring = NULL;
	p->count = 0;
}

uint16_t relay_ports_alloc(struct relay_ports *p)
{
	if (p->count == 0)
		return 0;
	uint32_t pair = p->ring[p->head];
	p->head = (p->head + 1) % p->n_pairs;
	p->count--;
	return (uint16_t)(p->base + 2 * pair);
}

int relay_ports_free(struct relay_ports *p, uint16_t port)
{
	int32_t pair = relay_ports_pair(p, port);
	if (pair < 0 || (port - p->base) % 2 != 0 || p->count >= p->n_pairs)
		return -EINVAL;
	p->ring[(p->head + p->count) % p->n_pairs] = (uint32_t)pair;
	p->count++;
	return 0;
}
