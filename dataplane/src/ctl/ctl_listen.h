/* The control-channel server's listening socket and accepted sockets (internal).
 *
 * Return convention: a file descriptor or a negative errno.
 */
#ifndef BUGLE_DP_CTL_LISTEN_H
#define BUGLE_DP_CTL_LISTEN_H

#include <stddef.h>

#include "bugle/frame.h"

/* A non-blocking listening socket bound to addr. */
int ctl_listen_open(const struct bgl_frame_addr *addr);

/* One pending connection, non-blocking, with its peer written into peer (for log lines);
 * -EAGAIN when none is waiting. */
int ctl_listen_accept(int listen_fd, char *peer, size_t peer_cap);

#endif
