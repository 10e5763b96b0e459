/* The client object shared by the client's source files (internal).
 *
 * Return convention: 0 on success or a negative errno.
 * Everything here belongs to the loop thread; cfg, addr and node are read-only after creation.
 */
#ifndef BUGLE_CP_DPCLIENT_INT_H
#define BUGLE_CP_DPCLIENT_INT_H

#include <uv.h>

#include "bugle/frame.h"
#include "dpclient.h"
#include "dpclient_backoff.h"
#include "dpclient_pending.h"

enum dpc_state {
	DPC_DOWN,		/* waiting for the reconnect timer */
	DPC_CONNECTING,
	DPC_UP,
	DPC_CLOSING,		/* the socket handle is being closed */
};

struct dpclient {
	uv_loop_t *loop;
	struct dpclient_config cfg;	/* defaults filled in; addr/node point at our copies */
	struct bgl_frame_addr addr;
	char *addr_text;
	char *node;
	struct dpclient_callbacks cbs;

	union {
		uv_handle_t handle;
		uv_stream_t stream;
		uv_tcp_t tcp;
		uv_pipe_t pipe;
	} io;
	bool io_open;			/* io initialised and its close callback not yet run */
	uv_connect_t connect_req;
	uv_timer_t reconnect_timer;
	uv_timer_t heartbeat_timer;
	uv_timer_t deadline_timer;
	enum dpc_state state;
	bool proven;			/* a reply arrived on this connection: back-off resets */
	bool failing_logged;		/* one log line per outage, not one per attempt */
	unsigned hb_missed;		/* consecutive heartbeats without a reply */

	struct bgl_frame_reader rd;
	uint8_t *inbuf;
	struct dpc_pending_table pending;
	uint64_t next_id;
	struct dpc_backoff backoff;

	bool freeing;
	unsigned open_handles;		/* the memory goes when this reaches 0 while freeing */
	uint64_t counters[DPCLIENT_N_COUNTERS];
};

#define DPC_COUNT(c, name) ((c)->counters[DPCLIENT_C_##name]++)

/* Transport (dpclient_conn.c). */
void dpc_conn_schedule(struct dpclient *c, uint64_t delay_ms);
void dpc_conn_drop(struct dpclient *c, enum dpclient_counter why, const char *reason);
int dpc_conn_send(struct dpclient *c, const Bugle__Dp__Envelope *env);
/* Closes the socket for good (dpclient_free). */
void dpc_conn_shutdown(struct dpclient *c);
/* Close callback of every handle once freeing: the last one releases the client. */
void dpc_conn_close_cb(uv_handle_t *h);

/* Calls (dpclient.c). */
void dpc_calls_fail_all(struct dpclient *c, Bugle__Dp__Status status, const char *why);
void dpc_calls_complete(struct dpclient *c, const Bugle__Dp__Envelope *env);
/* Sends a call whose outcome goes to an internal callback (heartbeat, subscribe). */
int dpc_call_internal(struct dpclient *c, Bugle__Dp__Method method, const ProtobufCMessage *req,
		      dpclient_reply_fn cb, unsigned timeout_ms);

#endif
