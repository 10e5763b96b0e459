/* The connection to one data plane: connect, reconnect with back-off, read frames, write
 * frames, subscribe and heartbeat. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bugle/log.h"
#include "dpclient-int.h"

struct dpc_write {
	uv_write_t req;
	struct dpclient *c;
	uv_buf_t buf;
	uint8_t data[];
};

static void start_connect(struct dpclient *c);

static void on_reconnect_timer(uv_timer_t *t)
{
	start_connect(t->data);
}

void dpc_conn_schedule(struct dpclient *c, uint64_t delay_ms)
{
	c->state = DPC_DOWN;
	uv_timer_start(&c->reconnect_timer, on_reconnect_timer, delay_ms, 0);
}

static void on_io_closed(uv_handle_t *h)
{
	struct dpclient *c = h->data;

	c->io_open = false;
	if (c->freeing) {
		dpc_conn_close_cb(h);
		return;
	}
	c->open_handles--;
	/* The back-off starts again only after a connection that carried a reply, so a data
	 * plane that accepts and drops at once is not hammered. */
	if (c->proven) {
		dpc_backoff_reset(&c->backoff);
		c->proven = false;
	}
	dpc_conn_schedule(c, dpc_backoff_next(&c->backoff));
}

static void close_io(struct dpclient *c)
{
	if (c->io_open && !uv_is_closing(&c->io.handle))
		uv_close(&c->io.handle, on_io_closed);
}

void dpc_conn_shutdown(struct dpclient *c)
{
	close_io(c);
}

void dpc_conn_drop(struct dpclient *c, enum dpclient_counter why, const char *reason)
{
	bool was_up = c->state == DPC_UP;

	if (c->state != DPC_UP && c->state != DPC_CONNECTING)
		return;
	c->counters[why]++;
	c->state = DPC_CLOSING;
	if (reason)
		BGL_WARN("dpclient %s: closing connection: %s", c->addr_text, reason);
	uv_timer_stop(&c->heartbeat_timer);
	if (was_up)
		uv_read_stop(&c->io.stream);
	close_io(c);
	dpc_calls_fail_all(c, BUGLE__DP__STATUS__STATUS_UNAVAILABLE, "connection to data plane lost");
	if (was_up) {
		DPC_COUNT(c, disconnects);
		if (c->cbs.on_state)
			c->cbs.on_state(c->cbs.arg, false);
	}
}

static void on_write(uv_write_t *req, int status)
{
	struct dpc_write *w = (struct dpc_write *)req;
	struct dpclient *c = w->c;

	free(w);
	if (status < 0 && status != UV_ECANCELED && !c->freeing)
		dpc_conn_drop(c, DPCLIENT_C_closed_io_error, uv_strerror(status));
}

int dpc_conn_send(struct dpclient *c, const Bugle__Dp__Envelope *env)
{
	size_t len = bugle__dp__envelope__get_packed_size(env);
	struct dpc_write *w;
	int rc;

	if (len > c->cfg.max_frame)
		return -EMSGSIZE;
	if (uv_stream_get_write_queue_size(&c->io.stream) > DPCLIENT_WRITE_QUEUE_MAX)
		return -ENOBUFS;
	w = malloc(sizeof(*w) + BGL_FRAME_HDR_LEN + len);
	if (!w)
		return -ENOMEM;
	w->c = c;
	bgl_frame_header_encode(w->data, (uint32_t)len);
	bugle__dp__envelope__pack(env, w->data + BGL_FRAME_HDR_LEN);
	w->buf = uv_buf_init((char *)w->data, (unsigned)(BGL_FRAME_HDR_LEN + len));
	rc = uv_write(&w->req, &c->io.stream, &w->buf, 1, on_write);
	if (rc < 0) {
		free(w);
		return rc;
	}
	DPC_COUNT(c, frames_tx);
	return 0;
}

static void handle_event(struct dpclient *c, const Bugle__Dp__Envelope *env)
{
	Bugle__Dp__Event *ev = bugle__dp__event__unpack(NULL, env->payload.len, env->payload.data);

	if (!ev) {
		DPC_COUNT(c, events_undecodable);
		return;
	}
	DPC_COUNT(c, events_rx);
	if (c->cbs.on_event)
		c->cbs.on_event(c->cbs.arg, ev);
	bugle__dp__event__free_unpacked(ev, NULL);
}

/* One frame from the data plane; returns false when the connection was dropped. */
static bool handle_frame(struct dpclient *c, const struct bgl_frame *f)
{
	Bugle__Dp__Envelope *env = bugle__dp__envelope__unpack(NULL, f->len, f->data);
	bool ok = true;

	DPC_COUNT(c, frames_rx);
	if (!env) {
		dpc_conn_drop(c, DPCLIENT_C_closed_undecodable, "undecodable envelope");
		return false;
	}
	switch (env->kind) {
	case BUGLE__DP__KIND__KIND_RESPONSE:
		dpc_calls_complete(c, env);
		break;
	case BUGLE__DP__KIND__KIND_EVENT:
		handle_event(c, env);
		break;
	default:
		/* The data plane never sends requests: whatever this is, it is not our peer. */
		dpc_conn_drop(c, DPCLIENT_C_closed_bad_kind, "envelope that is not a response or event");
		ok = false;
		break;
	}
	bugle__dp__envelope__free_unpacked(env, NULL);
	return ok && c->state == DPC_UP;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct dpclient *c = h->data;
	uint8_t *dst;
	size_t room = bgl_frame_reader_space(&c->rd, &dst);

	(void)suggested;
	*buf = uv_buf_init((char *)dst, (unsigned)room);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct dpclient *c = s->data;
	struct bgl_frame f;
	int rc;

	(void)buf;
	if (nread == UV_EOF) {
		dpc_conn_drop(c, DPCLIENT_C_closed_by_peer, "closed by the data plane");
		return;
	}
	if (nread < 0) {
		dpc_conn_drop(c, DPCLIENT_C_closed_io_error, uv_strerror((int)nread));
		return;
	}
	bgl_frame_reader_commit(&c->rd, (size_t)nread);
	while ((rc = bgl_frame_reader_next(&c->rd, &f)) == 1)
		if (!handle_frame(c, &f))
			return;
	if (rc == -EPROTO)
		dpc_conn_drop(c, DPCLIENT_C_closed_bad_flag, "frame flag is not 0");
	else if (rc == -EMSGSIZE)
		dpc_conn_drop(c, DPCLIENT_C_closed_oversized, "frame length exceeds the limit");
}

