/* The data plane's control-channel server, driven in-process by clients written here: round
 * trips, error replies, hostile input of every kind, client limits, events and slow readers.
 * After each hostile client is thrown out, a well-behaved client must still be served. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <pb_decode.h>
#include <pb_encode.h>

#include "bugle/frame.h"
#include "ctl_server.h"

#define TEST_MAX_FRAME 4096u
#define WAIT_MS 3000

struct tclient {
	int fd;
	struct bgl_frame_reader rd;
	uint8_t buf[BGL_FRAME_HDR_LEN + BGL_FRAME_MAX_DEFAULT];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t counter(const struct dpctl_server *srv, const char *name)
{
	uint64_t v = 0;

	assert_int_equal(dpctl_server_counter(srv, name, &v), 0);
	return v;
}

/* --- handlers ------------------------------------------------------------------------------ */

static int heartbeat_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			     size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	bugle_dp_HeartbeatRequest in = bugle_dp_HeartbeatRequest_init_zero;
	bugle_dp_HeartbeatReply out = bugle_dp_HeartbeatReply_init_zero;
	pb_istream_t is = pb_istream_from_buffer(req, req_len);
	pb_ostream_t os = pb_ostream_from_buffer(resp, resp_cap);

	(*(int *)ctx)++;
	if (!pb_decode(&is, bugle_dp_HeartbeatRequest_fields, &in)) {
		snprintf(err, err_cap, "bad heartbeat");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	out.sent_ns = in.sent_ns;
	snprintf(out.node, sizeof(out.node), "dp-test");
	out.workers = 3;
	if (!pb_encode(&os, bugle_dp_HeartbeatReply_fields, &out))
		return bugle_dp_Status_STATUS_INTERNAL;
	*resp_len = os.bytes_written;
	return 0;
}

static int failing_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			   size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	(void)ctx, (void)req, (void)req_len, (void)resp, (void)resp_cap, (void)resp_len;
	snprintf(err, err_cap, "no such source");
	return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
}

static int overlong_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			    size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	(void)ctx, (void)req, (void)req_len, (void)resp, (void)err, (void)err_cap;
	*resp_len = resp_cap + 1;	/* a handler bug: claims more than it may write */
	return 0;
}

static int empty_ok_handler(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
			    size_t resp_cap, size_t *resp_len, char *err, size_t err_cap)
{
	(void)ctx, (void)req, (void)resp, (void)resp_cap, (void)err, (void)err_cap;
	*resp_len = 0;
	return req_len > 0 ? 0 : bugle_dp_Status_STATUS_INVALID_ARGUMENT;
}

static const struct dpctl_method methods[] = {
	{ bugle_dp_Method_METHOD_HEARTBEAT, heartbeat_handler },
	{ bugle_dp_Method_METHOD_BAN_ADD, failing_handler },
	{ bugle_dp_Method_METHOD_GET_STATS, overlong_handler },
	{ bugle_dp_Method_METHOD_SET_DISPATCHER, empty_ok_handler },
};

struct fixture {
	struct dpctl_server *srv;
	int heartbeats;
	char path[108];
};

static struct dpctl_server *start(struct fixture *fx, const char *listen, unsigned max_clients)
{
	struct dpctl_server_config cfg = {
		.listen = listen, .max_frame = TEST_MAX_FRAME, .max_clients = max_clients,
	};

	fx->srv = dpctl_server_new(&cfg, methods, sizeof(methods) / sizeof(methods[0]),
				   &fx->heartbeats);
	assert_non_null(fx->srv);
	return fx->srv;
}

static int setup_tcp(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));

	start(fx, "127.0.0.1:0", 3);
	assert_true(dpctl_server_port(fx->srv) > 0);
	*state = fx;
	return 0;
}

