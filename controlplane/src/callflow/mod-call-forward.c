/* `call_forward` (feature code): data.action activate|deactivate|toggle|update on the caller's
 * device (or data.scope "user": its owner) call_forward. The number is data.number, else the
 * first capture of the matched pattern (e.g. ^\*72(\d+)$); activate and update need one unless
 * the document already has one. */
#include <errno.h>
#include <string.h>

#include "cf-feature.h"
#include "cf-flow.h"
#include "cf-modules.h"

static int edit(struct cf_flow *f, const json_t *data, json_t *doc)
{
	const char *action = json_string_value(json_object_get(data, "action"));
	const char *num = json_string_value(json_object_get(data, "number"));
	json_t *cfw = json_object_get(doc, "call_forward");
	bool on = false;

	if (!num && f->n_captures > 0 && f->captures[0][0])
		num = f->captures[0];
	if (!json_is_object(cfw)) {
		cfw = json_object();
		if (!cfw || json_object_set_new(doc, "call_forward", cfw) != 0)
			return -ENOMEM;
	}
	if (num && (strlen(num) > 35 || strspn(num, "+#0123456789") != strlen(num)))
		return -EINVAL;	/* what the schema allows for call_forward.number */
	if (num && json_object_set_new(cfw, "number", json_string(num)) != 0)
		return -ENOMEM;
	if (action && strcmp(action, "update") == 0)
		return 0;
	if (cf_feature_switch(action, json_is_true(json_object_get(cfw, "enabled")), &on) != 0)
		return -EINVAL;
	if (on && !json_string_length(json_object_get(cfw, "number")))
		return -EINVAL;
	return json_object_set_new(cfw, "enabled", json_boolean(on)) ? -ENOMEM : 0;
}

void cf_mod_call_forward_run(struct cf_flow *f, const json_t *data)
{
	cf_feature_update(f, data, "call_forward", edit);
}
