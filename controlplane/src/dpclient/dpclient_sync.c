/* A blocking one-call client for tools and tests: connect, send one request, wait for its
 * response (skipping events), all within one overall timeout. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bugle/frame.h"
#include "dpclient.h"

#define SYNC_REQUEST_ID 1

struct sync_call {
	int fd;
	int64_t deadline_ms;
	char *err;
	size_t errlen;
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

__attribute__((format(printf, 3, 4))) static int fail(struct sync_call *s, int rc,
						       const char *fmt, ...)
{
	va_list ap;

	if (s->err && s->errlen) {
		va_start(ap, fmt);
		vsnprintf(s->err, s->errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* Waits for events on the socket until the overall deadline: 0, -ETIMEDOUT or -errno. */
static int wait_for(struct sync_call *s, short events)
{
	struct pollfd p = { .fd = s->fd, .events = events };

	for (;;) {
		int64_t left = s->deadline_ms - mono_ms();
		int rc;

		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&p, 1, (int)left);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

static int connect_to(struct sync_call *s, const struct bgl_frame_addr *addr)
{
	int soerr = 0, rc;
	socklen_t len = sizeof(soerr);

	s->fd = socket(addr->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0)
		return -errno;
	if (connect(s->fd, (const struct sockaddr *)&addr->sa, addr->sa_len) == 0)
		return 0;
	if (errno != EINPROGRESS && errno != EAGAIN)
		return -errno;
	rc = wait_for(s, POLLOUT);
	if (rc < 0)
		return rc;
	if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return -errno;
	return -soerr;
}

static int send_all(struct sync_call *s, const uint8_t *p, size_t len)
{
	while (len > 0) {
		ssize_t n = send(s->fd, p, len, MSG_NOSIGNAL);

		if (n < 0) {
			int rc;

			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				return -errno;
			rc = wait_for(s, POLLOUT);
			if (rc < 0)
				return rc;
			continue;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int send_request(struct sync_call *s, Bugle__Dp__Method method, const ProtobufCMessage *req)
{
	Bugle__Dp__Envelope env = BUGLE__DP__ENVELOPE__INIT;
	size_t plen = protobuf_c_message_get_packed_size(req);
	uint8_t *payload = malloc(plen ? plen : 1);
	uint8_t *frame = NULL;
	size_t len;
	int rc = -ENOMEM;

	if (!payload)
		return rc;
	protobuf_c_message_pack(req, payload);
	env.request_id = SYNC_REQUEST_ID;
	env.kind = BUGLE__DP__KIND__KIND_REQUEST;
	env.method = method;
	env.payload.data = payload;
	env.payload.len = plen;
	len = bugle__dp__envelope__get_packed_size(&env);
	if (len > BGL_FRAME_MAX_DEFAULT) {
		rc = -EMSGSIZE;
		goto out;
	}
	frame = malloc(BGL_FRAME_HDR_LEN + len);
	if (!frame)
		goto out;
	bgl_frame_header_encode(frame, (uint32_t)len);
	bugle__dp__envelope__pack(&env, frame + BGL_FRAME_HDR_LEN);
	rc = send_all(s, frame, BGL_FRAME_HDR_LEN + len);
out:
	free(frame);
	free(payload);
	return rc;
}

/* Reads frames until the response to our request; returns it unpacked (or NULL and *rc). */
static Bugle__Dp__Envelope *read_response(struct sync_call *s, struct bgl_frame_reader *rd,
					  int *rc)
{
	struct bgl_frame f;

	for (;;) {
		int got = bgl_frame_reader_next(rd, &f);

		if (got < 0) {
			*rc = fail(s, got, "bad frame from the data plane: %s", strerror(-got));
			return NULL;
		}
		if (got == 1) {
			Bugle__Dp__Envelope *env = bugle__dp__envelope__unpack(NULL, f.len, f.data);

			if (!env) {
				*rc = fail(s, -EBADMSG, "undecodable envelope from the data plane");
				return NULL;
			}
			if (env->kind == BUGLE__DP__KIND__KIND_RESPONSE &&
			    env->request_id == SYNC_REQUEST_ID)
				return env;
			bugle__dp__envelope__free_unpacked(env, NULL);	/* an event: not ours */
			continue;
		}
		uint8_t *dst;
		size_t room = bgl_frame_reader_space(rd, &dst);
		ssize_t n = recv(s->fd, dst, room, 0);
		if (n > 0) {
			bgl_frame_reader_commit(rd, (size_t)n);
			continue;
		}
		if (n == 0) {
			*rc = fail(s, -ECONNRESET, "data plane closed the connection");
			return NULL;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			*rc = fail(s, -errno, "receive: %s", strerror(errno));
			return NULL;
		}
		*rc = wait_for(s, POLLIN);
		if (*rc < 0) {
			*rc = fail(s, *rc, "no reply: %s", strerror(-*rc));
			return NULL;
		}
	}
}

static int take_reply(struct sync_call *s, const Bugle__Dp__Envelope *env,
		      const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply)
{
	if (env->status != BUGLE__DP__STATUS__STATUS_OK)
		return fail(s, (int)env->status, "%s", env->error ? env->error : "");
	if (!reply)
		return 0;
	*reply = protobuf_c_message_unpack(reply_desc, NULL, env->payload.len, env->payload.data);
	if (!*reply)
		return fail(s, -EBADMSG, "undecodable reply");
	return 0;
}

int dpclient_sync_call(const char *addr, Bugle__Dp__Method method, const ProtobufCMessage *req,
		       const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply,
		       char *err, size_t errlen, int timeout_ms)
{
	const ProtobufCMethodDescriptor *m = dpclient_method_descriptor(method);
	struct sync_call s = { .fd = -1, .deadline_ms = mono_ms() + timeout_ms, .err = err,
			       .errlen = errlen };
	struct bgl_frame_addr a;
	struct bgl_frame_reader rd;
	Bugle__Dp__Envelope *env = NULL;
	uint8_t *buf = NULL;
	int rc;

	if (err && errlen)
		err[0] = '\0';
	if (reply)
		*reply = NULL;
	if (!m || !req || req->descriptor != m->input)
		return fail(&s, -EINVAL, "unknown method or wrong request type");
	if (bgl_frame_addr_parse(addr, &a) < 0)
		return fail(&s, -EINVAL, "bad address '%s'", addr ? addr : "");
	rc = connect_to(&s, &a);
	if (rc < 0) {
		rc = fail(&s, rc, "connect to %s: %s", addr, strerror(-rc));
		goto out;
	}
	rc = send_request(&s, method, req);
	if (rc < 0) {
		rc = fail(&s, rc, "send to %s: %s", addr, strerror(-rc));
		goto out;
	}
	buf = malloc(BGL_FRAME_HDR_LEN + BGL_FRAME_MAX_DEFAULT);
	if (!buf) {
		rc = fail(&s, -ENOMEM, "out of memory");
		goto out;
	}
	bgl_frame_reader_init(&rd, buf, BGL_FRAME_HDR_LEN + BGL_FRAME_MAX_DEFAULT,
			      BGL_FRAME_MAX_DEFAULT);
	env = read_response(&s, &rd, &rc);
	if (env)
		rc = take_reply(&s, env, reply_desc ? reply_desc : m->output, reply);
out:
	if (env)
		bugle__dp__envelope__free_unpacked(env, NULL);
	free(buf);
	if (s.fd >= 0)
		close(s.fd);
	return rc;
}
