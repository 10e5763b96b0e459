/* Allow-list of trusted carrier networks (IPv4 addresses and CIDRs), compiled to (network, mask)
 * pairs so that a lookup is one AND and one compare per entry, with no branch per entry.
 *
 * Built by the owning lcore when a policy is applied; read-only on the fast path.
 *
 * Return convention: build returns 0 or a negative errno; match returns true on a hit.
 */
#ifndef BUGLE_FLT_ALLOW_LIST_H
#define BUGLE_FLT_ALLOW_LIST_H

#include <stdbool.h>
#include <stdint.h>

#include "flt-t.h"

struct flt_allow_list {
	uint32_t net[FLT_ALLOW_MAX];
	uint32_t mask[FLT_ALLOW_MAX];
	uint32_t count;
};

static inline uint32_t flt_prefix_mask(uint8_t prefix)
{
	return prefix == 0 ? 0 : ~0u << (32 - prefix);
}

int flt_allow_list_build(struct flt_allow_list *al, const struct flt_cidr *cidrs, uint32_t count);

static inline bool flt_allow_list_match(const struct flt_allow_list *al, uint32_t ip)
{
	unsigned hit = 0;

	for (uint32_t i = 0; i < al->count; i++)
		hit |= (ip & al->mask[i]) == al->net[i];
	return hit != 0;
}

#endif
