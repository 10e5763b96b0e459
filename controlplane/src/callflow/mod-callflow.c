/* `callflow`: jumps to another callflow (data.id); counted by the loop guard. */
#include "cf-flow.h"
#include "cf-modules.h"

static void got_callflow(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	(void)arg;
	if (err) {
		cf_flow_stop(f, CF_END_ERROR, "callflow: target unavailable (%d)", err);
		return;
	}
	cf_flow_jump(f, doc);
}

void cf_mod_callflow_run(struct cf_flow *f, const json_t *data)
{
	const char *id = json_string_value(json_object_get(data, "id"));

	if (!id) {
		cf_flow_stop(f, CF_END_ERROR, "callflow: data.id missing");
		return;
	}
	cf_flow_load(f, id, got_callflow, NULL);
}
