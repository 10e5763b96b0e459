/* The save path shared by feature-code modules. */
#include "cf-feature.h"

#include <errno.h>
#include <string.h>

#include "cf-flow.h"

int cf_feature_switch(const char *action, bool current, bool *out)
{
	if (!action)
		return -EINVAL;
	if (strcmp(action, "activate") == 0)
		*out = true;
	else if (strcmp(action, "deactivate") == 0)
		*out = false;
	else if (strcmp(action, "toggle") == 0)
		*out = !current;
	else
		return -EINVAL;
	return 0;
}

static void saved(struct cf_flow *f, void *arg, int err, json_t *doc)
{
	json_t **slot = arg;

	if (err) {
		cf_flow_next(f, "failed");
		return;
	}
	/* later modules (branch_variable, device) see the new settings */
	json_decref(*slot);
	*slot = doc;
	cf_flow_next(f, "_");
}

void cf_feature_update(struct cf_flow *f, const json_t *data, const char *what,
		       cf_feature_edit edit)
{
	const char *scope = json_string_value(json_object_get(data, "scope"));
	bool user = scope && strcmp(scope, "user") == 0;
	json_t **slot = user ? &f->caller_user : &f->caller_device;
	const char *id = json_string_value(json_object_get(*slot, "id"));
	json_t *copy;
	int rc;

	if (!*slot || !id) {
		cf_flow_next(f, "failed");
		return;
	}
	copy = json_deep_copy(*slot);
	if (!copy) {
		cf_flow_stop(f, CF_END_ERROR, "out of memory");
		return;
	}
	rc = edit(f, data, copy);
	if (rc) {
		json_decref(copy);
		cf_flow_stop(f, CF_END_ERROR, "%s: bad data (%d)", what, rc);
		return;
	}
	cf_flow_save(f, id, copy, saved, slot);
	json_decref(copy);
}
