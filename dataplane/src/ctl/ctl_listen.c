/* Listening and accepting for the control channel: TCP (numeric address) or a unix socket. */
#define _GNU_SOURCE /* accept4 */
#include "ctl_listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define CTL_LISTEN_BACKLOG 16

/* A socket file left by a process that died (kill -9) would make bind fail forever; one that a
 * live process still answers on must not be stolen. */
static int clear_stale_unix(const struct bgl_frame_addr *addr)
{
	struct stat st;
	int fd, rc;

	if (lstat(addr->path, &st) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EADDRINUSE;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	rc = connect(fd, (const struct sockaddr *)&addr->sa, addr->sa_len);
	close(fd);
	if (rc == 0)
		return -EADDRINUSE;
	if (unlink(addr->path) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int ctl_listen_open(const struct bgl_frame_addr *addr)
{
	int fd, rc, one = 1;

	if (addr->is_unix) {
		rc = clear_stale_unix(addr);
		if (rc < 0)
			return rc;
	}
	fd = socket(addr->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (!addr->is_unix && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (bind(fd, (const struct sockaddr *)&addr->sa, addr->sa_len) < 0)
		goto fail;
	if (listen(fd, CTL_LISTEN_BACKLOG) < 0)
		goto fail;
	return fd;
fail:
	rc = -errno;
	close(fd);
	return rc;
}

int ctl_listen_accept(int listen_fd, char *peer, size_t peer_cap)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char host[INET6_ADDRSTRLEN];
	int fd, one = 1;

	do
		fd = accept4(listen_fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	if (ss.ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)&ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		snprintf(peer, peer_cap, "%s:%u", host, ntohs(s4->sin_port));
	} else if (ss.ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)&ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		snprintf(peer, peer_cap, "[%s]:%u", host, ntohs(s6->sin6_port));
	} else {
		snprintf(peer, peer_cap, "unix#%d", fd);
	}
	/* Requests and replies are small and latency matters more than packing. */
	if (ss.ss_family != AF_UNIX)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}
