/* Types of the control plane's control-channel client (functions in dpclient.h).
 *
 * Return convention: callbacks return nothing; see dpclient.h for the functions.
 */
#ifndef BUGLE_CP_DPCLIENT_T_H
#define BUGLE_CP_DPCLIENT_T_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane.pb-c.h"

#define DPCLIENT_HEARTBEAT_MS_DEFAULT 1000u
#define DPCLIENT_HEARTBEAT_MISSES_DEFAULT 3u
#define DPCLIENT_BACKOFF_MIN_MS_DEFAULT 100u
#define DPCLIENT_BACKOFF_MAX_MS_DEFAULT 5000u
#define DPCLIENT_CALL_TIMEOUT_MS_DEFAULT 5000u
#define DPCLIENT_MAX_PENDING_DEFAULT 1024u
/* Bytes queued toward a data plane that is not reading before calls are refused. */
#define DPCLIENT_WRITE_QUEUE_MAX (4u * 1024u * 1024u)

/* Zero fields take the defaults above (max_frame: BGL_FRAME_MAX_DEFAULT). addr is
 * "host:port" (numeric) or "unix:/path"; node names this control plane in Heartbeat and
 * Subscribe. seed feeds the back-off jitter (0 picks one from the clock). */
struct dpclient_config {
	const char *addr;
	const char *node;
	uint32_t max_frame;
	unsigned heartbeat_ms;
	unsigned heartbeat_misses;	/* consecutive misses before the data plane is marked down */
	unsigned backoff_min_ms;
	unsigned backoff_max_ms;
	unsigned call_timeout_ms;	/* used when dpclient_call() gets timeout 0 */
	unsigned max_pending;
	uint64_t seed;
};

/* A call's outcome. status is a Bugle__Dp__Status: OK with the decoded reply, else error text
 * and reply NULL. UNAVAILABLE: the connection dropped (or was down); DEADLINE_EXCEEDED: the
 * timeout passed; CANCELLED: the client is being freed. reply is freed when this returns. */
typedef void (*dpclient_reply_fn)(void *arg, Bugle__Dp__Status status, const char *error,
				  const ProtobufCMessage *reply);

/* An event streamed by the data plane; freed when this returns. */
typedef void (*dpclient_event_fn)(void *arg, const Bugle__Dp__Event *ev);

/* The data plane came up (connected and subscribed) or went down. */
typedef void (*dpclient_state_fn)(void *arg, bool up);

struct dpclient_callbacks {
	dpclient_event_fn on_event;	/* may be NULL */
	dpclient_state_fn on_state;	/* may be NULL */
	void *arg;
};

/* Every counter of the client, declared once. */
#define DPCLIENT_COUNTERS(X)                                                                       \
	X(connect_attempts)                                                                        \
	X(connect_failures)                                                                        \
	X(connects)                                                                                \
	X(disconnects)                                                                             \
	X(frames_rx)                                                                               \
	X(frames_tx)                                                                               \
	X(calls_sent)                                                                              \
	X(calls_ok)                                                                                \
	X(calls_failed)                                                                            \
	X(calls_timed_out)                                                                         \
	X(calls_unavailable)                                                                       \
	X(calls_refused)                                                                           \
	X(responses_unmatched)                                                                     \
	X(replies_undecodable)                                                                     \
	X(events_rx)                                                                               \
	X(events_undecodable)                                                                      \
	X(heartbeats_sent)                                                                         \
	X(heartbeats_missed)                                                                       \
	X(heartbeat_resets)                                                                        \
	X(closed_by_peer)                                                                          \
	X(closed_io_error)                                                                         \
	X(closed_bad_flag)                                                                         \
	X(closed_oversized)                                                                        \
	X(closed_undecodable)                                                                      \
	X(closed_bad_kind)

enum dpclient_counter {
#define DPCLIENT_COUNTER_ENUM(name) DPCLIENT_C_##name,
	DPCLIENT_COUNTERS(DPCLIENT_COUNTER_ENUM)
#undef DPCLIENT_COUNTER_ENUM
	DPCLIENT_N_COUNTERS
};

struct dpclient;

#endif
