/* `prepend_cid`: data.action "prepend" (default) puts caller_id_name_prefix /
 * caller_id_number_prefix before the caller id; "reset" restores the caller id the call came
 * with. Continues with "_". */
#include <stdio.h>
#include <string.h>

#include "cf-flow.h"
#include "cf-modules.h"

void cf_mod_prepend_cid_run(struct cf_flow *f, const json_t *data)
{
	const char *action = json_string_value(json_object_get(data, "action"));
	const char *np = json_string_value(json_object_get(data, "caller_id_name_prefix"));
	const char *up = json_string_value(json_object_get(data, "caller_id_number_prefix"));
	struct cf_caller_id cid;

	if (action && strcmp(action, "reset") == 0) {
		cid = f->received;
	} else {
		cid = f->caller;
		snprintf(cid.name, sizeof(cid.name), "%s%s", np ? np : "", f->caller.name);
		snprintf(cid.number, sizeof(cid.number), "%s%s", up ? up : "", f->caller.number);
	}
	cf_flow_set_caller_id(f, &cid);
	cf_flow_next(f, "_");
}
