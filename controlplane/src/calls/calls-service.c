/* Ties the call-event pieces together for the call controller and the API. */
#include "bugle/log.h"
#include "calls-cdr-writer.h"
#include "calls-channels.h"
#include "calls-payload.h"
#include "calls-webhooks.h"
#include "calls.h"
#include "cp/bus.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct calls_service {
	uv_loop_t *loop;
	struct cp_bus *bus;
	char node[64];
	char node_word[200];		/* the node as a routing-key word */
	struct calls_channels *channels;
	struct calls_cdr_writer *cdrs;
	struct calls_webhooks *webhooks;
	uv_timer_t tick;		/* announce our channels, expire the peers' */
	uint64_t announce_ms;
	calls_hangup_fn hangup;
	void *hangup_arg;
	struct calls_stats stats;
};

static uint64_t now_ms(const struct calls_service *s)
{
	return uv_now(s->loop);
}

static void on_tick(uv_timer_t *t)
{
	struct calls_service *s = t->data;
	calls_channels_expire(s->channels, now_ms(s));
	if (!s->bus)
		return;
	json_t *msg = calls_channels_announcement(s->channels);
	char *text = msg ? json_dumps(msg, JSON_COMPACT) : NULL;
	char key[256];
	snprintf(key, sizeof(key), "channels.%s", s->node_word);
	if (text)
		cp_bus_publish(s->bus, "callevt", key, text);
	free(text);
	json_decref(msg);
}

static void on_announcement(void *arg, const char *exchange, const char *routing_key,
			    const char *body, size_t len)
{
	struct calls_service *s = arg;
	(void)exchange;
	(void)routing_key;
	json_t *msg = json_loadb(body, len, 0, NULL);
	if (!msg || calls_channels_announced(s->channels, msg, now_ms(s)) < 0)
		s->stats.remote_bad++;
	else
		s->stats.remote_events++;
	json_decref(msg);
}

static void on_remote_event(void *arg, const char *exchange, const char *routing_key,
			    const char *body, size_t len)
{
	struct calls_service *s = arg;
	(void)exchange;
	(void)routing_key;
	json_t *ev = json_loadb(body, len, 0, NULL);
	if (!ev || calls_channels_remote(s->channels, ev, now_ms(s)) < 0)
		s->stats.remote_bad++;
	else
		s->stats.remote_events++;
	json_decref(ev);
}

static void on_hangup_request(void *arg, const char *exchange, const char *routing_key,
			      const char *body, size_t len)
{
	struct calls_service *s = arg;
	(void)exchange;
	(void)routing_key;
	json_t *req = json_loadb(body, len, 0, NULL);
	const char *acct = json_string_value(json_object_get(req, "Account-ID"));
	const char *call_id = json_string_value(json_object_get(req, "Call-ID"));
	const json_t *ch = acct && call_id ? calls_channels_find(s->channels, acct, call_id) : NULL;
	if (ch && json_is_true(json_object_get(ch, "pvt_local")) && s->hangup)
		s->hangup(s->hangup_arg, acct, call_id);
	else
		s->stats.remote_bad++;
	json_decref(req);
}

struct calls_service *calls_service_new(uv_loop_t *loop, const struct calls_options *opt)
{
	const struct calls_config *c = opt->cfg;
	struct calls_service *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->bus = opt->bus;
	snprintf(s->node, sizeof(s->node), "%s", opt->node ? opt->node : "");
	if (calls_routing_word(s->node[0] ? s->node : "node", s->node_word,
			       sizeof(s->node_word)) < 0)
		goto fail;
	s->channels = calls_channels_new(s->node, (uint64_t)c->channel_remote_ttl_s * 1000);
	s->cdrs = calls_cdr_writer_new(loop, opt->pg, opt->bus, (unsigned)c->cdr_queue_max);
	struct calls_webhooks_options wo = {
		.pg = opt->pg,
		.bus = opt->bus,
		.node = s->node,
		.max_in_flight = (unsigned)c->webhook_max_in_flight,
		.queue_max = (unsigned)c->webhook_queue_max,
		.timeout_ms = (long)c->webhook_timeout_ms,
		.backoff_base_ms = (uint64_t)c->webhook_backoff_base_ms,
		.backoff_cap_ms = (uint64_t)c->webhook_backoff_cap_ms,
		.disable_failures = (unsigned)c->webhook_disable_failures,
		.disable_window_ms = (uint64_t)c->webhook_disable_window_s * 1000,
		.reload_ms = (uint64_t)c->webhook_reload_s * 1000,
	};
	s->webhooks = calls_webhooks_new(loop, &wo);
	if (!s->channels || !s->cdrs || !s->webhooks)
		goto fail;
	s->announce_ms = (uint64_t)c->channel_announce_s * 1000;
	uv_timer_init(loop, &s->tick);
	s->tick.data = s;
	return s;
fail:
	calls_channels_free(s->channels);
	calls_cdr_writer_close(s->cdrs);
	calls_webhooks_close(s->webhooks);
	free(s);
	return NULL;
}

