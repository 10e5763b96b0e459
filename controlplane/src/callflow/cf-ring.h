/* Ringing a resolved endpoint list and branching on how it ended (device, user, ring_group).
 * Return convention: nothing to return; the flow continues through cf_flow_branch().
 */
#ifndef BUGLE_CF_RING_H
#define BUGLE_CF_RING_H

#include "cf-endpoint.h"

/* Takes list. Its call forwards are expanded first (cf-forward.h). No endpoints left: branches on list->why (FAILED/404 when nothing was said). Rings up
 * to `repeats` times (>= 1) while the result is NO_ANSWER. */
void cf_ring(struct cf_flow *f, struct cf_ep_list *list, enum cf_strategy strategy,
	     unsigned timeout_s, unsigned repeats);

/* An unsigned member of data (integers >= 0 only), else dflt. */
unsigned cf_data_uint(const json_t *data, const char *key, unsigned dflt);
bool cf_data_bool(const json_t *data, const char *key, bool dflt);

#endif
