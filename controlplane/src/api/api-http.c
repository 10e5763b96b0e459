/* libmicrohttpd on the libuv loop. MHD runs in external-select mode with its epoll set: one
 * uv_poll watches MHD's epoll descriptor and one uv_timer follows MHD's own time-outs, so every
 * request callback runs on the loop thread beside the pg pool and the bus. That is why this mode
 * was chosen over MHD's internal thread: handlers call the store, the cache and the bus
 * directly, with no locks and no hand-over queue. A request that waits for PostgreSQL is
 * suspended (MHD_suspend_connection) and resumed when its answer is ready; resuming schedules
 * an immediate MHD run through the timer. */
#include "api-int.h"
#include "store-batch.h"
#include "bugle/log.h"
#include "cache.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

static void run_mhd(struct api_server *api);

static void timer_cb(uv_timer_t *t)
{
	run_mhd(t->data);
}

static void cps_tick(uv_timer_t *t)
{
	api_metrics_tick(t->data);
}

static void poll_cb(uv_poll_t *p, int status, int events)
{
	(void)status;
	(void)events;
	run_mhd(p->data);
}

static void run_mhd(struct api_server *api)
{
	if (!api->mhd)
		return;
	MHD_run(api->mhd);
	MHD_UNSIGNED_LONG_LONG ms;
	if (MHD_get_timeout(api->mhd, &ms) == MHD_YES)
		uv_timer_start(&api->timer, timer_cb, ms > 60000 ? 60000 : ms, 0);
	else
		uv_timer_start(&api->timer, timer_cb, 1000, 0);
}

void api_flush(struct api_req *r)
{
	if (r->suspended && !r->gone) {
		r->suspended = false;
		MHD_resume_connection(r->conn);
		/* MHD only processes a resumed connection in its next run, and in external mode
		 * nothing wakes the epoll descriptor for it; run on the next loop turn (not from
		 * here: this may be inside an MHD callback, and MHD_run must not nest). */
		if (!r->api->closing)
			uv_timer_start(&r->api->timer, timer_cb, 0, 0);
	}
}

static enum MHD_Result queue_answer(struct api_req *r)
{
	enum MHD_Result rc = MHD_queue_response(r->conn, r->status, r->response);
	MHD_destroy_response(r->response);
	r->response = NULL;
	return rc;
}

static bool body_allowed(const struct api_req *r)
{
	return r->method == API_PUT || r->method == API_POST || r->method == API_PATCH;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size, void **con_cls)
{
	struct api_server *api = cls;
	struct api_req *r = *con_cls;
	(void)version;
	if (!r) {
		r = api_req_new(api, conn, method, url);
		if (!r)
			return MHD_NO;
		*con_cls = r;
		r->live_next = api->live;
		if (api->live)
			api->live->live_prev = r;
		api->live = r;
		api->counters.requests++;
		/* Refuse an announced oversize body before reading it. */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > api->opt.max_body_bytes) {
			api->counters.body_too_large++;
			api_reply_error(r, 413, "request entity too large", NULL);
			return queue_answer(r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		size_t n = *upload_size;
		*upload_size = 0;
		if (r->body_too_large || !body_allowed(r))
			return MHD_YES;
		if (r->body_len + n > api->opt.max_body_bytes) {
			r->body_too_large = true;
			api->counters.body_too_large++;
			return MHD_YES;
		}
		if (r->body_len + n + 1 > r->body_cap) {
			size_t cap = r->body_cap ? r->body_cap : 4096;
			while (cap < r->body_len + n + 1)
				cap *= 2;
			char *nb = realloc(r->body, cap);
			if (!nb)
				return MHD_NO;
			r->body = nb;
			r->body_cap = cap;
		}
		memcpy(r->body + r->body_len, upload_data, n);
		r->body_len += n;
		r->body[r->body_len] = '\0';
		return MHD_YES;
	}
	if (r->response)
		return queue_answer(r);
	if (r->dispatched)
		return MHD_YES; /* resumed without an answer yet: cannot happen, but stay put */
	r->dispatched = true;
	if (r->body_too_large)
		api_reply_error(r, 413, "request entity too large", NULL);
	else
		api_dispatch(r);
	if (r->response)
		return queue_answer(r);
	r->suspended = true;
	MHD_suspend_connection(conn);
	return MHD_YES;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)conn;
	(void)toe;
	struct api_req *r = *con_cls;
	if (!r)
		return;
	*con_cls = NULL;
	struct api_server *api = cls;
	if (r->live_prev)
		r->live_prev->live_next = r->live_next;
	else if (api->live == r)
		api->live = r->live_next;
	if (r->live_next)
		r->live_next->live_prev = r->live_prev;
	r->live_prev = r->live_next = NULL;
	r->gone = true;
	r->suspended = false;
	api_req_unref(r);
}