static int setup_unix(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	char addr[128];
	const char *tmp = getenv("TMPDIR");

	snprintf(fx->path, sizeof(fx->path), "%s/bugle-ctl-test-%d.sock", tmp && *tmp ? tmp : "/tmp",
		 (int)getpid());
	snprintf(addr, sizeof(addr), "unix:%s", fx->path);
	start(fx, addr, 3);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;

	dpctl_server_free(fx->srv);
	if (fx->path[0])
		assert_int_equal(access(fx->path, F_OK), -1);	/* the socket file is removed */
	free(fx);
	return 0;
}

/* --- a minimal client ---------------------------------------------------------------------- */

static struct tclient *client_new(struct fixture *fx)
{
	struct tclient *c = calloc(1, sizeof(*c));

	assert_non_null(c);
	if (fx->path[0]) {
		struct sockaddr_un sun = { .sun_family = AF_UNIX };

		snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx->path);
		c->fd = socket(AF_UNIX, SOCK_STREAM, 0);
		assert_int_equal(connect(c->fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	} else {
		struct sockaddr_in sin = { .sin_family = AF_INET,
					   .sin_port = htons(dpctl_server_port(fx->srv)),
					   .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };

		c->fd = socket(AF_INET, SOCK_STREAM, 0);
		assert_int_equal(connect(c->fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	}
	assert_int_equal(bgl_frame_reader_init(&c->rd, c->buf, sizeof(c->buf),
					       BGL_FRAME_MAX_DEFAULT), 0);
	/* Let the server accept it. */
	dpctl_server_poll(fx->srv, 10);
	return c;
}

static void client_free(struct tclient *c)
{
	close(c->fd);
	free(c);
}

static void send_raw(struct tclient *c, const void *data, size_t len)
{
	assert_int_equal(send(c->fd, data, len, MSG_NOSIGNAL), (ssize_t)len);
}

static void send_envelope(struct tclient *c, const bugle_dp_Envelope *env)
{
	static uint8_t frame[BGL_FRAME_HDR_LEN + BGL_FRAME_MAX_DEFAULT];
	pb_ostream_t os = pb_ostream_from_buffer(frame + BGL_FRAME_HDR_LEN,
						 sizeof(frame) - BGL_FRAME_HDR_LEN);

	assert_true(pb_encode(&os, bugle_dp_Envelope_fields, env));
	bgl_frame_header_encode(frame, (uint32_t)os.bytes_written);
	send_raw(c, frame, BGL_FRAME_HDR_LEN + os.bytes_written);
}

static void send_request(struct tclient *c, uint64_t id, bugle_dp_Method method,
			 const pb_msgdesc_t *fields, const void *msg)
{
	static bugle_dp_Envelope env;

	memset(&env, 0, sizeof(env));
	env.request_id = id;
	env.kind = bugle_dp_Kind_KIND_REQUEST;
	env.method = method;
	if (fields) {
		pb_ostream_t os = pb_ostream_from_buffer(env.payload.bytes,
							 sizeof(env.payload.bytes));
		assert_true(pb_encode(&os, fields, msg));
		env.payload.size = (pb_size_t)os.bytes_written;
	}
	send_envelope(c, &env);
}

/* Polls the server until the client has a whole envelope (1), sees the connection closed (0),
 * or WAIT_MS passes (-ETIMEDOUT). */
static int recv_envelope(struct fixture *fx, struct tclient *c, bugle_dp_Envelope *out)
{
	uint64_t until = now_ms() + WAIT_MS;
	struct bgl_frame f;

	while (now_ms() < until) {
		int rc = bgl_frame_reader_next(&c->rd, &f);

		assert_true(rc >= 0);
		if (rc == 1) {
			pb_istream_t is = pb_istream_from_buffer(f.data, f.len);

			assert_true(pb_decode(&is, bugle_dp_Envelope_fields, out));
			return 1;
		}
		dpctl_server_poll(fx->srv, 1);
		uint8_t *dst;
		size_t room = bgl_frame_reader_space(&c->rd, &dst);
		ssize_t n = recv(c->fd, dst, room, MSG_DONTWAIT);
		if (n == 0)
			return 0;
		if (n < 0 && errno == ECONNRESET)
			return 0;
		if (n > 0)
			bgl_frame_reader_commit(&c->rd, (size_t)n);
	}
	return -ETIMEDOUT;
}

static bugle_dp_Envelope *scratch_env(void)
{
	static bugle_dp_Envelope env;

	memset(&env, 0, sizeof(env));
	return &env;
}

static void assert_closed(struct fixture *fx, struct tclient *c)
{
	assert_int_equal(recv_envelope(fx, c, scratch_env()), 0);
}

static void assert_heartbeat_ok(struct fixture *fx, struct tclient *c, uint64_t id)
{
	bugle_dp_HeartbeatRequest hb = { .sent_ns = 1000 + id, .node = "cp-test" };
	bugle_dp_Envelope *env = scratch_env();
	bugle_dp_HeartbeatReply reply = bugle_dp_HeartbeatReply_init_zero;

	send_request(c, id, bugle_dp_Method_METHOD_HEARTBEAT, bugle_dp_HeartbeatRequest_fields, &hb);
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->kind, bugle_dp_Kind_KIND_RESPONSE);
	assert_int_equal(env->request_id, id);
	assert_int_equal(env->method, bugle_dp_Method_METHOD_HEARTBEAT);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_OK);
	pb_istream_t is = pb_istream_from_buffer(env->payload.bytes, env->payload.size);
	assert_true(pb_decode(&is, bugle_dp_HeartbeatReply_fields, &reply));
	assert_int_equal(reply.sent_ns, 1000 + id);
	assert_string_equal(reply.node, "dp-test");
	assert_int_equal(reply.workers, 3);
}

/* --- tests --------------------------------------------------------------------------------- */

static void test_heartbeat_round_trip(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c = client_new(fx);

	assert_heartbeat_ok(fx, c, 7);
	assert_heartbeat_ok(fx, c, 8);
	assert_int_equal(fx->heartbeats, 2);
	assert_int_equal(counter(fx->srv, "frames_rx"), 2);
	assert_int_equal(counter(fx->srv, "frames_tx"), 2);
	assert_int_equal(counter(fx->srv, "clients_accepted"), 1);
	client_free(c);
}

static void test_pipelined_requests_in_one_write(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c = client_new(fx);
	bugle_dp_HeartbeatRequest hb = { .sent_ns = 5 };
	uint8_t wire[1024];
	size_t n = 0;

	for (uint64_t id = 1; id <= 10; id++) {
		bugle_dp_Envelope *env = scratch_env();
		env->request_id = id;
		env->kind = bugle_dp_Kind_KIND_REQUEST;
		env->method = bugle_dp_Method_METHOD_HEARTBEAT;
		pb_ostream_t ps = pb_ostream_from_buffer(env->payload.bytes, sizeof(env->payload.bytes));
		assert_true(pb_encode(&ps, bugle_dp_HeartbeatRequest_fields, &hb));
		env->payload.size = (pb_size_t)ps.bytes_written;
		pb_ostream_t os = pb_ostream_from_buffer(wire + n + BGL_FRAME_HDR_LEN,
							 sizeof(wire) - n - BGL_FRAME_HDR_LEN);
		assert_true(pb_encode(&os, bugle_dp_Envelope_fields, env));
		bgl_frame_header_encode(wire + n, (uint32_t)os.bytes_written);
		n += BGL_FRAME_HDR_LEN + os.bytes_written;
	}
	send_raw(c, wire, n);
	for (uint64_t id = 1; id <= 10; id++) {
		bugle_dp_Envelope *env = scratch_env();
		assert_int_equal(recv_envelope(fx, c, env), 1);
		assert_int_equal(env->request_id, id);
		assert_int_equal(env->status, bugle_dp_Status_STATUS_OK);
	}
	client_free(c);
}

static void test_unknown_method(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c = client_new(fx);
	bugle_dp_Envelope *env = scratch_env();

	send_request(c, 11, bugle_dp_Method_METHOD_DRAIN, NULL, NULL);
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->request_id, 11);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_UNIMPLEMENTED);
	assert_true(strlen(env->error) > 0);
	assert_int_equal(env->payload.size, 0);

	/* A method number the proto does not even define. */
	send_request(c, 12, (bugle_dp_Method)999, NULL, NULL);
	env = scratch_env();
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->request_id, 12);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_UNIMPLEMENTED);
	assert_int_equal(counter(fx->srv, "unknown_method"), 2);
	/* An unknown method is not a protocol error: the connection stays. */
	assert_heartbeat_ok(fx, c, 13);
	client_free(c);
}

