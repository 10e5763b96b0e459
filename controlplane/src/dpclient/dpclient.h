/* The control plane's client for one data plane's control channel, on a libuv loop, and a
 * small blocking client for tools and tests.
 *
 * Return convention: dpclient_new() returns a pointer or NULL with errno set;
 * dpclient_counters() returns a count; dpclient_sync_call() returns the call's Bugle__Dp__Status
 * (0 = OK, > 0 an error status from the data plane) or a negative errno when no answer came;
 * the rest 0 or a negative errno.
 *
 * Threading: a dpclient belongs to its loop's thread; every function and callback runs there.
 * Callbacks may call dpclient_call() but never dpclient_free().
 */
#ifndef BUGLE_CP_DPCLIENT_H
#define BUGLE_CP_DPCLIENT_H

#include <stddef.h>
#include <uv.h>

#include "dpclient-t.h"

/* Starts connecting at once (from the loop, never from inside this call) and keeps the
 * connection up: reconnects with exponential back-off and jitter, subscribes to events on each
 * connect, sends a heartbeat every heartbeat_ms and resets the connection after
 * heartbeat_misses unanswered in a row. */
struct dpclient *dpclient_new(uv_loop_t *loop, const struct dpclient_config *cfg,
			      const struct dpclient_callbacks *cbs);

/* Sends req (whose descriptor must be the method's input type) and calls cb exactly once with
 * the outcome, later, from the loop. timeout_ms 0 takes the configured default.
 * -ENOTCONN while the data plane is down, -EBUSY when max_pending calls are outstanding,
 * -ENOBUFS when the data plane is not reading, -EINVAL for a bad method or request type,
 * -EMSGSIZE when the request does not fit a frame. On error cb is not called. */
int dpclient_call(struct dpclient *c, Bugle__Dp__Method method, const ProtobufCMessage *req,
		  dpclient_reply_fn cb, void *arg, unsigned timeout_ms);

bool dpclient_is_up(const struct dpclient *c);

/* Fills up to cap (name, value) pairs in DPCLIENT_COUNTERS order; names may be NULL. */
size_t dpclient_counters(const struct dpclient *c, const char **names, uint64_t *values,
			 size_t cap);

/* One counter by name: 0 and *value, or -ENOENT. */
int dpclient_counter(const struct dpclient *c, const char *name, uint64_t *value);

/* Fails pending calls with CANCELLED, closes the connection and timers; the memory is released
 * once the loop has run the close callbacks (run the loop after this). NULL is a no-op. */
void dpclient_free(struct dpclient *c);

/* The reply descriptor of a method, from the service descriptor; NULL for an unknown method. */
const ProtobufCMethodDescriptor *dpclient_method_descriptor(Bugle__Dp__Method method);

/* One blocking call on a fresh connection to addr. On 0 (OK) *reply holds the decoded reply
 * (reply_desc, or the method's reply type when NULL), to free with
 * protobuf_c_message_free_unpacked(*reply, NULL). Otherwise err says why (for a status, the
 * data plane's error text). Waits at most timeout_ms in total. */
int dpclient_sync_call(const char *addr, Bugle__Dp__Method method, const ProtobufCMessage *req,
		       const ProtobufCMessageDescriptor *reply_desc, ProtobufCMessage **reply,
		       char *err, size_t errlen, int timeout_ms);

#endif
