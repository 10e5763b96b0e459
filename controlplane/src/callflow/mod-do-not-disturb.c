/* `do_not_disturb` (feature code): data.action activate|deactivate|toggle on the caller's
 * device (or data.scope "user": its owner) do_not_disturb.enabled. */
#include <errno.h>

#include "cf-feature.h"
#include "cf-flow.h"
#include "cf-modules.h"

static int edit(struct cf_flow *f, const json_t *data, json_t *doc)
{
	json_t *dnd = json_object_get(doc, "do_not_disturb");
	bool now;

	(void)f;
	if (!json_is_object(dnd)) {
		dnd = json_object();
		if (!dnd || json_object_set_new(doc, "do_not_disturb", dnd) != 0)
			return -ENOMEM;
	}
	if (cf_feature_switch(json_string_value(json_object_get(data, "action")),
			      json_is_true(json_object_get(dnd, "enabled")), &now) != 0)
		return -EINVAL;
	return json_object_set_new(dnd, "enabled", json_boolean(now)) ? -ENOMEM : 0;
}

void cf_mod_dnd_run(struct cf_flow *f, const json_t *data)
{
	cf_feature_update(f, data, "do_not_disturb", edit);
}