static void test_handler_error(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c = client_new(fx);
	bugle_dp_Envelope *env = scratch_env();
	bugle_dp_Ban ban = { .source = "192.0.2.9", .seconds = 60 };

	send_request(c, 21, bugle_dp_Method_METHOD_BAN_ADD, bugle_dp_Ban_fields, &ban);
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->request_id, 21);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	assert_string_equal(env->error, "no such source");
	assert_int_equal(env->payload.size, 0);

	/* A handler claiming more reply than it may write gets INTERNAL, not an overrun. */
	send_request(c, 22, bugle_dp_Method_METHOD_GET_STATS, NULL, NULL);
	env = scratch_env();
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_INTERNAL);
	assert_int_equal(counter(fx->srv, "handler_errors"), 2);
	assert_heartbeat_ok(fx, c, 23);
	client_free(c);
}

static void test_truncated_frame_then_close(void **state)
{
	struct fixture *fx = *state;
	struct tclient *good = client_new(fx);
	struct tclient *bad = client_new(fx);
	uint8_t wire[BGL_FRAME_HDR_LEN + 10] = { 0 };
	uint64_t tx = counter(fx->srv, "frames_tx");

	bgl_frame_header_encode(wire, 100);	/* promises 100 bytes, sends 10 */
	send_raw(bad, wire, sizeof(wire));
	close(bad->fd);
	bad->fd = -1;
	for (int i = 0; i < 20 && counter(fx->srv, "closed_truncated") == 0; i++)
		dpctl_server_poll(fx->srv, 10);
	assert_int_equal(counter(fx->srv, "closed_truncated"), 1);
	assert_int_equal(counter(fx->srv, "frames_rx"), 0);
	assert_int_equal(counter(fx->srv, "frames_tx"), tx);
	assert_int_equal(dpctl_server_clients(fx->srv, NULL), 1);
	assert_heartbeat_ok(fx, good, 31);
	free(bad);
	client_free(good);
}

