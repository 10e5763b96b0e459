/* The channel view: account id -> { call id -> channel object }. Objects carry KAZOO's
 * channel fields plus pvt_ fields for bookkeeping that listings strip. */
#include "calls-channels.h"
#include "calls-payload.h"
#include "calls-time.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct calls_channels {
	json_t *accounts;
	char node[64];
	uint64_t ttl_ms;
	size_t count;
};

struct calls_channels *calls_channels_new(const char *node, uint64_t remote_ttl_ms)
{
	struct calls_channels *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->accounts = json_object();
	if (!c->accounts) {
		free(c);
		return NULL;
	}
	snprintf(c->node, sizeof(c->node), "%s", node ? node : "");
	c->ttl_ms = remote_ttl_ms;
	return c;
}

void calls_channels_free(struct calls_channels *c)
{
	if (!c)
		return;
	json_decref(c->accounts);
	free(c);
}

static const char *get_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* Apply one event given as the KAZOO call-event object. */
static int apply(struct calls_channels *c, const json_t *ev, bool local, uint64_t now_ms)
{
	const char *name = get_str(ev, "Event-Name"), *call_id = get_str(ev, "Call-ID");
	const char *acct = get_str(ev, "Account-ID");
	if (!name || !call_id || !acct || strlen(acct) != 32 || !*call_id)
		return -EINVAL;
	json_t *calls = json_object_get(c->accounts, acct);
	if (strcmp(name, "CHANNEL_DESTROY") == 0) {
		if (calls && json_object_get(calls, call_id)) {
			json_object_del(calls, call_id);
			c->count--;
			if (json_object_size(calls) == 0)
				json_object_del(c->accounts, acct);
		}
		return 0;
	}
	if (strcmp(name, "DTMF") == 0)
		return 0;
	if (strncmp(name, "CHANNEL_", 8) != 0)
		return -EINVAL;
	if (!calls) {
		calls = json_object();
		if (!calls || json_object_set_new(c->accounts, acct, calls) < 0)
			return -ENOMEM;
	}
	json_t *ch = json_object_get(calls, call_id);
	if (!ch) {
		ch = json_object();
		if (!ch || json_object_set_new(calls, call_id, ch) < 0)
			return -ENOMEM;
		c->count++;
	}
	static const struct { const char *from, *to; } fields[] = {
		{ "Call-ID", "uuid" }, { "Other-Leg-Call-ID", "other_leg" },
		{ "Call-Direction", "direction" }, { "Caller-ID-Name", "caller_id_name" },
		{ "Caller-ID-Number", "caller_id_number" }, { "Callee-ID-Name", "callee_id_name" },
		{ "Callee-ID-Number", "callee_id_number" }, { "Request", "destination" },
		{ "From", "from" }, { "To", "to" }, { "Account-ID", "account_id" },
		{ "Node", "node" }, { "User-Agent", "user_agent" },
	};
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = get_str(ev, fields[i].from);
		if (v)
			json_object_set_new(ch, fields[i].to, json_string(v));
	}
	const json_t *ts = json_object_get(ev, "Timestamp");
	if (json_is_integer(ts) && !json_object_get(ch, "timestamp"))
		json_object_set_new(ch, "timestamp", json_integer(json_integer_value(ts)));
	json_object_set_new(ch, "answered", json_boolean(strcmp(name, "CHANNEL_CREATE") != 0 ||
		json_is_true(json_object_get(ch, "answered"))));
	const json_t *ccv = json_object_get(ev, "Custom-Channel-Vars");
	const char *auth_id = get_str(ccv, "Authorizing-ID"), *auth_type = get_str(ccv,
		"Authorizing-Type");
	if (auth_id)
		json_object_set_new(ch, "authorizing_id", json_string(auth_id));
	if (auth_type)
		json_object_set_new(ch, "authorizing_type", json_string(auth_type));
	json_object_set_new(ch, "pvt_local", json_boolean(local));
	json_object_set_new(ch, "pvt_seen_ms", json_integer((json_int_t)now_ms));
	return 0;
}

int calls_channels_local(struct calls_channels *c, enum calls_event_kind kind,
			 const struct calls_leg *leg, uint64_t now_ms)
{
	json_t *ev = calls_event_json(kind, leg, c->node);
	if (!ev)
		return -EINVAL;
	int rc = apply(c, ev, true, now_ms);
	json_decref(ev);
	return rc;
}

int calls_channels_remote(struct calls_channels *c, const json_t *event, uint64_t now_ms)
{
	const char *node = get_str(event, "Node");
	if (!json_is_object(event) || !node)
		return -EINVAL;
	if (strcmp(node, c->node) == 0)
		return 0;
	return apply(c, event, false, now_ms);
}

