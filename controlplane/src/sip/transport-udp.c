/* The UDP transport: one non-blocking socket watched by a libuv poll handle. Reads are
 * budgeted per wake-up so one busy peer cannot starve the loop. */
#include "sip-stack-int.h"

#include "bugle/log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define READ_BUDGET 64
#define DATAGRAM_MAX 65536
/* Room for a burst while the loop is busy elsewhere (a database answer, a CPU shared with the
 * data plane): the default (about 200 kB, some 100 datagrams) overflows within a second at a
 * few hundred calls per second, and the edge's health probes are lost with the rest. The
 * kernel caps it at net.core.rmem_max. */
#define RCVBUF_BYTES (4 << 20)

int csip_parse_hostport(const char *s, struct sockaddr_in *out)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -EINVAL;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || port < 0 || port > 65535)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	out->sin_family = AF_INET;
	out->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &out->sin_addr) != 1)
		return -EINVAL;
	return 0;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct csip_stack *st = h->data;
	if (status < 0 || !(events & UV_READABLE))
		return;
	char *buf = st->rxbuf;
	for (int i = 0; i < READ_BUDGET; i++) {
		struct sockaddr_in src;
		socklen_t slen = sizeof(src);
		ssize_t n = recvfrom(st->fd, buf, DATAGRAM_MAX, 0, (struct sockaddr *)&src, &slen);
		if (n < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				BGL_WARN("sip: recvfrom: %s", strerror(errno));
			break;
		}
		if (slen != sizeof(src) || src.sin_family != AF_INET)
			continue;
		csip_stack_input(st, buf, (size_t)n, &src);
	}
	csip_stack_run_queued(st);
}

int csip_udp_open(struct csip_stack *st)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	int rcvbuf = RCVBUF_BYTES;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf)) < 0)
		BGL_WARN("sip: receive buffer of %d bytes refused: %s", rcvbuf, strerror(errno));
	if (bind(fd, (const struct sockaddr *)&st->local, sizeof(st->local)) < 0) {
		int rc = -errno;
		close(fd);
		return rc;
	}
	socklen_t len = sizeof(st->local);
	getsockname(fd, (struct sockaddr *)&st->local, &len);
	st->fd = fd;
	int rc = uv_poll_init(st->loop, &st->poll, fd);
	if (rc < 0) {
		close(fd);
		st->fd = -1;
		return rc;
	}
	st->poll.data = st;
	st->poll_open = true;
	st->handles_open++;
	return uv_poll_start(&st->poll, UV_READABLE, on_readable);
}

int csip_udp_send(struct csip_stack *st, const char *buf, size_t len,
		  const struct sockaddr_in *to)
{
	if (st->opt.send) {
		int rc = st->opt.send(st->opt.send_arg, buf, len, to);
		if (rc < 0)
			st->c.tx_errors++;
		else
			st->c.tx_messages++;
		return rc;
	}
	if (st->fd < 0)
		return -ENOTCONN;
	ssize_t n = sendto(st->fd, buf, len, 0, (const struct sockaddr *)to, sizeof(*to));
	if (n < 0 || (size_t)n != len) {
		st->c.tx_errors++;
		return n < 0 ? -errno : -EMSGSIZE;
	}
	st->c.tx_messages++;
	return 0;
}
