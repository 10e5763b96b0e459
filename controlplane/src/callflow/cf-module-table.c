/* The one table of callflow modules: a new module adds one line here and one file. */
#include "cf-modules.h"

#include <string.h>

static const struct cf_module modules[] = {
	{"branch_variable", cf_mod_branch_variable_run},
	{"call_forward", cf_mod_call_forward_run},
	{"callflow", cf_mod_callflow_run},
	{"check_cid", cf_mod_check_cid_run},
	{"device", cf_mod_device_run},
	{"do_not_disturb", cf_mod_dnd_run},
	{"offnet", cf_mod_resources_run},
	{"play", cf_mod_play_run},
	{"prepend_cid", cf_mod_prepend_cid_run},
	{"resources", cf_mod_resources_run},
	{"response", cf_mod_response_run},
	{"ring_group", cf_mod_ring_group_run},
	{"set_cid", cf_mod_set_cid_run},
	{"temporal_route", cf_mod_temporal_route_run},
	{"user", cf_mod_user_run},
};

const struct cf_module *cf_module_find(const char *name)
{
	for (size_t i = 0; i < sizeof(modules) / sizeof(modules[0]); i++)
		if (strcmp(modules[i].name, name) == 0)
			return &modules[i];
	return NULL;
}

const struct cf_module *cf_module_table(size_t *n)
{
	*n = sizeof(modules) / sizeof(modules[0]);
	return modules;
}
