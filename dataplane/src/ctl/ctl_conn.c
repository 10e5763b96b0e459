/* Client slots: fixed input/output buffers and non-blocking writes. */
#include "ctl_conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int ctl_conn_init(struct dpctl_conn *c, uint32_t max_frame, size_t out_cap)
{
	size_t in_cap = BGL_FRAME_HDR_LEN + (size_t)max_frame;

	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->in = malloc(in_cap);
	c->out = malloc(out_cap);
	if (!c->in || !c->out) {
		ctl_conn_destroy(c);
		return -ENOMEM;
	}
	c->out_cap = out_cap;
	return bgl_frame_reader_init(&c->rd, c->in, in_cap, max_frame);
}

void ctl_conn_destroy(struct dpctl_conn *c)
{
	ctl_conn_detach(c);
	free(c->in);
	free(c->out);
	c->in = NULL;
	c->out = NULL;
}

void ctl_conn_attach(struct dpctl_conn *c, int fd, const char *peer)
{
	c->fd = fd;
	c->subscribed = false;
	snprintf(c->peer, sizeof(c->peer), "%s", peer);
	bgl_frame_reader_reset(&c->rd);
	c->out_head = 0;
	c->out_tail = 0;
}

void ctl_conn_detach(struct dpctl_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->subscribed = false;
	c->out_head = 0;
	c->out_tail = 0;
}

int ctl_conn_flush(struct dpctl_conn *c, uint64_t *sent)
{
	while (ctl_conn_out_pending(c)) {
		ssize_t n = send(c->fd, c->out + c->out_head, c->out_tail - c->out_head,
				 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				break;
			return -errno;
		}
		c->out_head += (size_t)n;
		*sent += (uint64_t)n;
	}
	if (c->out_head == c->out_tail) {
		c->out_head = 0;
		c->out_tail = 0;
	}
	return 0;
}

int ctl_conn_reserve(struct dpctl_conn *c, size_t n, uint64_t *sent, uint8_t **p)
{
	if (c->out_cap - c->out_tail < n) {
		int rc = ctl_conn_flush(c, sent);

		if (rc < 0)
			return rc;
		if (c->out_head > 0) {
			memmove(c->out, c->out + c->out_head, c->out_tail - c->out_head);
			c->out_tail -= c->out_head;
			c->out_head = 0;
		}
		if (c->out_cap - c->out_tail < n)
			return -ENOBUFS;
	}
	*p = c->out + c->out_tail;
	c->out_tail += n;
	return 0;
}
