/* Allow-list compilation; see allow-list.h. */
#include "allow-list.h"

#include <errno.h>
#include <string.h>

int flt_allow_list_build(struct flt_allow_list *al, const struct flt_cidr *cidrs, uint32_t count)
{
	memset(al, 0, sizeof(*al));
	if (count > FLT_ALLOW_MAX)
		return -EINVAL;
	for (uint32_t i = 0; i < count; i++) {
		if (cidrs[i].prefix > 32) {
			memset(al, 0, sizeof(*al));
			return -EINVAL;
		}
		al->mask[i] = flt_prefix_mask(cidrs[i].prefix);
		al->net[i] = cidrs[i].addr & al->mask[i];
	}
	al->count = count;
	return 0;
}
