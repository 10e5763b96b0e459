/* The server object shared by the server's source files (internal).
 *
 * Return convention: 0 on success or a negative errno.
 * Every field is owned by the thread that polls the server; the configuration part is
 * read-only after dpctl_server_new().
 */
#ifndef BUGLE_DP_CTL_SERVER_INT_H
#define BUGLE_DP_CTL_SERVER_INT_H

#include <poll.h>
#include <stdbool.h>

#include "bugle/frame.h"
#include "ctl_conn.h"
#include "ctl_server-t.h"

struct dpctl_server {
	/* RO after creation */
	struct bgl_frame_addr addr;
	int listen_fd;
	uint16_t port;
	uint32_t max_frame;
	unsigned max_clients;
	struct dpctl_method *methods;
	size_t n_methods;
	void *ctx;
	size_t resp_cap;		/* reply payload bytes a handler may write */

	struct dpctl_conn *conns;	/* max_clients slots */
	struct pollfd *pfds;		/* 1 + max_clients: [0] is the listener */
	unsigned *pfd_conn;		/* pollfd index -> slot */
	/* Scratch, one of each: nanopb decodes and encodes in place, and an Envelope is ~60 KB,
	 * too big for the main lcore's stack. */
	bugle_dp_Envelope *req;
	bugle_dp_Envelope *resp;
	bugle_dp_Envelope *event;
	uint8_t *event_frame;		/* an encoded EVENT frame, copied to each subscriber */
	uint64_t counters[DPCTL_N_COUNTERS];
};

#define DPCTL_COUNT(srv, name) ((srv)->counters[DPCTL_C_##name]++)

/* Closes a connection; reason NULL for an orderly close, else logged once with the peer. */
void ctl_server_close_conn(struct dpctl_server *srv, struct dpctl_conn *c,
			   enum dpctl_counter why, const char *reason);

/* Handles one complete frame from c. Returns 0, or a negative errno when c was closed. */
int ctl_dispatch_frame(struct dpctl_server *srv, struct dpctl_conn *c, const struct bgl_frame *f);

/* Encodes env as a frame onto c's output queue (closing c if it does not fit). 0 or -errno. */
int ctl_dispatch_queue(struct dpctl_server *srv, struct dpctl_conn *c, const bugle_dp_Envelope *env);

#endif
