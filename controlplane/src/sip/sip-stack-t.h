/* Types only: the SIP stack's options and counters.
 * Return convention: none (types only).
 */
#ifndef CSIP_SIP_STACK_T_H
#define CSIP_SIP_STACK_T_H

#include <osipparser2/osip_message.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

struct csip_stack;
struct csip_tx;

/* A new request in a new server transaction (never a retransmission, never an ACK). The
 * handler answers with csip_tx_respond now or later (take a reference with csip_tx_ref to
 * answer after returning); req belongs to the transaction. */
typedef void (*csip_request_fn)(void *arg, struct csip_tx *tx, osip_message_t *req);

/* The final outcome of a request the control plane sent: the final response's status (resp
 * set, valid during the call), or 408 with resp NULL when nothing came back in time (timer B/F),
 * or 503 with resp NULL when it could not be sent. Called exactly once. */
typedef void (*csip_response_fn)(void *arg, int status, const osip_message_t *resp);

/* An ACK that matches no transaction: the ACK for a 2xx (RFC 3261 §13.2.2.4 makes it its own
 * transaction); ack is valid during the call only. */
typedef void (*csip_ack_fn)(void *arg, const osip_message_t *ack);

/* A provisional response (101-199) to an INVITE the control plane sent; valid during the call. */
typedef void (*csip_provisional_fn)(void *arg, const osip_message_t *resp);

struct csip_stack_options {
	const char *listen;		/* "ip:port" */
	const char *outbound_proxy;	/* "ip:port": requests toward phones go here */
	unsigned max_transactions;
	csip_request_fn on_request;
	void *arg;
	csip_ack_fn on_ack;		/* NULL: such ACKs are counted as stray (arg as above) */
	/* Where datagrams go; NULL: the socket. A fuzz target sets it so that addresses taken
	 * from its input are never sent to. Returns 0 or a negative errno. */
	int (*send)(void *send_arg, const char *buf, size_t len, const struct sockaddr_in *to);
	void *send_arg;
};

/* Every drop or stateless answer is a named counter (X-macro: name, comment). */
#define CSIP_STACK_COUNTERS(X)                                                              \
	X(rx_datagrams, "datagrams read")                                                   \
	X(rx_unparsable, "unparsable requests answered with a stateless 400")             \
	X(rx_missing_headers, "requests without a mandatory header, stateless 400")       \
	X(rx_dropped, "garbage or bad responses dropped without an answer")                \
	X(rx_retransmissions, "messages absorbed by an existing transaction")              \
	X(rx_stray, "responses and ACKs matching no transaction")                          \
	X(tx_overload, "new requests answered 503 because the transaction table is full")  \
	X(tx_messages, "messages sent")                                                     \
	X(tx_errors, "messages that could not be sent")                                     \
	X(transactions_created, "server transactions created")                             \
	X(requests_sent, "client transactions started toward the outbound proxy")

struct csip_stack_counters {
#define CSIP_COUNTER_FIELD(name, doc) uint64_t name;
	CSIP_STACK_COUNTERS(CSIP_COUNTER_FIELD)
#undef CSIP_COUNTER_FIELD
	uint64_t transactions_live;	/* gauge */
};

#endif