static void test_oversized_length(void **state)
{
	struct fixture *fx = *state;
	struct tclient *good = client_new(fx);
	struct tclient *bad = client_new(fx);
	uint8_t hdr[BGL_FRAME_HDR_LEN];

	bgl_frame_header_encode(hdr, TEST_MAX_FRAME + 1);
	send_raw(bad, hdr, sizeof(hdr));
	assert_closed(fx, bad);
	assert_int_equal(counter(fx->srv, "closed_oversized"), 1);
	assert_heartbeat_ok(fx, good, 41);

	/* Lengths near 4 GiB are refused from the header alone. */
	struct tclient *bad2 = client_new(fx);
	const uint8_t huge[] = { 0, 0xff, 0xff, 0xff, 0xff };
	send_raw(bad2, huge, sizeof(huge));
	assert_closed(fx, bad2);
	assert_int_equal(counter(fx->srv, "closed_oversized"), 2);
	assert_heartbeat_ok(fx, good, 42);
	client_free(bad);
	client_free(bad2);
	client_free(good);
}

static void test_exact_max_frame_accepted(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c = client_new(fx);
	static bugle_dp_Envelope env;
	size_t size = 0;

	/* Grow the payload until the encoded envelope is exactly the limit. */
	memset(&env, 0, sizeof(env));
	env.request_id = 51;
	env.kind = bugle_dp_Kind_KIND_REQUEST;
	env.method = bugle_dp_Method_METHOD_SET_DISPATCHER;
	for (pb_size_t n = TEST_MAX_FRAME - 32; n < TEST_MAX_FRAME; n++) {
		env.payload.size = n;
		assert_true(pb_get_encoded_size(&size, bugle_dp_Envelope_fields, &env));
		if (size == TEST_MAX_FRAME)
			break;
	}
	assert_int_equal(size, TEST_MAX_FRAME);
	send_envelope(c, &env);
	bugle_dp_Envelope *resp = scratch_env();
	assert_int_equal(recv_envelope(fx, c, resp), 1);
	assert_int_equal(resp->request_id, 51);
	assert_int_equal(resp->status, bugle_dp_Status_STATUS_OK);

	/* One byte more closes the connection. */
	env.payload.size++;
	send_envelope(c, &env);
	assert_closed(fx, c);
	assert_int_equal(counter(fx->srv, "closed_oversized"), 1);
	client_free(c);
}

