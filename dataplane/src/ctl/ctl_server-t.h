/* Types of the data plane's control-channel server (functions in ctl_server.h).
 *
 * Return convention of the handlers declared here: a bugle_dp_Status value (0 = STATUS_OK).
 */
#ifndef BUGLE_DP_CTL_SERVER_T_H
#define BUGLE_DP_CTL_SERVER_T_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane.pb.h"

#define DPCTL_LISTEN_DEFAULT "127.0.0.1:7010"
#define DPCTL_MAX_CLIENTS_DEFAULT 8u
/* Output queue per client, in maximal frames: a client that lets more than this pile up is
 * not reading and is disconnected rather than buffered without bound. */
#define DPCTL_OUT_QUEUE_FRAMES 4u

/* Zero fields take the defaults: listen DPCTL_LISTEN_DEFAULT, max_frame BGL_FRAME_MAX_DEFAULT,
 * max_clients DPCTL_MAX_CLIENTS_DEFAULT. listen is "host:port" (numeric) or "unix:/path". */
struct dpctl_server_config {
	const char *listen;
	uint32_t max_frame;
	unsigned max_clients;
};

/* Handles one request: req/req_len is the encoded request message (the Envelope payload); the
 * handler writes the encoded reply message into resp (at most resp_cap bytes) and sets
 * *resp_len. On failure it returns a non-zero bugle_dp_Status and may write a reason into err
 * (NUL-terminated, at most err_cap bytes); the reply payload is then not sent. Runs on the
 * thread that calls dpctl_server_poll(); must not call back into the server. */
typedef int (*dpctl_handler_fn)(void *ctx, const uint8_t *req, size_t req_len, uint8_t *resp,
				size_t resp_cap, size_t *resp_len, char *err, size_t err_cap);

struct dpctl_method {
	bugle_dp_Method method;
	dpctl_handler_fn fn;
};

/* Every counter of the server, declared once: the counters API, stats and the CLI read this. */
#define DPCTL_COUNTERS(X)                                                                          \
	X(frames_rx)                                                                               \
	X(frames_tx)                                                                               \
	X(bytes_rx)                                                                                \
	X(bytes_tx)                                                                                \
	X(clients_accepted)                                                                        \
	X(clients_rejected_full)                                                                   \
	X(clients_closed)                                                                          \
	X(closed_bad_flag)                                                                         \
	X(closed_oversized)                                                                        \
	X(closed_undecodable)                                                                      \
	X(closed_bad_kind)                                                                         \
	X(closed_truncated)                                                                        \
	X(closed_slow_reader)                                                                      \
	X(closed_io_error)                                                                         \
	X(unknown_method)                                                                          \
	X(handler_errors)                                                                          \
	X(responses_too_large)                                                                     \
	X(subscribes)                                                                              \
	X(events_published)                                                                        \
	X(events_too_large)                                                                        \
	X(accept_errors)

enum dpctl_counter {
#define DPCTL_COUNTER_ENUM(name) DPCTL_C_##name,
	DPCTL_COUNTERS(DPCTL_COUNTER_ENUM)
#undef DPCTL_COUNTER_ENUM
	DPCTL_N_COUNTERS
};

struct dpctl_server;

#endif
