/* The data plane's control-channel server, run by the main lcore.
 *
 * Return convention: dpctl_server_new() returns a pointer or NULL with errno set;
 * dpctl_server_poll() and dpctl_server_publish() return a count or a negative errno;
 * dpctl_server_counters() returns a count; the rest 0 or a negative errno.
 *
 * Single-threaded by design: every call on one server comes from the same thread (the main
 * lcore). Nothing here blocks beyond the poll timeout the caller passes, and nothing allocates
 * after dpctl_server_new(): each client slot's input and output buffers are reserved there.
 */
#ifndef BUGLE_DP_CTL_SERVER_H
#define BUGLE_DP_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctl_server-t.h"

/* Listens on cfg->listen. methods is copied; ctx is passed to every handler. A stale unix socket
 * left by a crashed process is replaced; one that still answers gives EADDRINUSE. */
struct dpctl_server *dpctl_server_new(const struct dpctl_server_config *cfg,
				      const struct dpctl_method *methods, size_t n_methods,
				      void *ctx);

/* Waits up to timeout_ms (0 = do not wait) for socket activity, accepts clients, reads,
 * dispatches and writes. Returns the number of request frames handled. */
int dpctl_server_poll(struct dpctl_server *srv, int timeout_ms);

/* Queues an EVENT envelope to every subscribed client; returns how many it was queued to.
 * -EMSGSIZE when the event does not fit a frame. */
int dpctl_server_publish(struct dpctl_server *srv, const bugle_dp_Event *ev);

/* Fills up to cap (name, value) pairs in DPCTL_COUNTERS order; returns how many were written.
 * names may be NULL when only the values are wanted. */
size_t dpctl_server_counters(const struct dpctl_server *srv, const char **names,
			     uint64_t *values, size_t cap);

/* One counter by name: 0 and *value, or -ENOENT. */
int dpctl_server_counter(const struct dpctl_server *srv, const char *name, uint64_t *value);

/* For an event loop that wants to wake only when needed: the listening socket (level-triggered
 * readable means a client is waiting). Client sockets are serviced by dpctl_server_poll(). */
int dpctl_server_listen_fd(const struct dpctl_server *srv);

/* The bound TCP port (useful with port 0), or 0 for a unix socket. */
uint16_t dpctl_server_port(const struct dpctl_server *srv);

/* Number of connected clients and of those subscribed to events. */
unsigned dpctl_server_clients(const struct dpctl_server *srv, unsigned *subscribed);

/* Closes every client and the listening socket (removing a unix socket file). NULL is a no-op. */
void dpctl_server_free(struct dpctl_server *srv);

#endif
