/* Webhook registry and delivery queue. Each node fires the hooks of the calls it handles, so
 * a receiver gets one request per event however many control planes run. */
#include "calls-webhooks.h"
#include "bugle/log.h"
#include "calls-http.h"
#include "calls-payload.h"
#include "calls-wh-doc.h"
#include "calls-wh-sign.h"
#include "cp/bus.h"
#include "cp/pg-pool.h"
#include "store-events.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct delivery {
	char account_id[33];
	char hook_id[129];
	struct calls_wh_request req;
	const char *method;
	unsigned retry;			/* retries made so far */
	uint64_t due_ms;
	struct calls_webhooks *wh;
	struct delivery *next;
};

struct calls_webhooks {
	uv_loop_t *loop;
	struct calls_webhooks_options opt;
	char node[64];
	struct calls_http *http;
	struct calls_webhook *hooks;	/* the loaded set, replaced whole on reload */
	struct delivery *ready, **ready_tail;
	struct delivery *waiting;	/* scheduled retries */
	unsigned queued;		/* ready + waiting */
	unsigned in_flight;
	uv_timer_t retry_timer, reload_timer;
	unsigned open;			/* handles and queries not yet finished */
	bool loading, reload_again, closing;
	struct calls_webhooks_stats stats;
};

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void put_ref(struct calls_webhooks *wh)
{
	if (--wh->open == 0 && wh->closing)
		free(wh);
}

static void handle_closed(uv_handle_t *h)
{
	put_ref(h->data);
}

static void free_hooks(struct calls_webhook *w)
{
	while (w) {
		struct calls_webhook *next = w->next;
		calls_wh_free(w);
		w = next;
	}
}

static struct calls_webhook *find_hook(struct calls_webhooks *wh, const char *account_id,
				       const char *id)
{
	for (struct calls_webhook *w = wh->hooks; w; w = w->next)
		if (strcmp(w->id, id) == 0 && strcmp(w->account_id, account_id) == 0)
			return w;
	return NULL;
}

static void delivery_free(struct delivery *d)
{
	calls_wh_request_clear(&d->req);
	free(d);
}

/* ---- loading ---------------------------------------------------------------------------- */

static void on_reload_timer(uv_timer_t *t);

static void schedule_reload(struct calls_webhooks *wh, uint64_t in_ms)
{
	if (!wh->closing)
		uv_timer_start(&wh->reload_timer, on_reload_timer, in_ms, 0);
}

/* Sub-accounts created after a load are picked up by the reload their doc_created causes. */
#define LOAD_SQL                                                                                 \
	"SELECT d.account_id, d.id, d.data::text, CASE WHEN d.data->>'include_subaccounts' = "     \
	"'true' THEN (SELECT string_agg(s.id, ',') FROM accounts s WHERE s.path <@ a.path AND "    \
	"s.id <> a.id AND NOT s.deleted) END FROM documents d JOIN accounts a ON a.id = "          \
	"d.account_id WHERE d.type = 'webhook' AND NOT d.deleted AND NOT a.deleted"

static void load(struct calls_webhooks *wh);

static void on_loaded(void *arg, const PGresult *res, const char *error)
{
	struct calls_webhooks *wh = arg;
	wh->loading = false;
	if (wh->closing) {
		put_ref(wh);
		return;
	}
	put_ref(wh);
	if (error) {
		wh->stats.load_failures++;
		BGL_WARN("calls: loading webhooks: %s", error);
		schedule_reload(wh, 2000);
		return;
	}
	struct calls_webhook *list = NULL;
	uint64_t n = 0;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *acct = PQgetvalue(res, i, 0), *id = PQgetvalue(res, i, 1);
		json_error_t jerr;
		json_t *doc = json_loads(PQgetvalue(res, i, 2), 0, &jerr);
		char err[128] = "";
		struct calls_webhook *w = doc ? calls_wh_from_json(acct, id, doc, err, sizeof(err))
					      : NULL;
		json_decref(doc);
		if (!w) {
			BGL_WARN("calls: webhook %s/%s ignored: %s", acct, id, err);
			continue;
		}
		if (!PQgetisnull(res, i, 3) && calls_wh_set_descendants(w, PQgetvalue(res, i, 3))) {
			calls_wh_free(w);
			continue;
		}
		/* The failure window and a disable in progress survive the reload. */
		struct calls_webhook *old = find_hook(wh, acct, id);
		if (old) {
			w->window = old->window;
			w->disabled_here = old->disabled_here && w->enabled;
		}
		w->next = list;
		list = w;
		n++;
	}
	free_hooks(wh->hooks);
	wh->hooks = list;
	wh->stats.hooks = n;
	if (wh->reload_again) {
		wh->reload_again = false;
		load(wh);
	} else {
		schedule_reload(wh, wh->opt.reload_ms);
	}
}

