/* A tiny non-blocking HTTP/1.1 server for GET /metrics, polled from the main lcore (no threads):
 * at most OPS_HTTP_MAX_CLIENTS connections, each with a bounded request and a response buffer
 * allocated at start-up, one request per connection (Connection: close).
 *
 * Return convention: ops_http_server_new returns a pointer or NULL (reason in err); poll returns
 * how many clients it served something to; counters returns a count.
 */
#ifndef BUGLE_OPS_HTTP_SERVER_H
#define BUGLE_OPS_HTTP_SERVER_H

#include <stddef.h>
#include <stdint.h>

#include "ops_expo.h"

#define OPS_HTTP_MAX_CLIENTS 4
#define OPS_HTTP_BODY_MAX (512 * 1024)	/* the exposition of every counter fits many times */
#define OPS_HTTP_CLIENT_MS 5000		/* a client has this long to send and read */

/* X(name, help): the server's own counters, exported with the other metrics. */
#define OPS_HTTP_COUNTERS(X)                                                                       \
	X(accepted, "metrics connections accepted")                                               \
	X(refused_busy, "metrics connections closed at once: every client slot in use")          \
	X(scrapes, "GET /metrics requests answered")                                              \
	X(bad_requests, "metrics requests answered 400, 404, 405, 431 or 505")                    \
	X(timeouts, "metrics connections closed because the client was too slow")                \
	X(truncated, "scrapes answered 500 because the exposition did not fit")                   \
	X(io_errors, "metrics connections closed on a socket error")

enum ops_http_counter {
#define OPS_HTTP_COUNTER_ENUM(name, help) OPS_HTTP_C_##name,
	OPS_HTTP_COUNTERS(OPS_HTTP_COUNTER_ENUM)
#undef OPS_HTTP_COUNTER_ENUM
	OPS_HTTP_COUNTER_COUNT
};

/* Fills the exposition for one scrape; a return below 0 answers 500. */
typedef int (*ops_http_render_fn)(void *arg, struct ops_expo *w);

struct ops_http_server;

/* addr: "a.b.c.d:port" (IPv4; the operator chooses loopback). On NULL, errno is EINVAL for
 * an address that does not parse, else the socket call's error (EADDRINUSE, ...). */
struct ops_http_server *ops_http_server_new(const char *addr, ops_http_render_fn render,
					    void *arg, char *err, size_t err_cap);
void ops_http_server_free(struct ops_http_server *srv);

/* Accept, read, answer and write without blocking; now_ms: a monotonic clock for timeouts. */
int ops_http_server_poll(struct ops_http_server *srv, uint64_t now_ms);

/* The bound port (useful with port 0 in tests). */
uint16_t ops_http_server_port(const struct ops_http_server *srv);

/* The counters in OPS_HTTP_COUNTERS order. */
size_t ops_http_server_counters(const struct ops_http_server *srv, uint64_t *values, size_t cap);
const char *ops_http_counter_name(unsigned id);
const char *ops_http_counter_help(unsigned id);

#endif