static void test_garbage_bytes(void **state)
{
	struct fixture *fx = *state;
	struct tclient *good = client_new(fx);
	struct tclient *bad = client_new(fx);
	const char http[] = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

	send_raw(bad, http, sizeof(http) - 1);
	assert_closed(fx, bad);
	assert_int_equal(counter(fx->srv, "closed_bad_flag"), 1);

	/* The gRPC "compressed" flag is refused too. */
	struct tclient *bad2 = client_new(fx);
	const uint8_t compressed[] = { 1, 0, 0, 0, 2, 0x08, 0x01 };
	send_raw(bad2, compressed, sizeof(compressed));
	assert_closed(fx, bad2);
	assert_int_equal(counter(fx->srv, "closed_bad_flag"), 2);
	assert_heartbeat_ok(fx, good, 61);
	client_free(bad);
	client_free(bad2);
	client_free(good);
}

static void test_undecodable_envelope(void **state)
{
	struct fixture *fx = *state;
	struct tclient *good = client_new(fx);
	struct tclient *bad = client_new(fx);
	/* A well-formed frame holding a varint that never ends. */
	const uint8_t wire[] = { 0, 0, 0, 0, 6, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff };

	send_raw(bad, wire, sizeof(wire));
	assert_closed(fx, bad);
	assert_int_equal(counter(fx->srv, "closed_undecodable"), 1);

	/* Payload longer than the nanopb bound for Envelope.payload also fails to decode. */
	struct tclient *bad2 = client_new(fx);
	const uint8_t wire2[] = { 0, 0, 0, 0, 4, 0x32, 0xff, 0xff, 0x7f };
	send_raw(bad2, wire2, sizeof(wire2));
	assert_closed(fx, bad2);
	assert_int_equal(counter(fx->srv, "closed_undecodable"), 2);
	assert_heartbeat_ok(fx, good, 71);
	client_free(bad);
	client_free(bad2);
	client_free(good);
}

static void test_not_a_request(void **state)
{
	struct fixture *fx = *state;
	struct tclient *good = client_new(fx);
	struct tclient *bad = client_new(fx);
	bugle_dp_Envelope *env = scratch_env();

	env->request_id = 1;
	env->kind = bugle_dp_Kind_KIND_RESPONSE;
	env->method = bugle_dp_Method_METHOD_HEARTBEAT;
	send_envelope(bad, env);
	assert_closed(fx, bad);
	assert_int_equal(counter(fx->srv, "closed_bad_kind"), 1);

	/* An empty frame is an Envelope of all defaults: kind UNSPECIFIED. */
	struct tclient *bad2 = client_new(fx);
	const uint8_t empty[] = { 0, 0, 0, 0, 0 };
	send_raw(bad2, empty, sizeof(empty));
	assert_closed(fx, bad2);
	assert_int_equal(counter(fx->srv, "closed_bad_kind"), 2);
	assert_heartbeat_ok(fx, good, 81);
	client_free(bad);
	client_free(bad2);
	client_free(good);
}

