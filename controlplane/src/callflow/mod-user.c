/* `user`: rings every device the user owns (data: id, timeout, delay); the user's own
 * enabled, do_not_disturb and call_forward override the devices'. Branches: the bridge result. */
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"
#include "cf-resolve.h"
#include "cf-ring.h"

static void resolved(struct cf_flow *f, void *arg, int err, struct cf_ep_list *list)
{
	unsigned timeout = (unsigned)(uintptr_t)arg;

	if (err) {
		cf_ep_list_release(list);
		cf_flow_stop(f, CF_END_ERROR, "user: documents unavailable (%d)", err);
		return;
	}
	cf_ring(f, list, CF_STRATEGY_SIMULTANEOUS, timeout, 1);
}

void cf_mod_user_run(struct cf_flow *f, const json_t *data)
{
	struct cf_member m = {.type = CF_MEMBER_USER};
	const char *id = json_string_value(json_object_get(data, "id"));

	if (!id || cf_copy(m.id, sizeof(m.id), id) != 0) {
		cf_flow_stop(f, CF_END_ERROR, "user: data.id missing");
		return;
	}
	m.opts.direct = true;
	m.opts.timeout_s = cf_data_uint(data, "timeout", 20);
	m.opts.delay_s = cf_data_uint(data, "delay", 0);
	cf_resolve(f, &m, 1, resolved, (void *)(uintptr_t)m.opts.timeout_s);
}
