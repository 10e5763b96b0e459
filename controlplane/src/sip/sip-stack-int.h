/* Internal to the stack's files (sip-stack.c, transport-udp.c): the stack's state.
 * Return convention: 0 or a negative errno.
 *
 * Owner: the loop thread writes everything.
 */
#ifndef CSIP_SIP_STACK_INT_H
#define CSIP_SIP_STACK_INT_H

#include "sip-stack.h"

#include <netinet/in.h>
#include <osip2/osip.h>
#include <stdbool.h>

struct csip_tx {
	struct csip_stack *st;
	osip_transaction_t *tr;		/* NULL once osip killed it */
	struct sockaddr_in src;
	unsigned refs;			/* the transaction's own, plus each pending handler's */
	/* client transactions only */
	csip_provisional_fn on_provisional;	/* INVITEs only; NULL: not reported */
	csip_response_fn on_final;
	void *final_arg;
	bool final_done;
};

struct csip_stack {
	uv_loop_t *loop;
	osip_t *osip;
	struct csip_stack_options opt;
	struct sockaddr_in local;
	struct sockaddr_in outbound;

	int fd;
	uv_poll_t poll;
	uv_timer_t tick;
	bool poll_open, tick_open, closing;
	unsigned handles_open;

	/* Killed transactions, freed once the state machines have returned. */
	osip_transaction_t **dead;
	size_t n_dead, cap_dead;
	bool executing;
	bool more_events;		/* an event was queued since the last round */
	/* Transactions given an event since the last round: a round between ticks executes only
	 * these, as osip's own *_execute walk every live transaction (a cost that grows with the
	 * calls up). walk_all: osip's walks are due (the tick, or a transaction not queued). */
	osip_transaction_t **pending;
	size_t n_pending, cap_pending;
	bool walk_all;

	struct csip_stack_counters c;
	char rxbuf[65536 + 1];		/* one datagram at a time */
};

/* outbound.c: hooks the client transactions' callbacks into osip. */
void csip_outbound_register_callbacks(osip_t *osip);
/* Delivers a client transaction's outcome once (later calls do nothing). */
void csip_outbound_finish(struct csip_tx *tx, int status, const osip_message_t *resp);
/* sip-stack.c: drop one reference (frees at zero). */
void csip_tx_release(struct csip_tx *tx);
/* sip-stack.c: ev into tr's queue, executed by the next round. */
void csip_stack_queue_event(struct csip_stack *st, osip_transaction_t *tr, osip_event_t *ev);
/* sip-stack.c: executes the queued events now (no timers, no walk over every transaction
 * unless one is due); the receive path and the senders call it. */
void csip_stack_run_queued(struct csip_stack *st);

/* transport-udp.c */
int csip_udp_open(struct csip_stack *st);
int csip_udp_send(struct csip_stack *st, const char *buf, size_t len,
		  const struct sockaddr_in *to);
/* "a.b.c.d:port" -> sockaddr (numeric only). */
int csip_parse_hostport(const char *s, struct sockaddr_in *out);

#endif