json_t *calls_channels_announcement(const struct calls_channels *c)
{
	json_t *list = json_array();
	const char *acct, *call_id;
	json_t *calls, *ch;
	if (!list)
		return NULL;
	json_object_foreach(c->accounts, acct, calls) {
		json_object_foreach(calls, call_id, ch) {
			if (!json_is_true(json_object_get(ch, "pvt_local")))
				continue;
			json_t *copy = json_copy(ch);
			if (!copy || json_array_append_new(list, copy) < 0) {
				json_decref(list);
				return NULL;
			}
			json_object_del(copy, "pvt_local");
			json_object_del(copy, "pvt_seen_ms");
		}
	}
	return json_pack("{s:s, s:s, s:s, s:o}", "Event-Category", "channels", "Event-Name",
			 "CHANNELS_ANNOUNCE", "Node", c->node, "Channels", list);
}

/* Only the fields a channel listing shows are taken from another node, as strings (or the
 * two known non-strings), so a malformed peer cannot plant arbitrary JSON. */
static json_t *channel_from_peer(const json_t *in, const char *node)
{
	static const char *const text[] = { "uuid", "other_leg", "direction", "caller_id_name",
		"caller_id_number", "callee_id_name", "callee_id_number", "destination", "from",
		"to", "account_id", "user_agent", "authorizing_id", "authorizing_type" };
	json_t *ch = json_object();
	if (!ch)
		return NULL;
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		const json_t *v = json_object_get(in, text[i]);
		if (json_is_string(v))
			json_object_set_new(ch, text[i], json_string(json_string_value(v)));
	}
	const json_t *ts = json_object_get(in, "timestamp");
	if (json_is_integer(ts))
		json_object_set_new(ch, "timestamp", json_integer(json_integer_value(ts)));
	json_object_set_new(ch, "answered", json_boolean(json_is_true(json_object_get(in,
											"answered"))));
	json_object_set_new(ch, "node", json_string(node));
	return ch;
}

int calls_channels_announced(struct calls_channels *c, const json_t *msg, uint64_t now_ms)
{
	const char *node = get_str(msg, "Node");
	const json_t *list = json_object_get(msg, "Channels");
	if (!node || !*node || !json_is_array(list))
		return -EINVAL;
	if (strcmp(node, c->node) == 0)
		return 0;
	int applied = 0;
	size_t i;
	const json_t *item;
	json_array_foreach(list, i, item) {
		const char *acct = get_str(item, "account_id"), *uuid = get_str(item, "uuid");
		if (!acct || strlen(acct) != 32 || !uuid || !*uuid)
			continue;
		json_t *calls = json_object_get(c->accounts, acct);
		const json_t *old = calls ? json_object_get(calls, uuid) : NULL;
		if (old && json_is_true(json_object_get(old, "pvt_local")))
			continue; /* ours: a peer cannot overwrite it */
		json_t *ch = channel_from_peer(item, node);
		if (!ch)
			return -ENOMEM;
		json_object_set_new(ch, "pvt_local", json_false());
		json_object_set_new(ch, "pvt_seen_ms", json_integer((json_int_t)now_ms));
		if (!calls) {
			calls = json_object();
			if (!calls || json_object_set_new(c->accounts, acct, calls) < 0) {
				json_decref(ch);
				return -ENOMEM;
			}
		}
		if (!old)
			c->count++;
		json_object_set_new(calls, uuid, ch);
		applied++;
	}
	return applied;
}

int calls_channels_expire(struct calls_channels *c, uint64_t now_ms)
{
	int gone = 0;
	const char *acct, *call_id;
	json_t *calls, *ch, *tmp1, *tmp2;
	json_object_foreach_safe(c->accounts, tmp1, acct, calls) {
		json_object_foreach_safe(calls, tmp2, call_id, ch) {
			uint64_t seen = (uint64_t)json_integer_value(json_object_get(ch,
										    "pvt_seen_ms"));
			if (!json_is_true(json_object_get(ch, "pvt_local")) &&
			    now_ms - seen > c->ttl_ms) {
				json_object_del(calls, call_id);
				c->count--;
				gone++;
			}
		}
		if (json_object_size(calls) == 0)
			json_object_del(c->accounts, acct);
	}
	return gone;
}

json_t *calls_channels_list(const struct calls_channels *c, const char *account_id)
{
	json_t *out = json_array();
	const json_t *calls = json_object_get(c->accounts, account_id);
	const char *call_id;
	json_t *ch;
	if (!out || !calls)
		return out;
	json_object_foreach((json_t *)calls, call_id, ch) {
		json_t *copy = json_copy(ch);
		if (!copy) {
			json_decref(out);
			return NULL;
		}
		json_object_del(copy, "pvt_local");
		json_object_del(copy, "pvt_seen_ms");
		json_array_append_new(out, copy);
	}
	return out;
}

const json_t *calls_channels_find(const struct calls_channels *c, const char *account_id,
				  const char *call_id)
{
	return json_object_get(json_object_get(c->accounts, account_id), call_id);
}

size_t calls_channels_count(const struct calls_channels *c)
{
	return c->count;
}

size_t calls_channels_local_count(const struct calls_channels *c)
{
	size_t n = 0;
	const char *acct, *call_id;
	json_t *calls, *ch;
	json_object_foreach(c->accounts, acct, calls) {
		json_object_foreach(calls, call_id, ch)
			n += json_is_true(json_object_get(ch, "pvt_local"));
	}
	return n;
}
