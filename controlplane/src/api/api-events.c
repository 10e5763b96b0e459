/* Every document change is announced on the configuration exchange, and every node drops its
 * cached copy when it hears of one (its own changes included), so control planes sharing one
 * PostgreSQL see each other's edits as fast as the bus delivers. */
#include "api-int.h"
#include "bugle/log.h"
#include "cache.h"
#include "cp/bus.h"
#include "store-events.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_doc_key(char *out, size_t len, const char *account_id, const char *id)
{
	snprintf(out, len, "doc:%s:%s", account_id, id);
}

static void drop(struct api_server *api, const struct store_event *ev)
{
	char key[200];
	api_doc_key(key, sizeof(key), ev->account_id, ev->id);
	cache_drop(api->docs, key);
	if (strcmp(ev->type, "account") == 0) {
		snprintf(key, sizeof(key), "acct:%s", ev->id);
		cache_drop(api->docs, key);
	}
	if (strcmp(ev->type, "auth_token") == 0)
		cache_drop(api->tokens, ev->id);
}

void api_announce(struct api_server *api, int kind, const char *account_id, const char *type,
		  const char *id)
{
	struct store_event ev = { .kind = (enum store_event_kind)kind };
	char key[256];
	snprintf(ev.account_id, sizeof(ev.account_id), "%s", account_id);
	snprintf(ev.type, sizeof(ev.type), "%s", type);
	snprintf(ev.id, sizeof(ev.id), "%s", id);
	drop(api, &ev);
	if (store_event_routing_key(&ev, key, sizeof(key)) < 0 || !api->opt.bus)
		return;
	json_t *body = json_pack("{s:s, s:s, s:s, s:s, s:s}", "Event-Category", "configuration",
				 "Event-Name", store_event_name(ev.kind), "Type", type, "ID", id,
				 "Account-ID", account_id);
	char *text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	if (text && cp_bus_publish(api->opt.bus, "configuration", key, text) == 0)
		api->counters.events_published++;
	free(text);
}

static void on_event(void *arg, const char *exchange, const char *routing_key, const char *body,
		     size_t len)
{
	struct api_server *api = arg;
	struct store_event ev;
	(void)exchange;
	(void)body;
	(void)len;
	if (store_event_parse(routing_key, &ev) < 0) {
		api->counters.events_bad++;
		return;
	}
	api->counters.events_received++;
	drop(api, &ev);
}

int api_events_subscribe(struct api_server *api)
{
	if (!api->opt.bus)
		return 0;
	static const char *const keys[] = { "doc_created.#", "doc_edited.#", "doc_deleted.#" };
	for (size_t i = 0; i < 3; i++) {
		int rc = cp_bus_subscribe(api->opt.bus, "configuration", keys[i], on_event, api);
		if (rc < 0) {
			BGL_ERR("api: cannot subscribe to %s", keys[i]);
			return rc;
		}
	}
	return 0;
}
