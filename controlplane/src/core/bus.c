/* One RabbitMQ connection on the libuv loop: connect, declare, consume, publish, reconnect. */
#include "cp/bus.h"

#include "bugle/log.h"
#include "cp/bus-pending.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CP_BUS_MAX_SUBS 64
#define BACKOFF_START_MS 100
#define CONNECT_TIMEOUT_S 2
#define RPC_TIMEOUT_S 5
#define CHANNEL 1

struct bus_sub {
	char exchange[64];	/* short name, as given */
	char key[256];
	cp_bus_msg_cb cb;
	void *arg;
};

struct cp_bus {
	uv_loop_t *loop;
	char *url;			/* owned copy; ci points into it */
	struct amqp_connection_info ci;
	char prefix[32];
	char node[64];
	char queue[160];
	unsigned heartbeat_s;
	uint64_t reconnect_max_ms;
	uint64_t backoff_ms;
	cp_bus_state_cb on_state;
	void *state_arg;

	amqp_connection_state_t conn;	/* NULL while disconnected */
	uv_poll_t *poll;		/* one per socket */
	uv_timer_t retry;		/* reconnect back-off */
	uv_timer_t tick;		/* heartbeats and frames buffered by RPCs */
	bool connected;
	bool closing;
	bool started;
	unsigned open_handles;

	struct bus_sub subs[CP_BUS_MAX_SUBS];
	unsigned n_subs;
	struct cp_bus_pending pending;
	struct cp_bus_stats stats;
	char last_error[256];
};

static const char *const exchanges[] = CP_BUS_EXCHANGES;
#define N_EXCHANGES (sizeof(exchanges) / sizeof(exchanges[0]))

static void pump(struct cp_bus *b);

static bool known_exchange(const char *name)
{
	for (size_t i = 0; i < N_EXCHANGES; i++)
		if (strcmp(exchanges[i], name) == 0)
			return true;
	return false;
}

static void full_name(const struct cp_bus *b, const char *exchange, char *out, size_t len)
{
	snprintf(out, len, "%s%s", b->prefix, exchange);
}

static void bus_free(struct cp_bus *b)
{
	cp_bus_pending_free(&b->pending);
	free(b->url);
	free(b);
}

static void handle_closed(uv_handle_t *h)
{
	struct cp_bus *b = h->data;
	if (h->type == UV_POLL)
		free(h);
	if (--b->open_handles == 0 && b->closing)
		bus_free(b);
}

/* A readable description of an RPC reply; 0 when it is a success. */
static int reply_error(amqp_rpc_reply_t r, const char *what, char *buf, size_t len)
{
	switch (r.reply_type) {
	case AMQP_RESPONSE_NORMAL:
		return 0;
	case AMQP_RESPONSE_NONE:
		snprintf(buf, len, "%s: no reply", what);
		break;
	case AMQP_RESPONSE_LIBRARY_EXCEPTION:
		snprintf(buf, len, "%s: %s", what, amqp_error_string2(r.library_error));
		break;
	case AMQP_RESPONSE_SERVER_EXCEPTION:
		if (r.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
			amqp_connection_close_t *m = r.reply.decoded;
			snprintf(buf, len, "%s: connection closed by server: %u %.*s", what,
				 m->reply_code, (int)m->reply_text.len, (char *)m->reply_text.bytes);
		} else if (r.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
			amqp_channel_close_t *m = r.reply.decoded;
			snprintf(buf, len, "%s: channel closed by server: %u %.*s", what,
				 m->reply_code, (int)m->reply_text.len, (char *)m->reply_text.bytes);
		} else {
			snprintf(buf, len, "%s: server error (method 0x%08x)", what, r.reply.id);
		}
		break;
	}
	return -EIO;
}

static void set_state(struct cp_bus *b, bool up)
{
	if (b->connected == up)
		return;
	b->connected = up;
	if (b->on_state && !b->closing)
		b->on_state(b->state_arg, up, up ? NULL : b->last_error);
}

static void retry_cb(uv_timer_t *t);

/* Drop the connection: stop polling before the socket is closed. */
static void teardown(struct cp_bus *b)
{
	if (b->poll) {
		uv_poll_stop(b->poll);
		uv_close((uv_handle_t *)b->poll, handle_closed);
		b->poll = NULL;
	}
	uv_timer_stop(&b->tick);
	if (b->conn) {
		/* No goodbye handshake: the socket may be dead and close must not block. */
		amqp_destroy_connection(b->conn);
		b->conn = NULL;
	}
}

