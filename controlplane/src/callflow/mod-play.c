/* `play`: plays media data.id to the caller, then continues with "_" (a caller hanging up
 * stops the flow). */
#include "cf-flow.h"
#include "cf-modules.h"

static void played(struct cf_flow *f, void *arg, struct cf_result res)
{
	(void)arg;
	if (res.cause == CF_HANGUP)
		cf_flow_branch(f, res);
	else
		cf_flow_next(f, "_");
}

void cf_mod_play_run(struct cf_flow *f, const json_t *data)
{
	const char *id = json_string_value(json_object_get(data, "id"));

	if (!id || !*id) {
		cf_flow_stop(f, CF_END_ERROR, "play: data.id missing");
		return;
	}
	cf_flow_play(f, id, played, NULL);
}
