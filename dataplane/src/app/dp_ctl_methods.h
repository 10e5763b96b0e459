/* The control-channel methods the data plane serves so far (Heartbeat, GetStats).
 * Return convention: the table getter returns its length; handlers return a bugle_dp_Status.
 */
#ifndef BUGLE_DP_CTL_METHODS_H
#define BUGLE_DP_CTL_METHODS_H

#include <stddef.h>

#include "ctl_server-t.h"

/* The methods to pass to dpctl_server_new with a struct dp_app * as ctx. */
size_t dp_ctl_methods(const struct dpctl_method **methods);

#endif
