/* `response`: answers the INVITE with data.code (default 486, 100-699), data.message and an
 * optional early-media prompt data.media; the flow stops there. */
#include "cf-flow.h"
#include "cf-modules.h"
#include "cf-ring.h"

static void responded(struct cf_flow *f, void *arg, struct cf_result res)
{
	(void)arg;
	if (res.cause == CF_HANGUP)
		cf_flow_branch(f, res);
	else
		cf_flow_stop(f, CF_END_STOPPED, "responded");
}

void cf_mod_response_run(struct cf_flow *f, const json_t *data)
{
	unsigned code = cf_data_uint(data, "code", 486);

	if (code < 100 || code > 699) {
		cf_flow_stop(f, CF_END_ERROR, "response: code %u out of range", code);
		return;
	}
	cf_flow_respond(f, (int)code, json_string_value(json_object_get(data, "message")),
			json_string_value(json_object_get(data, "media")), responded, NULL);
}