static void lost(struct cp_bus *b, const char *why)
{
	snprintf(b->last_error, sizeof(b->last_error), "%s", why);
	bool was_up = b->connected;
	teardown(b);
	if (!was_up)
		b->stats.connect_failures++;
	b->connected = false;
	/* Reported on every failure, not only on the up->down edge: the health table keeps
	 * the newest error and logs each new one once. */
	if (b->on_state && !b->closing)
		b->on_state(b->state_arg, false, b->last_error);
	if (b->closing)
		return;
	uv_timer_start(&b->retry, retry_cb, b->backoff_ms, 0);
	BGL_DEBUG("rabbitmq: %s; retrying in %llu ms", why, (unsigned long long)b->backoff_ms);
	b->backoff_ms *= 2;
	if (b->backoff_ms > b->reconnect_max_ms)
		b->backoff_ms = b->reconnect_max_ms;
}

static int bind_sub(struct cp_bus *b, const struct bus_sub *s, char *err, size_t len)
{
	char ex[128];
	full_name(b, s->exchange, ex, sizeof(ex));
	amqp_queue_bind(b->conn, CHANNEL, amqp_cstring_bytes(b->queue), amqp_cstring_bytes(ex),
			amqp_cstring_bytes(s->key), amqp_empty_table);
	return reply_error(amqp_get_rpc_reply(b->conn), "queue.bind", err, len);
}

/* Everything after the TCP connect: login, channel, exchanges, node queue, bindings, consume. */
static int setup_session(struct cp_bus *b, char *err, size_t len)
{
	struct timeval rpc = { .tv_sec = RPC_TIMEOUT_S };
	amqp_set_rpc_timeout(b->conn, &rpc);
	int rc = reply_error(amqp_login(b->conn, b->ci.vhost, 0, 131072, (int)b->heartbeat_s,
					AMQP_SASL_METHOD_PLAIN, b->ci.user, b->ci.password),
			     "login", err, len);
	if (rc < 0)
		return rc;
	amqp_channel_open(b->conn, CHANNEL);
	if ((rc = reply_error(amqp_get_rpc_reply(b->conn), "channel.open", err, len)) < 0)
		return rc;
	for (size_t i = 0; i < N_EXCHANGES; i++) {
		char ex[128];
		full_name(b, exchanges[i], ex, sizeof(ex));
		amqp_exchange_declare(b->conn, CHANNEL, amqp_cstring_bytes(ex),
				      amqp_cstring_bytes("topic"), 0, 1, 0, 0, amqp_empty_table);
		if ((rc = reply_error(amqp_get_rpc_reply(b->conn), "exchange.declare", err, len)) < 0)
			return rc;
	}
	/* Exclusive and auto-deleted: it lives exactly as long as this connection. */
	amqp_queue_declare(b->conn, CHANNEL, amqp_cstring_bytes(b->queue), 0, 0, 1, 1,
			   amqp_empty_table);
	if ((rc = reply_error(amqp_get_rpc_reply(b->conn), "queue.declare", err, len)) < 0)
		return rc;
	for (unsigned i = 0; i < b->n_subs; i++)
		if ((rc = bind_sub(b, &b->subs[i], err, len)) < 0)
			return rc;
	amqp_basic_consume(b->conn, CHANNEL, amqp_cstring_bytes(b->queue), amqp_empty_bytes, 0, 1,
			   1, amqp_empty_table);
	return reply_error(amqp_get_rpc_reply(b->conn), "basic.consume", err, len);
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
	(void)events;
	struct cp_bus *b = h->data;
	if (status < 0) {
		char why[128];
		snprintf(why, sizeof(why), "socket: %s", uv_strerror(status));
		lost(b, why);
		return;
	}
	pump(b);
}

static void tick_cb(uv_timer_t *t)
{
	pump(t->data);
}

static int send_msg(struct cp_bus *b, const struct cp_bus_msg *m)
{
	amqp_basic_properties_t props = {
		._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG,
		.content_type = amqp_cstring_bytes("application/json"),
		.delivery_mode = 1, /* transient: events, not durable jobs */
	};
	amqp_bytes_t body = { .len = m->len, .bytes = (void *)m->body };
	return amqp_basic_publish(b->conn, CHANNEL, amqp_cstring_bytes(m->exchange),
				  amqp_cstring_bytes(m->routing_key), 0, 0, &props, body);
}

static void flush_pending(struct cp_bus *b)
{
	for (struct cp_bus_msg *m; b->conn && (m = cp_bus_pending_pop(&b->pending)) != NULL;) {
		int rc = send_msg(b, m);
		if (rc != AMQP_STATUS_OK) {
			cp_bus_pending_unpop(&b->pending, m);
			char why[160];
			snprintf(why, sizeof(why), "publish: %s", amqp_error_string2(rc));
			lost(b, why);
			return;
		}
		b->stats.published++;
		free(m);
	}
}

