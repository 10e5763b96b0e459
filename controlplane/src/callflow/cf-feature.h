/* Feature codes that change the caller's own device or user document (do_not_disturb,
 * call_forward): pick the document, edit a copy, save it through the document interface.
 * Return convention: edit functions return 0 or a negative errno; cf_feature_update returns
 * nothing (the flow goes on with "_", "failed" when the save failed or there is no caller
 * document, and stops with an error on bad data).
 */
#ifndef BUGLE_CF_FEATURE_H
#define BUGLE_CF_FEATURE_H

#include <jansson.h>
#include <stdbool.h>

struct cf_flow;

/* Edits doc (a copy) for data; -EINVAL when data makes no sense. */
typedef int (*cf_feature_edit)(struct cf_flow *f, const json_t *data, json_t *doc);

/* data.scope "user" edits the caller's owner, otherwise the calling device. */
void cf_feature_update(struct cf_flow *f, const json_t *data, const char *what,
		       cf_feature_edit edit);

/* "activate" -> true, "deactivate" -> false, "toggle" -> !current; -EINVAL otherwise. */
int cf_feature_switch(const char *action, bool current, bool *out);

#endif
