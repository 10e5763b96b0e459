/* Carrier gateways as bridge endpoints (CF_EP_GATEWAY): the B-leg INVITE to
 * sip:NUMBER@server:port through the data plane's edge (it routes by the Request-URI), the
 * account's outbound trunk taken first, and one retry with digest credentials when the
 * gateway answers 401/407.
 * Return convention: 0 or a negative errno; predicates return bool.
 *
 * Threading: the loop thread only.
 */
#ifndef CALL_GATEWAY_H
#define CALL_GATEWAY_H

#include "call-t.h"
#include "sip-stack-t.h"

#include <stdbool.h>

/* Sends the leg's INVITE (the caller holds a call reference for the leg's outcome, which
 * `final` then owns). On failure, or when the outbound trunks are full (the caller then gets
 * 503 with the limit's Reason and the call is over), the leg is marked done and the reference
 * dropped: the bridge goes on with check_done. */
void call_gateway_ring(struct call_bleg *b, csip_provisional_fn provisional,
		       csip_response_fn final);

/* A 401/407 to a gateway leg's INVITE: true when the INVITE went again with credentials (the
 * leg's transaction and the reference move to it), false when the answer stands. */
bool call_gateway_auth_retry(struct call_bleg *b, int status, const osip_message_t *resp,
			     csip_provisional_fn provisional, csip_response_fn final);

#endif