static void connect_now(struct cp_bus *b)
{
	char err[256];
	b->conn = amqp_new_connection();
	amqp_socket_t *sock = b->conn ? amqp_tcp_socket_new(b->conn) : NULL;
	if (!sock) {
		lost(b, "out of memory");
		return;
	}
	struct timeval tv = { .tv_sec = CONNECT_TIMEOUT_S };
	int rc = amqp_socket_open_noblock(sock, b->ci.host, b->ci.port, &tv);
	if (rc != AMQP_STATUS_OK) {
		snprintf(err, sizeof(err), "connect %s:%d: %s", b->ci.host, b->ci.port,
			 amqp_error_string2(rc));
		lost(b, err);
		return;
	}
	if (setup_session(b, err, sizeof(err)) < 0) {
		lost(b, err);
		return;
	}
	b->poll = malloc(sizeof(*b->poll));
	rc = b->poll ? uv_poll_init(b->loop, b->poll, amqp_get_sockfd(b->conn)) : UV_ENOMEM;
	if (rc < 0) {
		free(b->poll);
		b->poll = NULL;
		lost(b, uv_strerror(rc));
		return;
	}
	b->open_handles++;
	b->poll->data = b;
	uv_poll_start(b->poll, UV_READABLE | UV_DISCONNECT, poll_cb);
	/* librabbitmq sends and checks heartbeats only when called; a tick keeps it called
	 * while idle, and drains frames that RPC calls left in its buffer. */
	uint64_t every = b->heartbeat_s ? b->heartbeat_s * 1000 / 2 : 1000;
	uv_timer_start(&b->tick, tick_cb, 0, every ? every : 500);
	b->backoff_ms = BACKOFF_START_MS;
	b->stats.connects++;
	set_state(b, true);
	flush_pending(b);
}

static void retry_cb(uv_timer_t *t)
{
	struct cp_bus *b = t->data;
	if (!b->closing && !b->conn)
		connect_now(b);
}

static void deliver(struct cp_bus *b, const amqp_envelope_t *env)
{
	char ex[128], key[256];
	snprintf(ex, sizeof(ex), "%.*s", (int)env->exchange.len, (char *)env->exchange.bytes);
	snprintf(key, sizeof(key), "%.*s", (int)env->routing_key.len,
		 (char *)env->routing_key.bytes);
	size_t pl = strlen(b->prefix);
	const char *short_ex = strncmp(ex, b->prefix, pl) == 0 ? ex + pl : ex;
	bool routed = false;
	for (unsigned i = 0; i < b->n_subs && b->conn; i++) {
		const struct bus_sub *s = &b->subs[i];
		if (strcmp(s->exchange, short_ex) != 0 || !cp_bus_topic_match(s->key, key))
			continue;
		routed = true;
		s->cb(s->arg, short_ex, key, env->message.body.bytes, env->message.body.len);
	}
	if (routed)
		b->stats.received++;
	else
		b->stats.unrouted++;
}

/* A frame that is not a delivery: a close from the server means the session is over. */
static int other_frame(struct cp_bus *b)
{
	amqp_frame_t f;
	struct timeval zero = { 0 };
	int rc = amqp_simple_wait_frame_noblock(b->conn, &f, &zero);
	if (rc == AMQP_STATUS_TIMEOUT)
		return 0;
	if (rc != AMQP_STATUS_OK) {
		char why[160];
		snprintf(why, sizeof(why), "receive: %s", amqp_error_string2(rc));
		lost(b, why);
		return -EIO;
	}
	if (f.frame_type != AMQP_FRAME_METHOD)
		return 0;
	if (f.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD) {
		amqp_connection_close_ok_t ok = { 0 };
		amqp_send_method(b->conn, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
		lost(b, "connection closed by the broker");
		return -EIO;
	}
	if (f.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD) {
		lost(b, "channel closed by the broker");
		return -EIO;
	}
	return 0;
}

static void pump(struct cp_bus *b)
{
	/* Bounded so one busy connection cannot starve the rest of the loop. */
	for (int i = 0; i < 1024 && b->conn; i++) {
		amqp_maybe_release_buffers(b->conn);
		amqp_envelope_t env;
		struct timeval zero = { 0 };
		amqp_rpc_reply_t r = amqp_consume_message(b->conn, &env, &zero, 0);
		if (r.reply_type == AMQP_RESPONSE_NORMAL) {
			deliver(b, &env);
			amqp_destroy_envelope(&env);
			continue;
		}
		if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
		    r.library_error == AMQP_STATUS_TIMEOUT)
			return;
		if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
		    r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
			if (other_frame(b) < 0)
				return;
			continue;
		}
		char why[256];
		reply_error(r, "receive", why, sizeof(why));
		lost(b, why);
		return;
	}
}

