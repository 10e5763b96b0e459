/* KAZOO's call-event and webhook payloads, built from one leg description so the bus, the
 * webhooks and the CDRs agree on every value. */
#include "calls-payload.h"
#include "calls-time.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const event_names[CALLS_EVENT_KINDS] = {
	[CALLS_CHANNEL_CREATE] = "CHANNEL_CREATE",
	[CALLS_CHANNEL_ANSWER] = "CHANNEL_ANSWER",
	[CALLS_CHANNEL_BRIDGE] = "CHANNEL_BRIDGE",
	[CALLS_CHANNEL_DESTROY] = "CHANNEL_DESTROY",
	[CALLS_DTMF] = "DTMF",
};

static const char *const hook_names[CALLS_EVENT_KINDS] = {
	[CALLS_CHANNEL_CREATE] = "channel_create",
	[CALLS_CHANNEL_ANSWER] = "channel_answer",
	[CALLS_CHANNEL_BRIDGE] = "channel_bridge",
	[CALLS_CHANNEL_DESTROY] = "channel_destroy",
	[CALLS_DTMF] = "dtmf",
};

const char *calls_event_name(enum calls_event_kind kind)
{
	return (unsigned)kind < CALLS_EVENT_KINDS ? event_names[kind] : NULL;
}

const char *calls_hook_name(enum calls_event_kind kind)
{
	return (unsigned)kind < CALLS_EVENT_KINDS ? hook_names[kind] : NULL;
}

int calls_routing_word(const char *in, char *out, size_t cap)
{
	size_t n = 0;
	for (const char *c = in; *c; c++) {
		const char *esc = *c == '.' ? "%2E" : *c == '*' ? "%2A" : *c == '#' ? "%23"
			: *c == '%' ? "%25" : NULL;
		size_t len = esc ? 3 : 1;
		if (n + len >= cap)
			return -ENOSPC;
		memcpy(out + n, esc ? esc : c, len);
		n += len;
	}
	if (n == 0 || cap == 0)
		return -EINVAL;
	out[n] = '\0';
	return 0;
}

int calls_event_routing_key(enum calls_event_kind kind, const char *call_id, char *out,
			    size_t cap)
{
	const char *name = calls_event_name(kind);
	char word[512];
	if (!name || !call_id)
		return -EINVAL;
	int rc = calls_routing_word(call_id, word, sizeof(word));
	if (rc < 0)
		return rc;
	int n = snprintf(out, cap, "call.%s.%s", name, word);
	return (n < 0 || (size_t)n >= cap) ? -ENOSPC : 0;
}

void calls_hangup_code(const struct calls_leg *leg, char *out, size_t cap)
{
	snprintf(out, cap, "sip:%d", leg->hangup_code);
}

const char *calls_hangup_cause(const struct calls_leg *leg)
{
	return leg->hangup_cause ? leg->hangup_cause : "NORMAL_CLEARING";
}

void calls_json_put_str(json_t *o, const char *key, const char *val)
{
	if (val)
		json_object_set_new(o, key, json_string(val));
}

const char *calls_direction_name(enum calls_direction d)
{
	return d == CALLS_OUTBOUND ? "outbound" : "inbound";
}

void calls_json_put_parties(json_t *o, const struct calls_leg *leg, enum calls_key_style style)
{
	static const char *const keys[][2] = {
		{ "Caller-ID-Name", "caller_id_name" },
		{ "Caller-ID-Number", "caller_id_number" },
		{ "Callee-ID-Name", "callee_id_name" },
		{ "Callee-ID-Number", "callee_id_number" },
		{ "From", "from" },
		{ "To", "to" },
		{ "Request", "request" },
	};
	const char *const vals[] = {
		leg->caller_id_name, leg->caller_id_number, leg->callee_id_name,
		leg->callee_id_number, leg->from, leg->to, leg->request,
	};
	_Static_assert(sizeof(keys) / sizeof(keys[0]) == sizeof(vals) / sizeof(vals[0]),
		       "a key for every party field");
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++)
		calls_json_put_str(o, keys[i][style], vals[i]);
}

