/* Client life cycle, calls with ids and timeouts, and counters. The transport is in
 * dpclient_conn.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bugle/log.h"
#include "dpclient-int.h"

static const char *const counter_names[] = {
#define DPCLIENT_COUNTER_NAME(name) #name,
	DPCLIENT_COUNTERS(DPCLIENT_COUNTER_NAME)
#undef DPCLIENT_COUNTER_NAME
};

static void fill_defaults(struct dpclient_config *cfg)
{
	if (!cfg->max_frame)
		cfg->max_frame = BGL_FRAME_MAX_DEFAULT;
	if (!cfg->heartbeat_ms)
		cfg->heartbeat_ms = DPCLIENT_HEARTBEAT_MS_DEFAULT;
	if (!cfg->heartbeat_misses)
		cfg->heartbeat_misses = DPCLIENT_HEARTBEAT_MISSES_DEFAULT;
	if (!cfg->backoff_min_ms)
		cfg->backoff_min_ms = DPCLIENT_BACKOFF_MIN_MS_DEFAULT;
	if (!cfg->backoff_max_ms)
		cfg->backoff_max_ms = DPCLIENT_BACKOFF_MAX_MS_DEFAULT;
	if (!cfg->call_timeout_ms)
		cfg->call_timeout_ms = DPCLIENT_CALL_TIMEOUT_MS_DEFAULT;
	if (!cfg->max_pending)
		cfg->max_pending = DPCLIENT_MAX_PENDING_DEFAULT;
	if (!cfg->seed) {
		struct timespec ts;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		cfg->seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 32) ^ (uintptr_t)cfg;
	}
}

static void on_deadline(uv_timer_t *t);

/* Points the one deadline timer at the earliest pending call. */
static void arm_deadline(struct dpclient *c)
{
	struct dpc_pending *first = dpc_pending_first(&c->pending);
	uint64_t now = uv_now(c->loop);

	if (!first) {
		uv_timer_stop(&c->deadline_timer);
		return;
	}
	uv_timer_start(&c->deadline_timer, on_deadline,
		       first->deadline_ms > now ? first->deadline_ms - now : 0, 0);
}

/* Takes p off the table before its callback runs, so the callback may start new calls. */
static void finish(struct dpclient *c, struct dpc_pending *p, Bugle__Dp__Status status,
		   const char *error, const ProtobufCMessage *reply)
{
	dpclient_reply_fn cb = p->cb;
	void *arg = p->arg;

	dpc_pending_remove(&c->pending, p);
	if (cb)
		cb(arg, status, error, reply);
}

static void on_deadline(uv_timer_t *t)
{
	struct dpclient *c = t->data;
	uint64_t now = uv_now(c->loop);
	struct dpc_pending *p;

	while ((p = dpc_pending_first(&c->pending)) && p->deadline_ms <= now) {
		DPC_COUNT(c, calls_timed_out);
		finish(c, p, BUGLE__DP__STATUS__STATUS_DEADLINE_EXCEEDED, "no reply in time", NULL);
	}
	arm_deadline(c);
}

void dpc_calls_fail_all(struct dpclient *c, Bugle__Dp__Status status, const char *why)
{
	struct dpc_pending *p;

	while ((p = dpc_pending_first(&c->pending))) {
		if (status == BUGLE__DP__STATUS__STATUS_UNAVAILABLE)
			DPC_COUNT(c, calls_unavailable);
		finish(c, p, status, why, NULL);
	}
	uv_timer_stop(&c->deadline_timer);
}

