/* The control plane's SIP stack: a UDP socket on the libuv loop (poll handle), libosip2's
 * parser and transaction state machines driven by a loop timer, stateless answers for what
 * cannot start a transaction, and a bounded transaction count.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread.
 */
#ifndef CSIP_SIP_STACK_H
#define CSIP_SIP_STACK_H

#include "sip-stack-t.h"

#include <uv.h>

struct csip_stack *csip_stack_new(uv_loop_t *loop, const struct csip_stack_options *opt);

/* Bind the socket and start reading and the timers. */
int csip_stack_start(struct csip_stack *st);

/* Stop reading, drop every transaction (pending handlers' later answers are refused), close the
 * handles; the stack frees itself once libuv has closed them. NULL is a no-op. */
void csip_stack_close(struct csip_stack *st);

void csip_stack_counters(const struct csip_stack *st, struct csip_stack_counters *out);

/* The bound address (after start), for tests that listen on port 0. */
int csip_stack_local_port(const struct csip_stack *st);

/* Hand one datagram to the stack as if read from src (the receive path; tests and the fuzz
 * target use it too). */
void csip_stack_input(struct csip_stack *st, const char *buf, size_t len,
		      const struct sockaddr_in *src);

/* Runs every state machine and due timer now, then frees what they ended (the stack's timer
 * does this every 20 ms; input handling does it after each read). */
void csip_stack_run(struct csip_stack *st);

/* Sends a request toward a phone: the stack adds its Via (fresh branch) on top and, when route
 * is given (the binding's Path, or the phone's address as a SIP URI), a Route header first; the
 * datagram always goes to the outbound proxy (the data plane's internal address), which routes
 * it on. req (Request-URI = the target, From, To, Call-ID, CSeq, Max-Forwards set) is taken in
 * every case. INVITE runs an ICT, other methods a NICT; cb gets the final outcome once. */
int csip_stack_send_request(struct csip_stack *st, osip_message_t *req, const char *route,
			    csip_response_fn cb, void *arg);

/* As csip_stack_send_request for an INVITE, with its provisional responses reported to
 * on_provisional (before the final outcome) and the client transaction returned in *out with a
 * reference the caller drops with csip_tx_unref (for csip_stack_cancel). */
int csip_stack_send_invite(struct csip_stack *st, osip_message_t *req, const char *route,
			   csip_provisional_fn on_provisional, csip_response_fn cb, void *arg,
			   struct csip_tx **out);

/* CANCELs an INVITE sent with csip_stack_send_invite (same Via branch, Request-URI, Route;
 * RFC 3261 §9.1) in its own client transaction; cb (may be NULL) gets its outcome. -EALREADY
 * when that INVITE has already ended. */
int csip_stack_cancel(struct csip_stack *st, struct csip_tx *invite, csip_response_fn cb,
		      void *arg);

/* Sends an ACK for a 2xx outside any transaction: our Via on top (fresh branch), route (may be
 * NULL) as the first Route, to the outbound proxy. ack is taken in every case. */
int csip_stack_send_ack(struct csip_stack *st, osip_message_t *ack, const char *route);

/* One datagram as it is, to `to` (a 2xx the transaction user retransmits until the ACK,
 * RFC 3261 §13.3.1.4). */
int csip_stack_send_raw(struct csip_stack *st, const char *buf, size_t len,
			const struct sockaddr_in *to);

/* Transactions. */
void csip_tx_ref(struct csip_tx *tx);
void csip_tx_unref(struct csip_tx *tx);
/* The datagram's source (the data plane's internal address, or a test client). */
const struct sockaddr_in *csip_tx_source(const struct csip_tx *tx);
/* Sends resp (ownership taken) in the transaction. -ESHUTDOWN when the transaction has ended
 * or the stack is closing (resp is freed). */
int csip_tx_respond(struct csip_tx *tx, osip_message_t *resp);

#endif
