/* Apply hooks of the data plane's reloadable settings: the code that pushes a changed value to
 * the part that uses it. Return convention: the table getter returns its length.
 */
#ifndef BUGLE_OPS_DP_HOOKS_H
#define BUGLE_OPS_DP_HOOKS_H

#include <stddef.h>

#include "ops_settings.h"

struct edge_dp;

/* Hooks whose ctx is the struct edge_dp (may be NULL: the filter hooks then do nothing). */
size_t ops_dp_hooks(const struct ops_setting_hook **hooks);

#endif
