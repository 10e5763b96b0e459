/* Internal to the callflow library: every module's entry point and the table that names them.
 * Return convention: cf_module_find returns a pointer or NULL; run functions return nothing
 * (they end the node through cf-flow.h).
 */
#ifndef BUGLE_CF_MODULES_H
#define BUGLE_CF_MODULES_H

#include <stddef.h>

#include "cf-module-t.h"

const struct cf_module *cf_module_find(const char *name);
/* The table itself, for listings (n receives its length). */
const struct cf_module *cf_module_table(size_t *n);

void cf_mod_device_run(struct cf_flow *f, const json_t *data);
void cf_mod_user_run(struct cf_flow *f, const json_t *data);
void cf_mod_ring_group_run(struct cf_flow *f, const json_t *data);
void cf_mod_resources_run(struct cf_flow *f, const json_t *data);
void cf_mod_set_cid_run(struct cf_flow *f, const json_t *data);
void cf_mod_prepend_cid_run(struct cf_flow *f, const json_t *data);
void cf_mod_check_cid_run(struct cf_flow *f, const json_t *data);
void cf_mod_temporal_route_run(struct cf_flow *f, const json_t *data);
void cf_mod_callflow_run(struct cf_flow *f, const json_t *data);
void cf_mod_branch_variable_run(struct cf_flow *f, const json_t *data);
void cf_mod_response_run(struct cf_flow *f, const json_t *data);
void cf_mod_dnd_run(struct cf_flow *f, const json_t *data);
void cf_mod_call_forward_run(struct cf_flow *f, const json_t *data);
void cf_mod_play_run(struct cf_flow *f, const json_t *data);

#endif
