/* Sockets for the metrics endpoint. Everything is allocated in ops_http_server_new; poll never
 * allocates and never blocks (non-blocking sockets, poll(2) with a zero timeout). Owned by the
 * main lcore: no other thread touches it. */
#define _GNU_SOURCE	/* accept4 */
#include "ops_http_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ops_http.h"

#define HEAD_RESERVE 256	/* room before the body for the response head */

struct ops_http_client {
	int fd;			/* -1: slot free */
	bool replying;		/* the response is built; only writing is left */
	uint64_t deadline_ms;
	size_t in_len;
	char in[OPS_HTTP_MAX_REQUEST];
	char *out;		/* HEAD_RESERVE + OPS_HTTP_BODY_MAX bytes, from start-up */
	size_t out_off, out_end;
};

struct ops_http_server {
	int listen_fd;
	uint16_t port;
	ops_http_render_fn render;
	void *arg;
	uint64_t last_poll_ms;
	uint64_t ctr[OPS_HTTP_COUNTER_COUNT];
	struct ops_http_client c[OPS_HTTP_MAX_CLIENTS];
};

static const char *const counter_names[] = {
#define OPS_HTTP_COUNTER_NAME(name, help) #name,
	OPS_HTTP_COUNTERS(OPS_HTTP_COUNTER_NAME)
#undef OPS_HTTP_COUNTER_NAME
};
static const char *const counter_helps[] = {
#define OPS_HTTP_COUNTER_HELP(name, help) help,
	OPS_HTTP_COUNTERS(OPS_HTTP_COUNTER_HELP)
#undef OPS_HTTP_COUNTER_HELP
};

const char *ops_http_counter_name(unsigned id)
{
	return id < OPS_HTTP_COUNTER_COUNT ? counter_names[id] : NULL;
}

const char *ops_http_counter_help(unsigned id)
{
	return id < OPS_HTTP_COUNTER_COUNT ? counter_helps[id] : NULL;
}

static int parse_listen(const char *addr, struct sockaddr_in *sa)
{
	const char *colon = strrchr(addr, ':');
	char host[64];
	if (!colon || (size_t)(colon - addr) >= sizeof(host))
		return -EINVAL;
	memcpy(host, addr, (size_t)(colon - addr));
	host[colon - addr] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (!colon[1] || *end || port < 0 || port > 65535)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -EINVAL;
}

struct ops_http_server *ops_http_server_new(const char *addr, ops_http_render_fn render,
					    void *arg, char *err, size_t err_cap)
{
	struct sockaddr_in sa;
	if (parse_listen(addr, &sa) < 0) {
		snprintf(err, err_cap, "metrics.listen '%s' is not an IPv4 address:port", addr);
		errno = EINVAL;
		return NULL;
	}
	struct ops_http_server *srv = calloc(1, sizeof(*srv));
	if (!srv) {
		snprintf(err, err_cap, "metrics server: out of memory");
		return NULL;
	}
	srv->render = render;
	srv->arg = arg;
	srv->listen_fd = -1;
	for (unsigned i = 0; i < OPS_HTTP_MAX_CLIENTS; i++) {
		srv->c[i].fd = -1;
		srv->c[i].out = malloc(HEAD_RESERVE + OPS_HTTP_BODY_MAX);
		if (!srv->c[i].out) {
			snprintf(err, err_cap, "metrics server: out of memory");
			ops_http_server_free(srv);
			return NULL;
		}
	}
	int one = 1;
	socklen_t sl = sizeof(sa);
	srv->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0 ||
	    setsockopt(srv->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(srv->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(srv->listen_fd, 16) < 0 ||
	    getsockname(srv->listen_fd, (struct sockaddr *)&sa, &sl) < 0) {
		int e = errno;
		snprintf(err, err_cap, "metrics server on %s: %s", addr, strerror(e));
		ops_http_server_free(srv);
		errno = e;
		return NULL;
	}
	srv->port = ntohs(sa.sin_port);
	return srv;
}

static void client_close(struct ops_http_client *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->replying = false;
	c->in_len = 0;
}

void ops_http_server_free(struct ops_http_server *srv)
{
	if (!srv)
		return;
	for (unsigned i = 0; i < OPS_HTTP_MAX_CLIENTS; i++) {
		client_close(&srv->c[i]);
		free(srv->c[i].out);
	}
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	free(srv);
}

uint16_t ops_http_server_port(const struct ops_http_server *srv)
{
	return srv->port;
}

size_t ops_http_server_counters(const struct ops_http_server *srv, uint64_t *values, size_t cap)
{
	size_t n = 0;
	for (; n < cap && n < OPS_HTTP_COUNTER_COUNT; n++)
		values[n] = srv->ctr[n];
	return n;
}

static void accept_clients(struct ops_http_server *srv, uint64_t now_ms)
{
	for (;;) {
		int fd = accept4(srv->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0)
			return;	/* EAGAIN, or an error that the next poll retries */
		struct ops_http_client *c = NULL;
		for (unsigned i = 0; i < OPS_HTTP_MAX_CLIENTS && !c; i++)
			if (srv->c[i].fd < 0)
				c = &srv->c[i];
		if (!c) {
			srv->ctr[OPS_HTTP_C_refused_busy]++;
			close(fd);
			continue;
		}
		srv->ctr[OPS_HTTP_C_accepted]++;
		c->fd = fd;
		c->in_len = 0;
		c->replying = false;
		c->deadline_ms = now_ms + OPS_HTTP_CLIENT_MS;
	}
}

/* Build the whole response in c->out: the body at HEAD_RESERVE, the head just before it. */
static void build_reply(struct ops_http_server *srv, struct ops_http_client *c, int status)
{
	char *body = c->out + HEAD_RESERVE;
	size_t body_len = 0;
	const char *type = "text/plain; charset=utf-8";
	if (status == 200) {
		struct ops_expo w;
		ops_expo_init(&w, body, OPS_HTTP_BODY_MAX);
		if (srv->render(srv->arg, &w) < 0 || w.full) {
			srv->ctr[OPS_HTTP_C_truncated]++;
			status = 500;
		} else {
			srv->ctr[OPS_HTTP_C_scrapes]++;
			body_len = w.len;
			type = "text/plain; version=0.0.4; charset=utf-8";
		}
	} else {
		srv->ctr[OPS_HTTP_C_bad_requests]++;
	}
	if (status != 200)
		body_len = (size_t)snprintf(body, OPS_HTTP_BODY_MAX, "%d %s\n", status,
					    ops_http_reason(status));
	char head[HEAD_RESERVE];
	int hl = ops_http_head(status, type, body_len, head, sizeof(head));
	if (hl < 0)
		hl = 0;	/* cannot happen with these fixed headers; an empty reply then */
	c->out_off = HEAD_RESERVE - (size_t)hl;
	memcpy(c->out + c->out_off, head, (size_t)hl);
	c->out_end = HEAD_RESERVE + body_len;
	c->replying = true;
}

static void client_read(struct ops_http_server *srv, struct ops_http_client *c)
{
	ssize_t n = read(c->fd, c->in + c->in_len, sizeof(c->in) - c->in_len);
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		if (n < 0)
			srv->ctr[OPS_HTTP_C_io_errors]++;
		client_close(c);
		return;
	}
	if (n < 0)
		return;
	c->in_len += (size_t)n;
	enum ops_http_verdict v = ops_http_parse(c->in, c->in_len, sizeof(c->in));
	if (v != OPS_HTTP_INCOMPLETE)
		build_reply(srv, c, (int)v);
}

