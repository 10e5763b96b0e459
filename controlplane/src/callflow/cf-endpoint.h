/* Endpoints from device and user documents: enabled, do_not_disturb, call_forward,
 * call_restriction on forwards, caller id and media preferences.
 * Return convention: 0 or a negative errno.
 */
#ifndef BUGLE_CF_ENDPOINT_H
#define BUGLE_CF_ENDPOINT_H

#include <jansson.h>
#include <stdbool.h>

#include "cf-call-t.h"

struct cf_flow;

struct cf_ep_list {
	struct cf_endpoint *v;
	size_t n, cap;
	/* Why a member gave no endpoint (the worst seen): DND -> BUSY/486, disabled -> FAILED/404,
	 * unknown document -> FAILED/404. CF_OK while nothing was skipped. */
	struct cf_result why;
};

struct cf_ep_opts {
	bool direct;		/* the call targets this device/user itself (not via a group) */
	bool ignore_forward;	/* ring groups may ask to ring the device, not its forward */
	unsigned delay_s, timeout_s, weight;
};

void cf_ep_list_release(struct cf_ep_list *l);
int cf_ep_list_push(struct cf_ep_list *l, const struct cf_endpoint *ep);
/* Notes a skipped member: keeps the most telling reason (busy beats failed). */
void cf_ep_list_skip(struct cf_ep_list *l, struct cf_result why);

/* Appends what one device yields for this call (none, itself, its forward, or both). user is
 * the device's owner (may be NULL): its enabled, do_not_disturb and call_forward override the
 * device's when it sets them. */
int cf_endpoints_from_device(struct cf_flow *f, const json_t *device, const json_t *user,
			     const struct cf_ep_opts *o, struct cf_ep_list *out);

#endif
