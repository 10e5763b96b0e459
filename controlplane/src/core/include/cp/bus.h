/* The message bus: one RabbitMQ connection (librabbitmq-c) driven by the libuv loop, with
 * reconnect and back-off, the topic exchanges declared on every connect, publishing (queued,
 * bounded, while disconnected) and subscriptions through one exclusive per-node queue.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread. Connecting is a blocking call with short
 * time-outs (the broker is on loopback or the local network).
 */
#ifndef CP_BUS_H
#define CP_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct cp_bus;

/* The exchanges every node declares (topic, durable), named prefix + short name. */
#define CP_BUS_EXCHANGES { "configuration", "callevt", "registrar" }

/* exchange: the short name ("configuration"); body is not NUL-terminated. */
typedef void (*cp_bus_msg_cb)(void *arg, const char *exchange, const char *routing_key,
			      const char *body, size_t len);
typedef void (*cp_bus_state_cb)(void *arg, bool up, const char *error);

struct cp_bus_options {
	const char *url;		/* amqp://user:pass@host:port/vhost */
	const char *exchange_prefix;	/* "bugle." */
	const char *node;		/* names the per-node queue */
	unsigned heartbeat_s;		/* 0: none */
	unsigned pending_max;		/* kept while disconnected; oldest dropped */
	uint64_t reconnect_max_ms;
	cp_bus_state_cb on_state;
	void *state_arg;
};

struct cp_bus_stats {
	uint64_t published;		/* handed to the broker */
	uint64_t queued;		/* kept while disconnected */
	uint64_t dropped;		/* oldest pending thrown away because the queue was full */
	uint64_t received;		/* messages delivered to subscribers */
	uint64_t unrouted;		/* received but matching no subscription */
	uint64_t connects;		/* successful connections */
	uint64_t connect_failures;
};

struct cp_bus *cp_bus_new(uv_loop_t *loop, const struct cp_bus_options *opt);

/* Connect now (and keep reconnecting on failure). */
int cp_bus_start(struct cp_bus *b);

/* Publish a JSON body to prefix+exchange. While disconnected the message is kept (bounded).
 * -EINVAL for an unknown exchange. */
int cp_bus_publish(struct cp_bus *b, const char *exchange, const char *routing_key,
		   const char *json);

/* Bind the node queue to prefix+exchange with a topic binding key; cb gets each matching
 * message. Kept across reconnects. */
int cp_bus_subscribe(struct cp_bus *b, const char *exchange, const char *binding_key,
		     cp_bus_msg_cb cb, void *arg);

bool cp_bus_connected(const struct cp_bus *b);
void cp_bus_stats(const struct cp_bus *b, struct cp_bus_stats *out);

/* Close the connection and handles; the bus frees itself once libuv has closed them. */
void cp_bus_close(struct cp_bus *b);

/* AMQP topic matching: '*' is one word, '#' zero or more words. */
bool cp_bus_topic_match(const char *pattern, const char *key);

#endif