struct cp_bus *cp_bus_new(uv_loop_t *loop, const struct cp_bus_options *opt)
{
	struct cp_bus *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->loop = loop;
	b->url = strdup(opt->url ? opt->url : "");
	if (!b->url || cp_bus_pending_init(&b->pending, opt->pending_max) < 0) {
		bus_free(b);
		return NULL;
	}
	amqp_default_connection_info(&b->ci);
	if (amqp_parse_url(b->url, &b->ci) != AMQP_STATUS_OK) {
		BGL_ERR("rabbitmq: cannot parse URL '%s'", opt->url);
		bus_free(b);
		return NULL;
	}
	/* "amqp://host/" strictly names the empty vhost, which RabbitMQ never has; read it as
	 * the default "/" the way most clients do. */
	if (!b->ci.vhost || !*b->ci.vhost)
		b->ci.vhost = "/";
	snprintf(b->prefix, sizeof(b->prefix), "%s", opt->exchange_prefix ? opt->exchange_prefix : "");
	snprintf(b->node, sizeof(b->node), "%s", opt->node ? opt->node : "node");
	snprintf(b->queue, sizeof(b->queue), "%snode.%s.%ld", b->prefix, b->node, (long)getpid());
	b->heartbeat_s = opt->heartbeat_s;
	b->reconnect_max_ms = opt->reconnect_max_ms > BACKOFF_START_MS ? opt->reconnect_max_ms
									: BACKOFF_START_MS;
	b->backoff_ms = BACKOFF_START_MS;
	b->on_state = opt->on_state;
	b->state_arg = opt->state_arg;
	snprintf(b->last_error, sizeof(b->last_error), "not connected yet");
	uv_timer_init(loop, &b->retry);
	uv_timer_init(loop, &b->tick);
	b->retry.data = b->tick.data = b;
	b->open_handles = 2;
	return b;
}

int cp_bus_start(struct cp_bus *b)
{
	if (b->closing)
		return -ESHUTDOWN;
	if (!b->started) {
		b->started = true;
		connect_now(b);
	}
	return 0;
}

int cp_bus_publish(struct cp_bus *b, const char *exchange, const char *routing_key,
		   const char *json)
{
	if (b->closing)
		return -ESHUTDOWN;
	if (!known_exchange(exchange) || !routing_key || strlen(routing_key) > 255 || !json)
		return -EINVAL;
	char ex[128];
	full_name(b, exchange, ex, sizeof(ex));
	struct cp_bus_msg *m = cp_bus_msg_new(ex, routing_key, json, strlen(json));
	if (!m)
		return -ENOMEM;
	if (b->conn && b->pending.count == 0) {
		int rc = send_msg(b, m);
		if (rc == AMQP_STATUS_OK) {
			b->stats.published++;
			free(m);
			return 0;
		}
		char why[160];
		snprintf(why, sizeof(why), "publish: %s", amqp_error_string2(rc));
		lost(b, why);
	}
	b->stats.queued++;
	cp_bus_pending_push(&b->pending, m);
	return 0;
}

int cp_bus_subscribe(struct cp_bus *b, const char *exchange, const char *binding_key,
		     cp_bus_msg_cb cb, void *arg)
{
	if (b->closing)
		return -ESHUTDOWN;
	if (!known_exchange(exchange) || !binding_key || !cb ||
	    strlen(binding_key) >= sizeof(b->subs[0].key))
		return -EINVAL;
	if (b->n_subs == CP_BUS_MAX_SUBS)
		return -ENOSPC;
	struct bus_sub *s = &b->subs[b->n_subs++];
	snprintf(s->exchange, sizeof(s->exchange), "%s", exchange);
	snprintf(s->key, sizeof(s->key), "%s", binding_key);
	s->cb = cb;
	s->arg = arg;
	if (b->conn) {
		char err[256];
		if (bind_sub(b, s, err, sizeof(err)) < 0)
			lost(b, err); /* bound again on reconnect */
		else
			uv_timer_start(&b->tick, tick_cb, 0, uv_timer_get_repeat(&b->tick));
	}
	return 0;
}

bool cp_bus_connected(const struct cp_bus *b)
{
	return b->connected;
}

void cp_bus_stats(const struct cp_bus *b, struct cp_bus_stats *out)
{
	*out = b->stats;
	out->dropped = b->pending.dropped;
}

void cp_bus_close(struct cp_bus *b)
{
	if (b->closing)
		return;
	b->closing = true;
	if (b->conn) {
		/* Best effort and bounded by the RPC time-out: lets the broker drop our queue now. */
		amqp_channel_close(b->conn, CHANNEL, AMQP_REPLY_SUCCESS);
		amqp_connection_close(b->conn, AMQP_REPLY_SUCCESS);
	}
	teardown(b);
	b->connected = false;
	uv_timer_stop(&b->retry);
	uv_close((uv_handle_t *)&b->retry, handle_closed);
	uv_close((uv_handle_t *)&b->tick, handle_closed);
}