static void load(struct calls_webhooks *wh)
{
	if (wh->closing)
		return;
	if (wh->loading) {
		wh->reload_again = true;
		return;
	}
	if (cp_pg_query(wh->opt.pg, LOAD_SQL, 0, NULL, on_loaded, wh) < 0) {
		wh->stats.load_failures++;
		schedule_reload(wh, 2000);
		return;
	}
	wh->loading = true;
	wh->open++;
}

static void on_reload_timer(uv_timer_t *t)
{
	load(t->data);
}

/* Any webhook or account change: reload soon (a burst of edits costs one load). */
static void on_doc_event(void *arg, const char *exchange, const char *routing_key,
			 const char *body, size_t len)
{
	struct calls_webhooks *wh = arg;
	(void)exchange;
	(void)body;
	(void)len;
	(void)routing_key;
	schedule_reload(wh, 50);
}

/* ---- disabling -------------------------------------------------------------------------- */

struct disable_req {
	struct calls_webhooks *wh;
	char account_id[33];
	char id[129];
};

static void on_disabled(void *arg, const PGresult *res, const char *error)
{
	struct disable_req *r = arg;
	struct calls_webhooks *wh = r->wh;
	if (error) {
		BGL_ERR("calls: webhook %s/%s: could not store the disable: %s", r->account_id,
			r->id, error);
	} else if (PQntuples(res) == 1 && wh->opt.bus && !wh->closing) {
		struct store_event ev = { .kind = STORE_EVENT_EDITED, .type = "webhook" };
		char key[256];
		snprintf(ev.account_id, sizeof(ev.account_id), "%s", r->account_id);
		snprintf(ev.id, sizeof(ev.id), "%s", r->id);
		json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Event-Category",
					 "configuration", "Event-Name", "doc_edited", "Type",
					 "webhook", "ID", r->id, "Account-ID", r->account_id);
		char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
		if (text && store_event_routing_key(&ev, key, sizeof(key)) == 0)
			cp_bus_publish(wh->opt.bus, "configuration", key, text);
		free(text);
		json_decref(body);
	}
	free(r);
	put_ref(wh);
}

static void disable_hook(struct calls_webhooks *wh, struct calls_webhook *w, const char *last)
{
	char reason[256];
	snprintf(reason, sizeof(reason), "%u failures within %llu seconds (last: %s)",
		 wh->opt.disable_failures, (unsigned long long)(wh->opt.disable_window_ms / 1000),
		 last);
	w->disabled_here = true;
	wh->stats.disabled++;
	BGL_WARN("calls: webhook %s/%s (%s) disabled: %s", w->account_id, w->id, w->uri, reason);
	struct disable_req *r = calloc(1, sizeof(*r));
	if (!r)
		return;
	r->wh = wh;
	snprintf(r->account_id, sizeof(r->account_id), "%s", w->account_id);
	snprintf(r->id, sizeof(r->id), "%s", w->id);
	const char *p[] = { w->account_id, w->id, reason };
	int rc = cp_pg_query(wh->opt.pg,
			     "UPDATE documents SET data = data || jsonb_build_object('enabled', "
			     "false, 'disabled_reason', $3::text) WHERE account_id = $1 AND id = $2 "
			     "AND type = 'webhook' AND NOT deleted RETURNING rev",
			     3, p, on_disabled, r);
	if (rc < 0) {
		BGL_ERR("calls: webhook %s/%s: could not store the disable: %s", w->account_id,
			w->id, strerror(-rc));
		free(r);
		return;
	}
	wh->open++;
}

/* ---- delivery --------------------------------------------------------------------------- */

static void pump(struct calls_webhooks *wh);
static void arm_retry_timer(struct calls_webhooks *wh);