void dpc_calls_complete(struct dpclient *c, const Bugle__Dp__Envelope *env)
{
	struct dpc_pending *p = dpc_pending_find(&c->pending, env->request_id);
	const ProtobufCMethodDescriptor *m;
	ProtobufCMessage *reply = NULL;
	Bugle__Dp__Status status = env->status;
	const char *error = env->error;

	if (!p) {
		/* Typically a reply that arrives after its call timed out. */
		DPC_COUNT(c, responses_unmatched);
		return;
	}
	c->proven = true;
	if (status == BUGLE__DP__STATUS__STATUS_OK) {
		m = dpclient_method_descriptor(p->method);
		reply = protobuf_c_message_unpack(m->output, NULL, env->payload.len,
						  env->payload.data);
		if (!reply) {
			DPC_COUNT(c, replies_undecodable);
			status = BUGLE__DP__STATUS__STATUS_INTERNAL;
			error = "undecodable reply";
		}
	} else if (status == BUGLE__DP__STATUS__STATUS_DEADLINE_EXCEEDED ||
		   status == BUGLE__DP__STATUS__STATUS_CANCELLED) {
		/* Statuses the client itself reports are not for the data plane to send; keep
		 * them unambiguous for callers. */
		status = BUGLE__DP__STATUS__STATUS_UNKNOWN;
	}
	if (status == BUGLE__DP__STATUS__STATUS_OK)
		DPC_COUNT(c, calls_ok);
	else
		DPC_COUNT(c, calls_failed);
	finish(c, p, status, error && error[0] ? error : "", reply);
	if (reply)
		protobuf_c_message_free_unpacked(reply, NULL);
	arm_deadline(c);
}

static int send_call(struct dpclient *c, Bugle__Dp__Method method, const ProtobufCMessage *req,
		     dpclient_reply_fn cb, void *arg, unsigned timeout_ms)
{
	const ProtobufCMethodDescriptor *m = dpclient_method_descriptor(method);
	Bugle__Dp__Envelope env = BUGLE__DP__ENVELOPE__INIT;
	struct dpc_pending *p;
	uint8_t *payload;
	size_t len;
	int rc;

	if (!m || !req || req->descriptor != m->input)
		return -EINVAL;
	if (c->state != DPC_UP)
		return -ENOTCONN;
	len = protobuf_c_message_get_packed_size(req);
	if (len > c->cfg.max_frame)
		return -EMSGSIZE;
	payload = malloc(len ? len : 1);
	if (!payload)
		return -ENOMEM;
	protobuf_c_message_pack(req, payload);
	p = dpc_pending_add(&c->pending, &c->next_id,
			    uv_now(c->loop) + (timeout_ms ? timeout_ms : c->cfg.call_timeout_ms));
	if (!p) {
		free(payload);
		return -EBUSY;
	}
	env.request_id = p->id;
	env.kind = BUGLE__DP__KIND__KIND_REQUEST;
	env.method = method;
	env.payload.data = payload;
	env.payload.len = len;
	rc = dpc_conn_send(c, &env);
	free(payload);
	if (rc < 0) {
		dpc_pending_remove(&c->pending, p);
		return rc;
	}
	p->method = method;
	p->cb = cb;
	p->arg = arg;
	DPC_COUNT(c, calls_sent);
	if (dpc_pending_first(&c->pending) == p)
		arm_deadline(c);
	return 0;
}

int dpc_call_internal(struct dpclient *c, Bugle__Dp__Method method, const ProtobufCMessage *req,
		      dpclient_reply_fn cb, unsigned timeout_ms)
{
	return send_call(c, method, req, cb, c, timeout_ms);
}

int dpclient_call(struct dpclient *c, Bugle__Dp__Method method, const ProtobufCMessage *req,
		  dpclient_reply_fn cb, void *arg, unsigned timeout_ms)
{
	int rc;

	if (!c || c->freeing)
		return -EINVAL;
	rc = send_call(c, method, req, cb, arg, timeout_ms);
	if (rc == -ENOTCONN || rc == -EBUSY || rc == -ENOBUFS)
		DPC_COUNT(c, calls_refused);
	return rc;
}

static void init_timer(struct dpclient *c, uv_timer_t *t)
{
	uv_timer_init(c->loop, t);
	t->data = c;
	c->open_handles++;
}

