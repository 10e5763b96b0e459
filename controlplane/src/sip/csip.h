/* The control plane's SIP node: the stack, the request router and the registrar put together
 * from a configuration (what the sip module runs; tests build one the same way).
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: the loop thread.
 */
#ifndef CSIP_H
#define CSIP_H

#include "cp/sip-config-t.h"
#include "registrar.h"
#include "sip-stack.h"

#include <uv.h>

struct cp_pg_pool;
struct cp_bus;

/* The call controller's hook (controlplane/src/call): it takes INVITE, BYE and CANCEL from the
 * router and the ACKs for 2xx that match no transaction. Unset: 501 and stray ACKs. */
struct csip_call_handler {
	csip_request_fn on_request;
	csip_ack_fn on_ack;
	void *arg;
};

struct csip_node {
	struct csip_config cfg;			/* RO after new */
	struct csip_stack *stack;
	struct csip_registrar *registrar;
	uint64_t options_answered;
	uint64_t not_implemented;
	struct csip_call_handler call;		/* set by the call module before start */
};

struct csip_node_options {
	const struct csip_config *cfg;
	struct cp_pg_pool *pg;
	struct cp_bus *bus;			/* NULL: no events */
	const char *node;
	const char *dp_control;
	/* NULL: datagrams go to the socket (see csip_stack_options.send). */
	int (*send)(void *send_arg, const char *buf, size_t len, const struct sockaddr_in *to);
	void *send_arg;
	/* NULL: the wall clock (seconds) for nonces and failure windows; tests move time. */
	uint64_t (*now_s)(void *now_arg);
	void *now_arg;
};

struct csip_node *csip_node_new(uv_loop_t *loop, const struct csip_node_options *o);
int csip_node_start(struct csip_node *n);
/* Closes the stack and registrar (they free themselves when libuv and the store are done) and
 * frees the node. NULL is a no-op. */
void csip_node_close(struct csip_node *n);

/* The router: one row per method with a handler (else 501). */
void csip_route_request(void *node, struct csip_tx *tx, osip_message_t *req);
/* ACKs matching no transaction, to the call handler (the stack's on_ack). */
void csip_route_ack(void *node, const osip_message_t *ack);

/* Installs (or with NULL removes) the call controller's hook. */
void csip_node_set_call_handler(struct csip_node *n, const struct csip_call_handler *h);


#endif