struct api_server *api_server_new(uv_loop_t *loop, const struct api_options *opt)
{
	struct api_server *api = calloc(1, sizeof(*api));
	if (!api)
		return NULL;
	api->loop = loop;
	api->opt = *opt;
	if (!api->opt.token_ttl_s)
		api->opt.token_ttl_s = 3600;
	api->docs = cache_new(&(struct cache_options){ .max_entries = 200000, .ttl_ms = 300000 });
	/* Sessions are re-checked in PostgreSQL often enough that a logout on another node (also
	 * announced on the bus) cannot be outlived for long even if an event is lost. */
	api->tokens = cache_new(&(struct cache_options){ .max_entries = 65536, .ttl_ms = 30000 });
	/* A group never grows past what one statement should carry; the pool's queue holds the
	 * rest of the load anyway. */
	api->creates = store_batcher_new(api->opt.pg, api->opt.write_streams ? api->opt.write_streams : 2,
					 64);
	if (!api->docs || !api->tokens || !api->creates) {
		cache_free(api->docs);
		cache_free(api->tokens);
		store_batcher_free(api->creates);
		free(api);
		return NULL;
	}
	return api;
}

static int parse_listen(const char *listen, struct sockaddr_in *sa)
{
	char host[64];
	const char *colon = strrchr(listen, ':');
	if (!colon || (size_t)(colon - listen) >= sizeof(host))
		return -EINVAL;
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port <= 0 || port > 65535)
		return -EINVAL;
	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -EINVAL;
}

int api_server_start(struct api_server *api)
{
	struct sockaddr_in sa;
	if (parse_listen(api->opt.listen, &sa) < 0) {
		BGL_ERR("api: bad listen address '%s' (want IPv4 host:port)", api->opt.listen);
		return -EINVAL;
	}
	api->mhd = MHD_start_daemon(
		MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, ntohs(sa.sin_port),
		NULL, NULL, on_request, api, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, api, MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)60, MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_LISTENING_ADDRESS_REUSE,
		(unsigned)1, MHD_OPTION_END);
	if (!api->mhd) {
		BGL_ERR("api: cannot listen on %s", api->opt.listen);
		return -EADDRINUSE;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(api->mhd, MHD_DAEMON_INFO_EPOLL_FD);
	if (!info) {
		MHD_stop_daemon(api->mhd);
		api->mhd = NULL;
		return -ENOTSUP;
	}
	uv_poll_init(api->loop, &api->poll, info->epoll_fd);
	uv_timer_init(api->loop, &api->timer);
	uv_timer_init(api->loop, &api->cps_timer);
	api->poll.data = api->timer.data = api->cps_timer.data = api;
	api->open_handles = 3;
	uv_poll_start(&api->poll, UV_READABLE, poll_cb);
	uv_timer_start(&api->cps_timer, cps_tick, 1000, 1000);
	/* The sampler must not keep the loop alive on its own. */
	uv_unref((uv_handle_t *)&api->cps_timer);
	run_mhd(api);
	BGL_INFO("api: listening on %s", api->opt.listen);
	return api_events_subscribe(api);
}

void api_maybe_free(struct api_server *api)
{
	if (!api->closing || api->open_handles || api->inflight)
		return;
	void (*cb)(void *) = api->on_closed;
	void *arg = api->closed_arg;
	cache_free(api->docs);
	cache_free(api->tokens);
	store_batcher_free(api->creates);
	free(api);
	if (cb)
		cb(arg);
}

static void handle_closed(uv_handle_t *h)
{
	struct api_server *api = h->data;
	api->open_handles--;
	api_maybe_free(api);
}

void api_server_close(struct api_server *api, void (*on_closed)(void *arg), void *arg)
{
	if (!api || api->closing)
		return;
	api->closing = true;
	api->on_closed = on_closed;
	api->closed_arg = arg;
	if (api->mhd) {
		/* MHD refuses to stop with suspended connections: answer those still waiting for
		 * the store (503), let MHD take them back, then stop. Their store calls finish
		 * later and the server stays allocated until the last one has. */
		for (struct api_req *r = api->live; r; r = r->live_next)
			if (r->suspended)
				api_reply_error(r, 503, "shutting down", NULL);
		MHD_run(api->mhd);
		MHD_stop_daemon(api->mhd);
		api->mhd = NULL;
	}
	if (api->open_handles) {
		uv_close((uv_handle_t *)&api->poll, handle_closed);
		uv_close((uv_handle_t *)&api->timer, handle_closed);
		uv_close((uv_handle_t *)&api->cps_timer, handle_closed);
		return;
	}
	api_maybe_free(api);
}