static void test_clients_beyond_max_refused(void **state)
{
	struct fixture *fx = *state;
	struct tclient *c[4];

	for (int i = 0; i < 4; i++)
		c[i] = client_new(fx);
	assert_int_equal(dpctl_server_clients(fx->srv, NULL), 3);
	assert_closed(fx, c[3]);
	assert_int_equal(counter(fx->srv, "clients_rejected_full"), 1);
	for (int i = 0; i < 3; i++)
		assert_heartbeat_ok(fx, c[i], 90 + (uint64_t)i);
	/* A slot freed is a slot reusable. */
	client_free(c[0]);
	for (int i = 0; i < 10 && dpctl_server_clients(fx->srv, NULL) == 3; i++)
		dpctl_server_poll(fx->srv, 5);
	c[0] = client_new(fx);
	assert_heartbeat_ok(fx, c[0], 95);
	assert_int_equal(counter(fx->srv, "clients_rejected_full"), 1);
	for (int i = 0; i < 4; i++)
		client_free(c[i]);
}

static void subscribe(struct fixture *fx, struct tclient *c, uint64_t id)
{
	bugle_dp_SubscribeRequest sub = { .node = "cp-test" };
	bugle_dp_Envelope *env = scratch_env();

	send_request(c, id, bugle_dp_Method_METHOD_SUBSCRIBE, bugle_dp_SubscribeRequest_fields, &sub);
	assert_int_equal(recv_envelope(fx, c, env), 1);
	assert_int_equal(env->kind, bugle_dp_Kind_KIND_RESPONSE);
	assert_int_equal(env->request_id, id);
	assert_int_equal(env->status, bugle_dp_Status_STATUS_OK);
}

static void test_publish_to_subscribers(void **state)
{
	struct fixture *fx = *state;
	struct tclient *sub = client_new(fx);
	struct tclient *other = client_new(fx);
	bugle_dp_Event ev = bugle_dp_Event_init_zero;
	unsigned subscribed = 0;

	subscribe(fx, sub, 100);
	assert_int_equal(dpctl_server_clients(fx->srv, &subscribed), 2);
	assert_int_equal(subscribed, 1);
	ev.kind = bugle_dp_EventKind_EVENT_DTMF;
	snprintf(ev.call_id, sizeof(ev.call_id), "abc@192.0.2.10");
	snprintf(ev.digit, sizeof(ev.digit), "5");
	ev.duration_ms = 160;
	assert_int_equal(dpctl_server_publish(fx->srv, &ev), 1);

	bugle_dp_Envelope *env = scratch_env();
	assert_int_equal(recv_envelope(fx, sub, env), 1);
	assert_int_equal(env->kind, bugle_dp_Kind_KIND_EVENT);
	assert_int_equal(env->request_id, 0);
	bugle_dp_Event got = bugle_dp_Event_init_zero;
	pb_istream_t is = pb_istream_from_buffer(env->payload.bytes, env->payload.size);
	assert_true(pb_decode(&is, bugle_dp_Event_fields, &got));
	assert_int_equal(got.kind, bugle_dp_EventKind_EVENT_DTMF);
	assert_string_equal(got.call_id, "abc@192.0.2.10");
	assert_string_equal(got.digit, "5");
	assert_int_equal(got.duration_ms, 160);

	/* The unsubscribed client's next frame is its own reply, not the event. */
	assert_heartbeat_ok(fx, other, 101);
	assert_int_equal(counter(fx->srv, "events_published"), 1);
	client_free(sub);
	client_free(other);
}