static void client_write(struct ops_http_server *srv, struct ops_http_client *c)
{
	ssize_t n = send(c->fd, c->out + c->out_off, c->out_end - c->out_off, MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		srv->ctr[OPS_HTTP_C_io_errors]++;
		client_close(c);
		return;
	}
	if (n > 0)
		c->out_off += (size_t)n;
	if (c->out_off == c->out_end) {
		/* Connection: close. Unread input at close() would make the kernel send a reset
		 * that can destroy the answer in flight; read what is there first (bounded). */
		char sink[512];
		shutdown(c->fd, SHUT_WR);
		for (int i = 0; i < 64 && read(c->fd, sink, sizeof(sink)) > 0; i++)
			;
		client_close(c);
	}
}

int ops_http_server_poll(struct ops_http_server *srv, uint64_t now_ms)
{
	/* One poll(2) per millisecond at most: the main loop spins much faster than that. */
	if (now_ms == srv->last_poll_ms)
		return 0;
	srv->last_poll_ms = now_ms;
	struct pollfd pfd[1 + OPS_HTTP_MAX_CLIENTS];
	struct ops_http_client *who[1 + OPS_HTTP_MAX_CLIENTS];
	nfds_t n = 0;
	pfd[n++] = (struct pollfd){ .fd = srv->listen_fd, .events = POLLIN };
	for (unsigned i = 0; i < OPS_HTTP_MAX_CLIENTS; i++) {
		struct ops_http_client *c = &srv->c[i];
		if (c->fd < 0)
			continue;
		if (now_ms >= c->deadline_ms) {
			srv->ctr[OPS_HTTP_C_timeouts]++;
			client_close(c);
			continue;
		}
		who[n] = c;
		pfd[n++] = (struct pollfd){ .fd = c->fd, .events = c->replying ? POLLOUT : POLLIN };
	}
	if (poll(pfd, n, 0) <= 0)
		return 0;
	int served = 0;
	for (nfds_t i = 1; i < n; i++) {
		struct ops_http_client *c = who[i];
		if (!pfd[i].revents)
			continue;
		served++;
		if (c->replying)
			client_write(srv, c);
		else
			client_read(srv, c);
		/* A complete request is answered at once when the socket takes it. */
		if (c->fd >= 0 && c->replying)
			client_write(srv, c);
	}
	if (pfd[0].revents & POLLIN)
		accept_clients(srv, now_ms);
	return served;
}