static void on_retry_timer(uv_timer_t *t)
{
	struct calls_webhooks *wh = t->data;
	uint64_t now = now_ms();
	struct delivery **pp = &wh->waiting;
	while (*pp) {
		struct delivery *d = *pp;
		if (d->due_ms <= now) {
			*pp = d->next;
			d->next = NULL;
			*wh->ready_tail = d;
			wh->ready_tail = &d->next;
		} else {
			pp = &d->next;
		}
	}
	arm_retry_timer(wh); /* for those not due yet */
	pump(wh);
}

static void arm_retry_timer(struct calls_webhooks *wh)
{
	uint64_t first = UINT64_MAX, now = now_ms();
	for (struct delivery *d = wh->waiting; d; d = d->next)
		if (d->due_ms < first)
			first = d->due_ms;
	if (first == UINT64_MAX)
		uv_timer_stop(&wh->retry_timer);
	else
		uv_timer_start(&wh->retry_timer, on_retry_timer, first > now ? first - now : 0, 0);
}

static void on_sent(void *arg, long status, const char *error)
{
	struct delivery *d = arg;
	struct calls_webhooks *wh = d->wh;
	wh->in_flight--;
	if (!error && status >= 200 && status < 300) {
		wh->stats.delivered++;
		wh->queued--;
		delivery_free(d);
		pump(wh);
		return;
	}
	wh->stats.failed_attempts++;
	char last[160];
	if (error)
		snprintf(last, sizeof(last), "%s", error);
	else
		snprintf(last, sizeof(last), "HTTP %ld", status);
	struct calls_webhook *w = wh->closing ? NULL : find_hook(wh, d->account_id, d->hook_id);
	if (w && !w->disabled_here &&
	    calls_wh_window_failure(&w->window, now_ms(), wh->opt.disable_failures,
				    wh->opt.disable_window_ms))
		disable_hook(wh, w, last);
	if (w && !w->disabled_here && w->enabled && d->retry < w->retries) {
		d->retry++;
		wh->stats.retries++;
		d->due_ms = now_ms() + calls_wh_backoff_ms(d->retry, wh->opt.backoff_base_ms,
							   wh->opt.backoff_cap_ms);
		d->next = wh->waiting;
		wh->waiting = d;
		arm_retry_timer(wh);
	} else {
		if (w && d->retry >= w->retries)
			wh->stats.gave_up++;
		else
			wh->stats.cancelled++;
		wh->queued--;
		delivery_free(d);
	}
	pump(wh);
}

static int send_one(struct calls_webhooks *wh, struct delivery *d, const struct calls_webhook *w)
{
	char ts[24], header[128];
	snprintf(ts, sizeof(ts), "%lld", (long long)time(NULL));
	struct curl_slist *h = NULL, *t;
	snprintf(header, sizeof(header), "X-Bugle-Timestamp: %s", ts);
	h = curl_slist_append(h, header);
	if (d->req.content_type) {
		snprintf(header, sizeof(header), "Content-Type: %s", d->req.content_type);
		h = h ? ((t = curl_slist_append(h, header)) ? t : NULL) : NULL;
	}
	if (h && w->secret) {
		char sig[CALLS_WH_SIG_HEX];
		/* Each attempt is signed afresh: its timestamp is the time it is sent. */
		if (calls_wh_sign(w->secret, strlen(w->secret), ts, d->req.signed_part,
				  d->req.signed_len, sig) < 0) {
			curl_slist_free_all(h);
			return -EIO;
		}
		snprintf(header, sizeof(header), "X-Bugle-Signature: %s", sig);
		t = curl_slist_append(h, header);
		if (!t) {
			curl_slist_free_all(h);
			return -ENOMEM;
		}
	} else if (h) {
		wh->stats.unsigned_sent++;
	}
	if (!h)
		return -ENOMEM;
	/* libcurl would otherwise wait for "100 Continue" on larger bodies. */
	t = curl_slist_append(h, "Expect:");
	if (!t) {
		curl_slist_free_all(h);
		return -ENOMEM;
	}
	return calls_http_send(wh->http, d->method, d->req.url, h, d->req.body,
			       strlen(d->req.body), on_sent, d);
}

static void pump(struct calls_webhooks *wh)
{
	while (!wh->closing && wh->ready && wh->in_flight < wh->opt.max_in_flight) {
		struct delivery *d = wh->ready;
		wh->ready = d->next;
		if (!wh->ready)
			wh->ready_tail = &wh->ready;
		d->next = NULL;
		struct calls_webhook *w = find_hook(wh, d->account_id, d->hook_id);
		if (!w || !w->enabled || w->disabled_here) {
			wh->stats.cancelled++;
			wh->queued--;
			delivery_free(d);
			continue;
		}
		wh->in_flight++;
		if (send_one(wh, d, w) < 0) {
			wh->in_flight--;
			wh->stats.cancelled++;
			wh->queued--;
			delivery_free(d);
		}
	}
}