static void test_slow_reader_disconnected(void **state)
{
	struct fixture *fx = *state;
	struct tclient *slow = client_new(fx);
	struct tclient *good = client_new(fx);
	bugle_dp_Event ev = bugle_dp_Event_init_zero;
	int published = 0;

	subscribe(fx, slow, 110);
	ev.kind = bugle_dp_EventKind_EVENT_COUNTERS;
	ev.counters_count = 60;
	for (int i = 0; i < 60; i++) {
		snprintf(ev.counters[i].name, sizeof(ev.counters[i].name),
			 "counter_with_a_long_descriptive_name_%02d", i);
		ev.counters[i].value = UINT64_MAX - (uint64_t)i;
	}
	/* The slow client never reads: socket buffers then the bounded queue fill up. */
	for (int i = 0; i < 20000 && counter(fx->srv, "closed_slow_reader") == 0; i++) {
		if (dpctl_server_publish(fx->srv, &ev) == 1)
			published++;
		dpctl_server_poll(fx->srv, 0);
	}
	assert_int_equal(counter(fx->srv, "closed_slow_reader"), 1);
	assert_true(published > (int)DPCTL_OUT_QUEUE_FRAMES);
	assert_int_equal(dpctl_server_publish(fx->srv, &ev), 0);
	assert_heartbeat_ok(fx, good, 111);
	client_free(slow);
	client_free(good);
}

static void test_unix_socket_in_use_and_stale(void **state)
{
	struct fixture *fx = *state;
	char addr[128];
	struct dpctl_server_config cfg = { .listen = addr };

	snprintf(addr, sizeof(addr), "unix:%s", fx->path);
	/* A live server owns the path. */
	assert_null(dpctl_server_new(&cfg, NULL, 0, NULL));
	assert_int_equal(errno, EADDRINUSE);
	dpctl_server_free(fx->srv);

	/* A socket file left by a dead process is replaced. */
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", fx->path);
	assert_int_equal(bind(fd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	close(fd);
	assert_int_equal(access(fx->path, F_OK), 0);
	start(fx, addr, 3);
	struct tclient *c = client_new(fx);
	assert_heartbeat_ok(fx, c, 120);
	client_free(c);
}

static void test_bad_config(void **state)
{
	struct dpctl_server_config cfg = { .listen = "localhost:7010" };

	(void)state;
	assert_null(dpctl_server_new(&cfg, NULL, 0, NULL));
	assert_int_equal(errno, EINVAL);
	cfg = (struct dpctl_server_config){ .listen = "127.0.0.1:0", .max_frame = 100 };
	assert_null(dpctl_server_new(&cfg, NULL, 0, NULL));
	assert_int_equal(errno, EINVAL);
}

static void test_counters_by_name(void **state)
{
	struct fixture *fx = *state;
	const char *names[64];
	uint64_t values[64];
	uint64_t v;
	size_t n = dpctl_server_counters(fx->srv, names, values, 64);

	assert_int_equal(n, DPCTL_N_COUNTERS);
	assert_string_equal(names[DPCTL_C_frames_rx], "frames_rx");
	assert_string_equal(names[DPCTL_C_closed_slow_reader], "closed_slow_reader");
	assert_int_equal(dpctl_server_counter(fx->srv, "no_such_counter", &v), -ENOENT);
	assert_int_equal(dpctl_server_counters(fx->srv, names, values, 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_heartbeat_round_trip, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_heartbeat_round_trip, setup_unix, teardown),
		cmocka_unit_test_setup_teardown(test_pipelined_requests_in_one_write, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_method, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_handler_error, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_frame_then_close, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_oversized_length, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_exact_max_frame_accepted, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_garbage_bytes, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_undecodable_envelope, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_not_a_request, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_clients_beyond_max_refused, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_publish_to_subscribers, setup_tcp, teardown),
		cmocka_unit_test_setup_teardown(test_slow_reader_disconnected, setup_unix, teardown),
		cmocka_unit_test_setup_teardown(test_unix_socket_in_use_and_stale, setup_unix, teardown),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test_setup_teardown(test_counters_by_name, setup_tcp, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
