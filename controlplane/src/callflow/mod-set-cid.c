/* `set_cid`: presents data.caller_id_name / caller_id_number from now on (either may be
 * absent: that part stays). Continues with "_". */
#include "cf-flow.h"
#include "cf-modules.h"

void cf_mod_set_cid_run(struct cf_flow *f, const json_t *data)
{
	struct cf_caller_id cid = f->caller;
	const char *name = json_string_value(json_object_get(data, "caller_id_name"));
	const char *num = json_string_value(json_object_get(data, "caller_id_number"));

	if (name)
		cf_copy(cid.name, sizeof(cid.name), name);
	if (num)
		cf_copy(cid.number, sizeof(cid.number), num);
	cf_flow_set_caller_id(f, &cid);
	cf_flow_next(f, "_");
}
