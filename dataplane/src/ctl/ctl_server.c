/* Control-channel server life cycle, the poll loop, event publishing and counters. */
#include "ctl_server.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pb_encode.h>

#include "bugle/log.h"
#include "ctl_listen.h"
#include "ctl_server-int.h"

/* Accepting is bounded per poll so a connect storm cannot starve the main lcore. */
#define CTL_ACCEPTS_PER_POLL 16
/* Room an Envelope needs around its payload: request id, kind, method, status, error text. */
#define CTL_ENVELOPE_OVERHEAD (32 + sizeof(((bugle_dp_Envelope *)0)->error) + 8)

static const char *const counter_names[] = {
#define DPCTL_COUNTER_NAME(name) #name,
	DPCTL_COUNTERS(DPCTL_COUNTER_NAME)
#undef DPCTL_COUNTER_NAME
};

void ctl_server_close_conn(struct dpctl_server *srv, struct dpctl_conn *c,
			   enum dpctl_counter why, const char *reason)
{
	if (c->fd < 0)
		return;
	srv->counters[why]++;
	if (reason)
		BGL_WARN("ctl: closing client %s: %s", c->peer, reason);
	ctl_conn_detach(c);
}

static uint16_t bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return 0;
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return 0;
}

static int server_alloc(struct dpctl_server *srv)
{
	size_t out_cap = DPCTL_OUT_QUEUE_FRAMES * (BGL_FRAME_HDR_LEN + (size_t)srv->max_frame);

	srv->conns = calloc(srv->max_clients, sizeof(*srv->conns));
	srv->pfds = calloc(srv->max_clients + 1, sizeof(*srv->pfds));
	srv->pfd_conn = calloc(srv->max_clients + 1, sizeof(*srv->pfd_conn));
	srv->req = malloc(sizeof(*srv->req));
	srv->resp = malloc(sizeof(*srv->resp));
	srv->event = malloc(sizeof(*srv->event));
	srv->event_frame = malloc(BGL_FRAME_HDR_LEN + (size_t)srv->max_frame);
	if (!srv->conns || !srv->pfds || !srv->pfd_conn || !srv->req || !srv->resp ||
	    !srv->event || !srv->event_frame)
		return -ENOMEM;
	for (unsigned i = 0; i < srv->max_clients; i++)
		srv->conns[i].fd = -1;
	for (unsigned i = 0; i < srv->max_clients; i++) {
		int rc = ctl_conn_init(&srv->conns[i], srv->max_frame, out_cap);

		if (rc < 0)
			return rc;
	}
	return 0;
}

struct dpctl_server *dpctl_server_new(const struct dpctl_server_config *cfg,
				      const struct dpctl_method *methods, size_t n_methods,
				      void *ctx)
{
	struct dpctl_server *srv;
	const char *listen_addr = cfg && cfg->listen ? cfg->listen : DPCTL_LISTEN_DEFAULT;
	int rc;

	if ((n_methods && !methods) || (cfg && cfg->max_frame && (cfg->max_frame < 512 ||
								   cfg->max_frame > BGL_FRAME_MAX_LIMIT))) {
		errno = EINVAL;
		return NULL;
	}
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return NULL;
	srv->listen_fd = -1;
	srv->max_frame = cfg && cfg->max_frame ? cfg->max_frame : BGL_FRAME_MAX_DEFAULT;
	srv->max_clients = cfg && cfg->max_clients ? cfg->max_clients : DPCTL_MAX_CLIENTS_DEFAULT;
	srv->ctx = ctx;
	srv->resp_cap = sizeof(srv->resp->payload.bytes);
	if (srv->resp_cap > srv->max_frame - CTL_ENVELOPE_OVERHEAD)
		srv->resp_cap = srv->max_frame - CTL_ENVELOPE_OVERHEAD;
	rc = bgl_frame_addr_parse(listen_addr, &srv->addr);
	if (rc < 0) {
		BGL_ERR("ctl: bad listen address '%s' (want host:port or unix:/path)", listen_addr);
		goto fail;
	}
	if (n_methods) {
		srv->methods = malloc(n_methods * sizeof(*methods));
		if (!srv->methods) {
			rc = -ENOMEM;
			goto fail;
		}
		memcpy(srv->methods, methods, n_methods * sizeof(*methods));
		srv->n_methods = n_methods;
	}
	rc = server_alloc(srv);
	if (rc < 0)
		goto fail;
	rc = ctl_listen_open(&srv->addr);
	if (rc < 0) {
		BGL_ERR("ctl: cannot listen on %s: %s", listen_addr, strerror(-rc));
		goto fail;
	}
	srv->listen_fd = rc;
	srv->port = bound_port(srv->listen_fd);
	if (srv->addr.is_unix)
		BGL_INFO("ctl: listening on %s", listen_addr);
	else
		BGL_INFO("ctl: listening on %s (port %u)", listen_addr, srv->port);
	return srv;
fail:
	dpctl_server_free(srv);
	errno = -rc;
	return NULL;
}

