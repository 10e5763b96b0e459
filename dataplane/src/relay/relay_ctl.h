/* Control-channel handlers of the session methods (offer, answer, update, delete, query): they
 * decode the request, call relay_session_*, and encode the SessionReply. The data plane wraps
 * them in its method table with its struct relay as r.
 * Return convention: a bugle_dp_Status (0 = OK), with a reason in err otherwise.
 */
#ifndef BUGLE_RELAY_CTL_H
#define BUGLE_RELAY_CTL_H

#include <stddef.h>
#include <stdint.h>

#include "relay-t.h"

#define RELAY_CTL_HANDLER(name)                                                                   \
	int name(struct relay *r, const uint8_t *req, size_t req_len, uint8_t *resp,            \
		 size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)

RELAY_CTL_HANDLER(relay_ctl_offer);
RELAY_CTL_HANDLER(relay_ctl_answer);
RELAY_CTL_HANDLER(relay_ctl_update);
RELAY_CTL_HANDLER(relay_ctl_delete);
RELAY_CTL_HANDLER(relay_ctl_query);

#endif
