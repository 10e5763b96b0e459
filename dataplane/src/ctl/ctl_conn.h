/* One client connection of the control-channel server and its fixed buffers (internal).
 *
 * Return convention: 0 on success or a negative errno.
 * Owned and touched only by the thread that polls the server.
 */
#ifndef BUGLE_DP_CTL_CONN_H
#define BUGLE_DP_CTL_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bugle/frame.h"

struct dpctl_conn {
	int fd;			/* -1 when the slot is free */
	bool subscribed;	/* sent METHOD_SUBSCRIBE: gets EVENT envelopes */
	char peer[64];		/* for log lines */
	struct bgl_frame_reader rd;
	uint8_t *in;		/* reader's buffer, reserved at server creation */
	uint8_t *out;		/* queued output: bytes [out_head, out_tail) wait for the socket */
	size_t out_cap;
	size_t out_head;
	size_t out_tail;
};

/* Reserves the slot's buffers (done once per slot, at server creation). */
int ctl_conn_init(struct dpctl_conn *c, uint32_t max_frame, size_t out_cap);
void ctl_conn_destroy(struct dpctl_conn *c);

/* Binds the slot to an accepted socket / releases it (closing the socket). */
void ctl_conn_attach(struct dpctl_conn *c, int fd, const char *peer);
void ctl_conn_detach(struct dpctl_conn *c);

/* Writes what the socket takes now. 0 (possibly with bytes still queued), or a negative errno
 * when the connection failed. *sent gets the bytes written. */
int ctl_conn_flush(struct dpctl_conn *c, uint64_t *sent);

/* Room for n more output bytes at *p, flushing and compacting first if needed; -ENOBUFS when
 * the queue is full (the peer is not reading), another negative errno when the socket failed.
 * The caller fills all n bytes. */
int ctl_conn_reserve(struct dpctl_conn *c, size_t n, uint64_t *sent, uint8_t **p);

static inline bool ctl_conn_out_pending(const struct dpctl_conn *c)
{
	return c->out_tail > c->out_head;
}

#endif