/* CHANNEL_DESTROY's hangup cause and code and the leg's durations. */
static void put_hangup(json_t *o, const struct calls_leg *leg, enum calls_key_style style)
{
	static const char *const keys[][2] = {
		{ "Hangup-Cause", "hangup_cause" },
		{ "Hangup-Code", "hangup_code" },
		{ "Duration-Seconds", "duration_seconds" },
		{ "Billing-Seconds", "billing_seconds" },
		{ "Ringing-Seconds", "ringing_seconds" },
	};
	struct calls_durations d;
	char code[16];
	calls_durations(leg, &d);
	calls_hangup_code(leg, code, sizeof(code));
	calls_json_put_str(o, keys[0][style], calls_hangup_cause(leg));
	calls_json_put_str(o, keys[1][style], code);
	json_object_set_new(o, keys[2][style], json_integer(d.duration_s));
	json_object_set_new(o, keys[3][style], json_integer(d.billing_s));
	json_object_set_new(o, keys[4][style], json_integer(d.ringing_s));
}

/* KAZOO keeps the account and the authorizing endpoint among the custom channel vars. */
static json_t *channel_vars(const struct calls_leg *leg)
{
	json_t *ccv = json_is_object(leg->custom_channel_vars)
		? json_deep_copy(leg->custom_channel_vars) : json_object();
	if (!ccv)
		return NULL;
	calls_json_put_str(ccv, "Account-ID", leg->account_id);
	calls_json_put_str(ccv, "Authorizing-ID", leg->authorizing_id);
	calls_json_put_str(ccv, "Authorizing-Type", leg->authorizing_type);
	return ccv;
}

json_t *calls_event_json(enum calls_event_kind kind, const struct calls_leg *leg,
			 const char *node)
{
	const char *name = calls_event_name(kind);
	if (!name || !leg->call_id || !leg->account_id)
		return NULL;
	json_t *o = json_object();
	if (!o)
		return NULL;
	calls_json_put_str(o, "Event-Category", "call_event");
	calls_json_put_str(o, "Event-Name", name);
	calls_json_put_str(o, "App-Name", "bugle-controlplane");
	calls_json_put_str(o, "Call-ID", leg->call_id);
	calls_json_put_str(o, "Other-Leg-Call-ID", leg->other_leg_call_id);
	calls_json_put_str(o, "Call-Direction", calls_direction_name(leg->direction));
	calls_json_put_parties(o, leg, CALLS_KEYS_EVENT);
	calls_json_put_str(o, "Account-ID", leg->account_id);
	calls_json_put_str(o, "User-Agent", leg->user_agent);
	calls_json_put_str(o, "Media-Server", node);
	calls_json_put_str(o, "Node", node);
	json_object_set_new(o, "Timestamp", json_integer(calls_gregorian_s(leg->event_us)));
	json_object_set_new(o, "Channel-Created-Time", json_integer(leg->created_us));
	json_object_set_new(o, "Channel-Answer-State",
			    json_string(leg->answered_us ? "answered" : "ringing"));
	if (kind == CALLS_CHANNEL_DESTROY)
		put_hangup(o, leg, CALLS_KEYS_EVENT);
	if (kind == CALLS_DTMF)
		calls_json_put_str(o, "DTMF-Digit", leg->dtmf_digit);
	json_t *ccv = channel_vars(leg);
	if (ccv)
		json_object_set_new(o, "Custom-Channel-Vars", ccv);
	return o;
}

json_t *calls_webhook_payload(enum calls_event_kind kind, const struct calls_leg *leg,
			      const char *node, const json_t *custom_data)
{
	const char *hook = calls_hook_name(kind);
	if (!hook || !leg->call_id || !leg->account_id)
		return NULL;
	json_t *o = json_object();
	if (!o)
		return NULL;
	calls_json_put_str(o, "hook_event", hook);
	calls_json_put_str(o, "call_id", leg->call_id);
	calls_json_put_str(o, "other_leg_call_id", leg->other_leg_call_id);
	calls_json_put_str(o, "call_direction", calls_direction_name(leg->direction));
	calls_json_put_str(o, "account_id", leg->account_id);
	calls_json_put_parties(o, leg, CALLS_KEYS_SNAKE);
	calls_json_put_str(o, "emitted_by", node);
	json_object_set_new(o, "timestamp", json_integer(calls_gregorian_s(leg->event_us)));
	if (kind == CALLS_CHANNEL_DESTROY)
		put_hangup(o, leg, CALLS_KEYS_SNAKE);
	if (kind == CALLS_DTMF)
		calls_json_put_str(o, "digit", leg->dtmf_digit);
	json_t *ccv = channel_vars(leg);
	if (ccv)
		json_object_set_new(o, "custom_channel_vars", ccv);
	/* The hook owner's extra fields never replace what the event says. */
	if (json_is_object(custom_data))
		json_object_update_missing(o, (json_t *)custom_data);
	return o;
}
