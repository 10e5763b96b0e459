/* libcurl multi on libuv: curl says which sockets to watch and when to wake it; uv_poll and
 * one uv_timer tell it back through curl_multi_socket_action. */
#include "calls-http.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct calls_http {
	uv_loop_t *loop;
	CURLM *multi;
	uv_timer_t timer;
	long timeout_ms;
	unsigned active;
	unsigned open_handles;	/* timer and polls not yet closed */
	bool closing;
	struct transfer *transfers;	/* in flight, to abort on close */
	struct sock_watch *watches;	/* polls curl asked for and not yet removed */
};

struct transfer {
	struct calls_http *h;
	CURL *easy;
	struct curl_slist *headers;
	calls_http_done_cb cb;
	void *arg;
	char errbuf[CURL_ERROR_SIZE];
	struct transfer *next, **pprev;
};

/* One per socket curl asked us to watch. */
struct sock_watch {
	struct calls_http *h;
	uv_poll_t poll;
	curl_socket_t fd;
	struct sock_watch *next, **pprev;
};

static void maybe_free(struct calls_http *h)
{
	if (h->closing && h->open_handles == 0)
		free(h);
}

static void handle_closed(uv_handle_t *handle)
{
	struct calls_http *h;
	if (handle->type == UV_POLL) {
		struct sock_watch *w = handle->data;
		h = w->h;
		free(w);
	} else {
		h = handle->data;
	}
	h->open_handles--;
	maybe_free(h);
}

static void finish(struct transfer *t, long status, const char *error)
{
	struct calls_http *h = t->h;
	*t->pprev = t->next;
	if (t->next)
		t->next->pprev = t->pprev;
	curl_multi_remove_handle(h->multi, t->easy);
	curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	h->active--;
	calls_http_done_cb cb = t->cb;
	void *arg = t->arg;
	free(t);
	cb(arg, status, error);
}

static void check_done(struct calls_http *h)
{
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(h->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct transfer *t;
		long status = 0;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
		CURLcode rc = msg->data.result;
		const char *err = NULL;
		if (rc != CURLE_OK)
			err = t->errbuf[0] ? t->errbuf : curl_easy_strerror(rc);
		finish(t, status, err);
	}
}

static void on_poll(uv_poll_t *poll, int status, int events)
{
	struct sock_watch *w = poll->data;
	int flags = 0;
	if (status < 0)
		flags = CURL_CSELECT_ERR;
	if (events & UV_READABLE)
		flags |= CURL_CSELECT_IN;
	if (events & UV_WRITABLE)
		flags |= CURL_CSELECT_OUT;
	int running;
	struct calls_http *h = w->h;
	curl_multi_socket_action(h->multi, w->fd, flags, &running);
	check_done(h);
}

static void on_timer(uv_timer_t *timer)
{
	struct calls_http *h = timer->data;
	int running;
	curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(h);
}

static int socket_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *socketp)
{
	struct calls_http *h = userp;
	struct sock_watch *w = socketp;
	(void)easy;
	if (what == CURL_POLL_REMOVE) {
		if (w) {
			*w->pprev = w->next;
			if (w->next)
				w->next->pprev = w->pprev;
			uv_poll_stop(&w->poll);
			curl_multi_assign(h->multi, fd, NULL);
			uv_close((uv_handle_t *)&w->poll, handle_closed);
		}
		return 0;
	}
	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w)
			return -1;
		w->h = h;
		w->fd = fd;
		if (uv_poll_init_socket(h->loop, &w->poll, fd) != 0) {
			free(w);
			return -1;
		}
		w->poll.data = w;
		h->open_handles++;
		w->next = h->watches;
		w->pprev = &h->watches;
		if (w->next)
			w->next->pprev = &w->next;
		h->watches = w;
		curl_multi_assign(h->multi, fd, w);
	}
	int events = 0;
	if (what == CURL_POLL_IN || what == CURL_POLL_INOUT)
		events |= UV_READABLE;
	if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT)
		events |= UV_WRITABLE;
	return uv_poll_start(&w->poll, events, on_poll) == 0 ? 0 : -1;
}

static int timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	struct calls_http *h = userp;
	(void)multi;
	if (timeout_ms < 0)
		uv_timer_stop(&h->timer);
	else
		uv_timer_start(&h->timer, on_timer, (uint64_t)timeout_ms, 0);
	return 0;
}

struct calls_http *calls_http_new(uv_loop_t *loop, long timeout_ms)
{
	static bool global_done; /* curl_global_init once per process, before any thread */
	if (!global_done) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
			return NULL;
		global_done = true;
	}
	struct calls_http *h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->loop = loop;
	h->timeout_ms = timeout_ms;
	h->multi = curl_multi_init();
	if (!h->multi) {
		free(h);
		return NULL;
	}
	uv_timer_init(loop, &h->timer);
	h->timer.data = h;
	h->open_handles = 1;
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
	curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
	return h;
}

static size_t discard(char *ptr, size_t size, size_t n, void *arg)
{
	(void)ptr;
	(void)arg;
	return size * n;
}

int calls_http_send(struct calls_http *h, const char *method, const char *url,
		    struct curl_slist *headers, const char *body, size_t len,
		    calls_http_done_cb cb, void *arg)
{
	if (h->closing) {
		curl_slist_free_all(headers);
		return -ESHUTDOWN;
	}
	struct transfer *t = calloc(1, sizeof(*t));
	CURL *e = t ? curl_easy_init() : NULL;
	if (!e) {
		free(t);
		curl_slist_free_all(headers);
		return -ENOMEM;
	}
	t->h = h;
	t->easy = e;
	t->headers = headers;
	t->cb = cb;
	t->arg = arg;
	curl_easy_setopt(e, CURLOPT_URL, url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Redirects stay on http/https and are few; the receiver is someone else's server. */
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(e, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, h->timeout_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "bugle-webhooks/1");
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
	/* The response body is not needed; discard it (curl's default prints it). */
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, discard);
	if (strcmp(method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
	} else {
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
		if (strcmp(method, "POST") != 0)
			curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	}
	if (curl_multi_add_handle(h->multi, e) != CURLM_OK) {
		curl_easy_cleanup(e);
		curl_slist_free_all(headers);
		free(t);
		return -EIO;
	}
	h->active++;
	t->next = h->transfers;
	t->pprev = &h->transfers;
	if (t->next)
		t->next->pprev = &t->next;
	h->transfers = t;
	return 0;
}

unsigned calls_http_active(const struct calls_http *h)
{
	return h->active;
}

void calls_http_close(struct calls_http *h)
{
	if (!h || h->closing)
		return;
	h->closing = true;
	while (h->transfers)
		finish(h->transfers, 0, "closed");
	/* Cleanup closes cached connections, removing their watches through socket_cb. */
	curl_multi_cleanup(h->multi);
	h->multi = NULL;
	while (h->watches) {
		struct sock_watch *w = h->watches;
		h->watches = w->next;
		uv_poll_stop(&w->poll);
		uv_close((uv_handle_t *)&w->poll, handle_closed);
	}
	uv_timer_stop(&h->timer);
	uv_close((uv_handle_t *)&h->timer, handle_closed);
}