static void on_heartbeat_reply(void *arg, Bugle__Dp__Status status, const char *error,
			       const ProtobufCMessage *reply)
{
	struct dpclient *c = arg;
	char why[96];

	(void)error, (void)reply;
	if (status == BUGLE__DP__STATUS__STATUS_UNAVAILABLE ||
	    status == BUGLE__DP__STATUS__STATUS_CANCELLED)
		return;	/* the connection is already going */
	if (status != BUGLE__DP__STATUS__STATUS_DEADLINE_EXCEEDED) {
		c->hb_missed = 0;	/* any answer, even an error, proves it alive */
		return;
	}
	DPC_COUNT(c, heartbeats_missed);
	if (++c->hb_missed >= c->cfg.heartbeat_misses) {
		snprintf(why, sizeof(why), "%u heartbeats missed, marking the data plane down",
			 c->hb_missed);
		dpc_conn_drop(c, DPCLIENT_C_heartbeat_resets, why);
	}
}

static void on_heartbeat_timer(uv_timer_t *t)
{
	struct dpclient *c = t->data;
	Bugle__Dp__HeartbeatRequest hb = BUGLE__DP__HEARTBEAT_REQUEST__INIT;

	hb.sent_ns = uv_hrtime();
	hb.node = c->node;
	/* A heartbeat unanswered by the next one counts as missed. */
	if (dpc_call_internal(c, BUGLE__DP__METHOD__METHOD_HEARTBEAT, &hb.base, on_heartbeat_reply,
			      c->cfg.heartbeat_ms) == 0)
		DPC_COUNT(c, heartbeats_sent);
}

static void on_subscribed(void *arg, Bugle__Dp__Status status, const char *error,
			  const ProtobufCMessage *reply)
{
	struct dpclient *c = arg;

	(void)reply;
	if (status != BUGLE__DP__STATUS__STATUS_OK &&
	    status != BUGLE__DP__STATUS__STATUS_UNAVAILABLE &&
	    status != BUGLE__DP__STATUS__STATUS_CANCELLED)
		BGL_WARN("dpclient %s: subscribe failed: %s", c->addr_text, error);
}

static void on_connect(uv_connect_t *req, int status)
{
	struct dpclient *c = req->data;
	Bugle__Dp__SubscribeRequest sub = BUGLE__DP__SUBSCRIBE_REQUEST__INIT;

	if (c->freeing || status == UV_ECANCELED || c->state != DPC_CONNECTING)
		return;
	if (status < 0) {
		DPC_COUNT(c, connect_failures);
		if (!c->failing_logged)
			BGL_WARN("dpclient %s: cannot connect: %s (retrying with back-off)",
				 c->addr_text, uv_strerror(status));
		c->failing_logged = true;
		c->state = DPC_CLOSING;
		close_io(c);
		return;
	}
	c->state = DPC_UP;
	c->proven = false;
	c->failing_logged = false;
	c->hb_missed = 0;
	bgl_frame_reader_reset(&c->rd);
	uv_read_start(&c->io.stream, on_alloc, on_read);
	DPC_COUNT(c, connects);
	BGL_INFO("dpclient %s: connected", c->addr_text);
	sub.node = c->node;
	if (dpc_call_internal(c, BUGLE__DP__METHOD__METHOD_SUBSCRIBE, &sub.base, on_subscribed,
			      c->cfg.call_timeout_ms) < 0) {
		dpc_conn_drop(c, DPCLIENT_C_closed_io_error, "cannot send subscribe");
		return;
	}
	uv_timer_start(&c->heartbeat_timer, on_heartbeat_timer, c->cfg.heartbeat_ms,
		       c->cfg.heartbeat_ms);
	if (c->cbs.on_state)
		c->cbs.on_state(c->cbs.arg, true);
}

static void start_connect(struct dpclient *c)
{
	int rc;

	DPC_COUNT(c, connect_attempts);
	if (c->addr.is_unix)
		rc = uv_pipe_init(c->loop, &c->io.pipe, 0);
	else
		rc = uv_tcp_init_ex(c->loop, &c->io.tcp, c->addr.sa.ss_family);
	if (rc < 0) {
		DPC_COUNT(c, connect_failures);
		dpc_conn_schedule(c, dpc_backoff_next(&c->backoff));
		return;
	}
	c->io.handle.data = c;
	c->io_open = true;
	c->open_handles++;
	c->connect_req.data = c;
	c->state = DPC_CONNECTING;
	if (c->addr.is_unix) {
		uv_pipe_connect(&c->connect_req, &c->io.pipe, c->addr.path, on_connect);
		return;
	}
	uv_tcp_nodelay(&c->io.tcp, 1);
	rc = uv_tcp_connect(&c->connect_req, &c->io.tcp, (const struct sockaddr *)&c->addr.sa,
			    on_connect);
	if (rc < 0)
		on_connect(&c->connect_req, rc);
}