static void accept_clients(struct dpctl_server *srv)
{
	char peer[64];

	for (int n = 0; n < CTL_ACCEPTS_PER_POLL; n++) {
		int fd = ctl_listen_accept(srv->listen_fd, peer, sizeof(peer));
		struct dpctl_conn *slot = NULL;

		if (fd == -EAGAIN)
			return;
		if (fd < 0) {
			/* EMFILE and friends: the pending connection stays queued; try next poll. */
			DPCTL_COUNT(srv, accept_errors);
			return;
		}
		for (unsigned i = 0; i < srv->max_clients && !slot; i++)
			if (srv->conns[i].fd < 0)
				slot = &srv->conns[i];
		if (!slot) {
			DPCTL_COUNT(srv, clients_rejected_full);
			BGL_WARN("ctl: refusing client %s: all %u slots in use", peer,
				 srv->max_clients);
			close(fd);
			continue;
		}
		ctl_conn_attach(slot, fd, peer);
		DPCTL_COUNT(srv, clients_accepted);
	}
}

/* One read per poll per client keeps the work per call bounded. Returns frames handled. */
static int service_input(struct dpctl_server *srv, struct dpctl_conn *c)
{
	struct bgl_frame f;
	uint8_t *dst;
	size_t room = bgl_frame_reader_space(&c->rd, &dst);
	ssize_t n;
	int handled = 0, rc;

	do
		n = recv(c->fd, dst, room, MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return 0;
		ctl_server_close_conn(srv, c, DPCTL_C_closed_io_error, strerror(errno));
		return 0;
	}
	if (n == 0) {
		if (bgl_frame_reader_pending(&c->rd))
			ctl_server_close_conn(srv, c, DPCTL_C_closed_truncated,
					      "connection ended inside a frame");
		else
			ctl_server_close_conn(srv, c, DPCTL_C_clients_closed, NULL);
		return 0;
	}
	srv->counters[DPCTL_C_bytes_rx] += (uint64_t)n;
	bgl_frame_reader_commit(&c->rd, (size_t)n);
	while ((rc = bgl_frame_reader_next(&c->rd, &f)) == 1) {
		handled++;
		if (ctl_dispatch_frame(srv, c, &f) < 0)
			return handled;
	}
	if (rc == -EPROTO) {
		ctl_server_close_conn(srv, c, DPCTL_C_closed_bad_flag,
				      "frame flag is not 0 (compression or not the channel protocol)");
	} else if (rc == -EMSGSIZE) {
		ctl_server_close_conn(srv, c, DPCTL_C_closed_oversized,
				      "frame length exceeds the limit");
	}
	return handled;
}

static void service_output(struct dpctl_server *srv, struct dpctl_conn *c)
{
	int rc;

	if (c->fd < 0 || !ctl_conn_out_pending(c))
		return;
	rc = ctl_conn_flush(c, &srv->counters[DPCTL_C_bytes_tx]);
	if (rc < 0)
		ctl_server_close_conn(srv, c, DPCTL_C_closed_io_error, strerror(-rc));
}

