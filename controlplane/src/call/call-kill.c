/* Ending a call from outside SIP: DELETE .../channels/{id} (through the calls service's hangup
 * hook) and `buglectl calls kill`. An answered call gets BYEs on both legs, with a Reason
 * header saying an operator ended it; a call still ringing gets 480 and its callees are
 * cancelled. */
#include "call-int.h"

#include <errno.h>
#include <string.h>

int call_ctl_hangup(void *arg, const char *account_id, const char *call_id)
{
	struct call_ctl *ctl = arg;
	struct call_bleg *leg = NULL;
	struct call *call = call_find(ctl, call_id, &leg);
	if (!call || (account_id && strcmp(call->account_id, account_id) != 0))
		return -ENOENT;
	switch (call->a_state) {
	case CALL_A_ANSWERED:
		ctl->c.killed++;
		call->killed = true;
		call_hangup_answered(call);
		return 0;
	case CALL_A_ROUTING:
		ctl->c.killed++;
		call_a_respond(call, 480, "Temporarily Unavailable", NULL);
		call_bridge_caller_gone(call);
		call_maybe_retire(call);
		return 0;
	default:
		return -ENOENT; /* authenticating, or already over */
	}
}