int calls_service_start(struct calls_service *s)
{
	if (s->bus) {
		char key[256];
		snprintf(key, sizeof(key), "hangup.%s.*", s->node_word);
		int rc = cp_bus_subscribe(s->bus, "callevt", "call.*.*", on_remote_event, s);
		if (rc == 0)
			rc = cp_bus_subscribe(s->bus, "callevt", key, on_hangup_request, s);
		if (rc == 0)
			rc = cp_bus_subscribe(s->bus, "callevt", "channels.*", on_announcement, s);
		if (rc < 0)
			return rc;
	}
	uv_timer_start(&s->tick, on_tick, s->announce_ms, s->announce_ms);
	return calls_webhooks_start(s->webhooks);
}

static void tick_closed(uv_handle_t *h)
{
	free(h->data);
}

void calls_service_close(struct calls_service *s)
{
	if (!s)
		return;
	calls_webhooks_close(s->webhooks);
	calls_cdr_writer_close(s->cdrs);
	calls_channels_free(s->channels);
	s->channels = NULL;
	uv_timer_stop(&s->tick);
	uv_close((uv_handle_t *)&s->tick, tick_closed);
}

static void publish(struct calls_service *s, enum calls_event_kind kind,
		    const struct calls_leg *leg)
{
	char key[600];
	json_t *ev = calls_event_json(kind, leg, s->node);
	char *text = ev ? json_dumps(ev, JSON_COMPACT) : NULL;
	if (text && calls_event_routing_key(kind, leg->call_id, key, sizeof(key)) == 0 &&
	    cp_bus_publish(s->bus, "callevt", key, text) == 0)
		s->stats.published++;
	free(text);
	json_decref(ev);
}

int calls_event(struct calls_service *s, enum calls_event_kind kind, const struct calls_leg *leg)
{
	if (!calls_event_name(kind) || !leg->call_id || !leg->account_id ||
	    strlen(leg->account_id) != 32) {
		s->stats.events_refused++;
		return -EINVAL;
	}
	s->stats.events++;
	if (s->bus)
		publish(s, kind, leg);
	calls_channels_local(s->channels, kind, leg, now_ms(s));
	calls_webhooks_fire(s->webhooks, kind, leg);
	if (kind == CALLS_CHANNEL_DESTROY) {
		struct calls_cdr_row row;
		int rc = calls_cdr_build(leg, s->node, &row);
		if (rc == 0)
			rc = calls_cdr_writer_put(s->cdrs, &row);
		if (rc < 0)
			BGL_WARN("calls: CDR of %s not recorded: %s", leg->call_id, strerror(-rc));
	}
	return 0;
}

json_t *calls_channels_json(const struct calls_service *s, const char *account_id)
{
	return calls_channels_list(s->channels, account_id);
}

const json_t *calls_channel_find(const struct calls_service *s, const char *account_id,
				 const char *call_id)
{
	return calls_channels_find(s->channels, account_id, call_id);
}

void calls_set_hangup(struct calls_service *s, calls_hangup_fn fn, void *arg)
{
	s->hangup = fn;
	s->hangup_arg = arg;
}

int calls_hangup(struct calls_service *s, const char *account_id, const char *call_id)
{
	const json_t *ch = calls_channels_find(s->channels, account_id, call_id);
	if (!ch)
		return -ENOENT;
	if (json_is_true(json_object_get(ch, "pvt_local")))
		return s->hangup ? s->hangup(s->hangup_arg, account_id, call_id) : -ENOTSUP;
	const char *node = json_string_value(json_object_get(ch, "node"));
	char nw[200], cw[512], key[800];
	if (!s->bus || !node || calls_routing_word(node, nw, sizeof(nw)) < 0 ||
	    calls_routing_word(call_id, cw, sizeof(cw)) < 0)
		return -EHOSTUNREACH;
	snprintf(key, sizeof(key), "hangup.%s.%s", nw, cw);
	json_t *req = json_pack("{s:s, s:s, s:s}", "Event-Category", "call_command", "Account-ID",
				account_id, "Call-ID", call_id);
	char *text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	int rc = text ? cp_bus_publish(s->bus, "callevt", key, text) : -ENOMEM;
	free(text);
	return rc;
}

size_t calls_local_channels(const struct calls_service *s)
{
	return s->channels ? calls_channels_local_count(s->channels) : 0;
}

void calls_service_stats(const struct calls_service *s, struct calls_stats *out)
{
	struct calls_cdr_writer_stats c;
	struct calls_webhooks_stats w;
	*out = s->stats;
	calls_cdr_writer_stats(s->cdrs, &c);
	calls_webhooks_stats(s->webhooks, &w);
	out->cdr_stored = c.stored;
	out->cdr_queued = c.queued;
	out->cdr_dropped = c.dropped_queue_full + c.dropped_refused;
	out->webhooks_fired = w.fired;
	out->webhooks_delivered = w.delivered;
	out->webhooks_failed = w.failed_attempts;
	out->webhooks_disabled = w.disabled;
	out->webhooks_dropped = w.dropped_queue_full;
	out->webhooks_loaded = w.hooks;
	out->webhooks_pending = w.pending;
	out->channels = calls_channels_count(s->channels);
}