int calls_webhooks_fire(struct calls_webhooks *wh, enum calls_event_kind kind,
			const struct calls_leg *leg)
{
	int n = 0;
	if (wh->closing || !leg->account_id)
		return 0;
	for (struct calls_webhook *w = wh->hooks; w; w = w->next) {
		if (!calls_wh_matches(w, leg->account_id, kind))
			continue;
		if (wh->queued >= wh->opt.queue_max) {
			wh->stats.dropped_queue_full++;
			continue;
		}
		json_t *payload = calls_webhook_payload(kind, leg, wh->node, w->custom_data);
		struct delivery *d = payload ? calloc(1, sizeof(*d)) : NULL;
		if (!d || calls_wh_request_build(w, payload, &d->req) < 0) {
			json_decref(payload);
			free(d);
			wh->stats.dropped_queue_full++;
			continue;
		}
		json_decref(payload);
		d->wh = wh;
		d->method = w->verb == CALLS_WH_GET ? "GET" : w->verb == CALLS_WH_PUT ? "PUT" : "POST";
		snprintf(d->account_id, sizeof(d->account_id), "%s", w->account_id);
		snprintf(d->hook_id, sizeof(d->hook_id), "%s", w->id);
		*wh->ready_tail = d;
		wh->ready_tail = &d->next;
		wh->queued++;
		wh->stats.fired++;
		n++;
	}
	pump(wh);
	return n;
}

/* ---- life ------------------------------------------------------------------------------- */

struct calls_webhooks *calls_webhooks_new(uv_loop_t *loop,
					  const struct calls_webhooks_options *opt)
{
	if (!opt->pg || opt->max_in_flight == 0 || opt->disable_failures > CALLS_WH_WINDOW_SLOTS)
		return NULL;
	struct calls_webhooks *wh = calloc(1, sizeof(*wh));
	if (!wh)
		return NULL;
	wh->loop = loop;
	wh->opt = *opt;
	snprintf(wh->node, sizeof(wh->node), "%s", opt->node ? opt->node : "");
	wh->opt.node = wh->node;
	wh->ready_tail = &wh->ready;
	wh->http = calls_http_new(loop, opt->timeout_ms);
	if (!wh->http) {
		free(wh);
		return NULL;
	}
	uv_timer_init(loop, &wh->retry_timer);
	uv_timer_init(loop, &wh->reload_timer);
	wh->retry_timer.data = wh->reload_timer.data = wh;
	wh->open = 2;
	return wh;
}

int calls_webhooks_start(struct calls_webhooks *wh)
{
	if (wh->opt.bus) {
		static const char *const keys[] = { "*.*.webhook.*", "doc_created.*.account.*",
						    "doc_deleted.*.account.*" };
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			int rc = cp_bus_subscribe(wh->opt.bus, "configuration", keys[i],
						  on_doc_event, wh);
			if (rc < 0)
				return rc;
		}
	}
	load(wh);
	return 0;
}

void calls_webhooks_stats(const struct calls_webhooks *wh, struct calls_webhooks_stats *out)
{
	*out = wh->stats;
	out->pending = wh->queued;
}

static void drop_list(struct delivery *d)
{
	while (d) {
		struct delivery *next = d->next;
		delivery_free(d);
		d = next;
	}
}

void calls_webhooks_close(struct calls_webhooks *wh)
{
	if (!wh || wh->closing)
		return;
	wh->closing = true;
	drop_list(wh->ready);
	drop_list(wh->waiting);
	wh->ready = wh->waiting = NULL;
	wh->ready_tail = &wh->ready;
	calls_http_close(wh->http); /* in-flight deliveries come back through on_sent */
	free_hooks(wh->hooks);
	wh->hooks = NULL;
	uv_timer_stop(&wh->retry_timer);
	uv_timer_stop(&wh->reload_timer);
	uv_close((uv_handle_t *)&wh->retry_timer, handle_closed);
	uv_close((uv_handle_t *)&wh->reload_timer, handle_closed);
}
