/* Ring targets (devices, users, groups) resolved to endpoints through the document interface.
 * Return convention: nothing to return; the result arrives through the callback.
 */
#ifndef BUGLE_CF_RESOLVE_H
#define BUGLE_CF_RESOLVE_H

#include "cf-endpoint.h"

enum cf_member_type { CF_MEMBER_DEVICE, CF_MEMBER_USER, CF_MEMBER_GROUP };

struct cf_member {
	enum cf_member_type type;
	char id[CF_ID_MAX];
	struct cf_ep_opts opts;	/* delay/timeout/weight given to each endpoint it yields */
};

/* err: 0, or a negative errno for faults (not for skipped members: see list->why). The callback
 * owns list (cf_ep_list_release). Endpoints come in member order; a user's devices in id order;
 * a group's members in the group's order. Groups nest at most max_group_depth deep. */
typedef void (*cf_resolve_fn)(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list);

void cf_resolve(struct cf_flow *f, const struct cf_member *members, size_t n, cf_resolve_fn cb,
		void *arg);

#endif
