/* The call controller: a B2BUA that takes INVITE/ACK/CANCEL/BYE from the SIP node, routes each
 * call through the callflow engine and bridges it to callees with media on the data plane.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CALL_CTL_H
#define CALL_CTL_H

#include "call-t.h"

#include <osipparser2/osip_message.h>

struct call_ctl_options {
	uv_loop_t *loop;
	struct csip_stack *stack;	/* borrowed: the SIP node's */
	struct cp_pg_pool *pg;		/* borrowed */
	struct dpclient *dp;		/* borrowed; NULL: every bridge fails (no media) */
	const char *listen;		/* the node's sip.listen, for our Contact */
	unsigned nonce_ttl_s;
	const struct cf_config *engine;	/* NULL: cf_config_default() */
	struct calls_service *events;	/* borrowed; NULL: no call events */
	const bool *draining;		/* borrowed; true: new INVITEs get 503 */
};

struct call_ctl *call_ctl_new(const struct call_ctl_options *o);

/* Ends every call (final answers and BYEs while the stack can still send) and frees the
 * controller once the last call has let go; the engine must see no more calls after this. */
void call_ctl_close(struct call_ctl *c);

/* The SIP node's call hook (struct csip_call_handler): arg is the controller. */
void call_ctl_on_request(void *arg, struct csip_tx *tx, osip_message_t *req);
void call_ctl_on_ack(void *arg, const osip_message_t *ack);

/* The calls service's hangup hook (calls_hangup_fn): arg is the controller. Ends the call
 * whose caller or callee leg has call_id, if it belongs to account_id (NULL: any account).
 * 0, or -ENOENT when no such live call. */
int call_ctl_hangup(void *arg, const char *account_id, const char *call_id);

void call_ctl_counters(const struct call_ctl *c, struct call_counters *out);

#endif