int dpctl_server_poll(struct dpctl_server *srv, int timeout_ms)
{
	nfds_t n = 1;
	int handled = 0, rc;

	if (!srv)
		return -EINVAL;
	srv->pfds[0] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
	for (unsigned i = 0; i < srv->max_clients; i++) {
		struct dpctl_conn *c = &srv->conns[i];

		if (c->fd < 0)
			continue;
		srv->pfds[n] = (struct pollfd){
			.fd = c->fd,
			.events = (short)(POLLIN | (ctl_conn_out_pending(c) ? POLLOUT : 0)),
		};
		srv->pfd_conn[n++] = i;
	}
	rc = poll(srv->pfds, n, timeout_ms);
	if (rc < 0)
		return errno == EINTR ? 0 : -errno;
	if (rc == 0)
		return 0;
	/* Clients first, so a slot freed and reused by accept in this call is not misread. */
	for (nfds_t i = 1; i < n; i++) {
		struct dpctl_conn *c = &srv->conns[srv->pfd_conn[i]];
		short rev = srv->pfds[i].revents;

		if (rev & POLLOUT)
			service_output(srv, c);
		if (c->fd >= 0 && (rev & (POLLIN | POLLHUP | POLLERR)))
			handled += service_input(srv, c);
		service_output(srv, c);
	}
	if (srv->pfds[0].revents & POLLIN)
		accept_clients(srv);
	return handled;
}

int dpctl_server_publish(struct dpctl_server *srv, const bugle_dp_Event *ev)
{
	bugle_dp_Envelope *env;
	int queued = 0;

	if (!srv || !ev)
		return -EINVAL;
	env = srv->event;
	memset(env, 0, offsetof(bugle_dp_Envelope, payload.bytes));
	env->kind = bugle_dp_Kind_KIND_EVENT;
	env->method = bugle_dp_Method_METHOD_SUBSCRIBE;
	pb_ostream_t os = pb_ostream_from_buffer(env->payload.bytes, srv->resp_cap);
	if (!pb_encode(&os, bugle_dp_Event_fields, ev)) {
		DPCTL_COUNT(srv, events_too_large);
		return -EMSGSIZE;
	}
	env->payload.size = (pb_size_t)os.bytes_written;
	for (unsigned i = 0; i < srv->max_clients; i++) {
		struct dpctl_conn *c = &srv->conns[i];

		if (c->fd < 0 || !c->subscribed)
			continue;
		if (ctl_dispatch_queue(srv, c, env) < 0)
			continue;	/* closed as a slow reader or on a socket error */
		service_output(srv, c);
		queued++;
	}
	DPCTL_COUNT(srv, events_published);
	return queued;
}

size_t dpctl_server_counters(const struct dpctl_server *srv, const char **names,
			     uint64_t *values, size_t cap)
{
	size_t n = cap < DPCTL_N_COUNTERS ? cap : DPCTL_N_COUNTERS;

	for (size_t i = 0; i < n; i++) {
		if (names)
			names[i] = counter_names[i];
		if (values)
			values[i] = srv->counters[i];
	}
	return n;
}

int dpctl_server_counter(const struct dpctl_server *srv, const char *name, uint64_t *value)
{
	for (size_t i = 0; i < DPCTL_N_COUNTERS; i++) {
		if (strcmp(counter_names[i], name) == 0) {
			*value = srv->counters[i];
			return 0;
		}
	}
	return -ENOENT;
}

int dpctl_server_listen_fd(const struct dpctl_server *srv)
{
	return srv->listen_fd;
}

uint16_t dpctl_server_port(const struct dpctl_server *srv)
{
	return srv->port;
}

unsigned dpctl_server_clients(const struct dpctl_server *srv, unsigned *subscribed)
{
	unsigned n = 0, s = 0;

	for (unsigned i = 0; i < srv->max_clients; i++) {
		if (srv->conns[i].fd < 0)
			continue;
		n++;
		s += srv->conns[i].subscribed;
	}
	if (subscribed)
		*subscribed = s;
	return n;
}

void dpctl_server_free(struct dpctl_server *srv)
{
	if (!srv)
		return;
	if (srv->conns)
		for (unsigned i = 0; i < srv->max_clients; i++)
			ctl_conn_destroy(&srv->conns[i]);
	if (srv->listen_fd >= 0) {
		close(srv->listen_fd);
		if (srv->addr.is_unix)
			unlink(srv->addr.path);
	}
	free(srv->conns);
	free(srv->pfds);
	free(srv->pfd_conn);
	free(srv->req);
	free(srv->resp);
	free(srv->event);
	free(srv->event_frame);
	free(srv->methods);
	free(srv);
}