struct dpclient *dpclient_new(uv_loop_t *loop, const struct dpclient_config *cfg,
			      const struct dpclient_callbacks *cbs)
{
	struct dpclient *c;
	int rc = -EINVAL;

	if (!loop || !cfg || !cfg->addr) {
		errno = EINVAL;
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->loop = loop;
	c->cfg = *cfg;
	fill_defaults(&c->cfg);
	if (cbs)
		c->cbs = *cbs;
	if (c->cfg.max_frame > BGL_FRAME_MAX_LIMIT || bgl_frame_addr_parse(cfg->addr, &c->addr) < 0)
		goto fail;
	rc = -ENOMEM;
	c->addr_text = strdup(cfg->addr);
	c->node = strdup(cfg->node ? cfg->node : "");
	c->inbuf = malloc(BGL_FRAME_HDR_LEN + (size_t)c->cfg.max_frame);
	if (!c->addr_text || !c->node || !c->inbuf)
		goto fail;
	c->cfg.addr = c->addr_text;
	c->cfg.node = c->node;
	rc = bgl_frame_reader_init(&c->rd, c->inbuf, BGL_FRAME_HDR_LEN + (size_t)c->cfg.max_frame,
				   c->cfg.max_frame);
	if (rc < 0)
		goto fail;
	rc = dpc_pending_init(&c->pending, c->cfg.max_pending);
	if (rc < 0)
		goto fail;
	c->next_id = 1;
	dpc_backoff_init(&c->backoff, c->cfg.backoff_min_ms, c->cfg.backoff_max_ms, c->cfg.seed);
	init_timer(c, &c->reconnect_timer);
	init_timer(c, &c->heartbeat_timer);
	init_timer(c, &c->deadline_timer);
	c->state = DPC_DOWN;
	dpc_conn_schedule(c, 0);
	return c;
fail:
	dpc_pending_destroy(&c->pending);
	free(c->inbuf);
	free(c->node);
	free(c->addr_text);
	free(c);
	errno = -rc;
	return NULL;
}

/* Runs once per closed handle; the last one releases the client. */
void dpc_conn_close_cb(uv_handle_t *h)
{
	struct dpclient *c = h->data;

	if (--c->open_handles > 0)
		return;
	dpc_pending_destroy(&c->pending);
	free(c->inbuf);
	free(c->node);
	free(c->addr_text);
	free(c);
}

void dpclient_free(struct dpclient *c)
{
	if (!c || c->freeing)
		return;
	c->freeing = true;
	dpc_calls_fail_all(c, BUGLE__DP__STATUS__STATUS_CANCELLED, "client closed");
	uv_timer_stop(&c->reconnect_timer);
	uv_timer_stop(&c->heartbeat_timer);
	uv_close((uv_handle_t *)&c->reconnect_timer, dpc_conn_close_cb);
	uv_close((uv_handle_t *)&c->heartbeat_timer, dpc_conn_close_cb);
	uv_close((uv_handle_t *)&c->deadline_timer, dpc_conn_close_cb);
	dpc_conn_shutdown(c);
}

bool dpclient_is_up(const struct dpclient *c)
{
	return c && c->state == DPC_UP;
}

size_t dpclient_counters(const struct dpclient *c, const char **names, uint64_t *values,
			 size_t cap)
{
	size_t n = cap < DPCLIENT_N_COUNTERS ? cap : DPCLIENT_N_COUNTERS;

	for (size_t i = 0; i < n; i++) {
		if (names)
			names[i] = counter_names[i];
		if (values)
			values[i] = c->counters[i];
	}
	return n;
}

int dpclient_counter(const struct dpclient *c, const char *name, uint64_t *value)
{
	for (size_t i = 0; i < DPCLIENT_N_COUNTERS; i++) {
		if (strcmp(counter_names[i], name) == 0) {
			*value = c->counters[i];
			return 0;
		}
	}
	return -ENOENT;
}
