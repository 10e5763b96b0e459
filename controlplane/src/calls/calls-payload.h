/* The shapes other programs read: KAZOO's call-event JSON on the bus, KAZOO's webhook payload,
 * and the routing keys they travel under.
 * Return convention: builders return a new JSON object or NULL (out of memory or a leg without
 * call_id/account_id); key writers return 0 or a negative errno (-ENOSPC: too small).
 */
#ifndef CALLS_PAYLOAD_H
#define CALLS_PAYLOAD_H

#include "calls-leg-t.h"

#include <jansson.h>
#include <stddef.h>

/* "CHANNEL_CREATE", ... or NULL for an unknown kind. */
const char *calls_event_name(enum calls_event_kind kind);
/* The webhook `hook` value of the kind: "channel_create", ..., "dtmf". */
const char *calls_hook_name(enum calls_event_kind kind);

/* A routing-key word: '.', '*', '#' and '%' become %2E, %2A, %23, %25 (as KAZOO encodes call
 * ids), so a SIP Call-ID never splits into several words. */
int calls_routing_word(const char *in, char *out, size_t cap);
/* "call.CHANNEL_CREATE.<encoded call-id>" */
int calls_event_routing_key(enum calls_event_kind kind, const char *call_id, char *out,
			    size_t cap);

/* {"Event-Category":"call_event","Event-Name":...,"Call-ID":...} */
json_t *calls_event_json(enum calls_event_kind kind, const struct calls_leg *leg,
			 const char *node);

/* KAZOO webhook body: {"hook_event":"channel_create","call_id":...}; custom_data (object or
 * NULL) is merged in without overriding the event's own fields. */
json_t *calls_webhook_payload(enum calls_event_kind kind, const struct calls_leg *leg,
			      const char *node, const json_t *custom_data);

/* "sip:486"; cap >= 16. */
void calls_hangup_code(const struct calls_leg *leg, char *out, size_t cap);
/* The leg's hangup cause, "NORMAL_CLEARING" when it has none. */
const char *calls_hangup_cause(const struct calls_leg *leg);

/* Pieces the payloads and the CDR document share. Keys come in two spellings: KAZOO's call
 * events write "Caller-ID-Name", its webhooks and CDRs "caller_id_name". */
enum calls_key_style {
	CALLS_KEYS_EVENT,
	CALLS_KEYS_SNAKE,
};
/* Sets key only when val is not NULL (an absent field stays out of the document). */
void calls_json_put_str(json_t *o, const char *key, const char *val);
/* "inbound" or "outbound". */
const char *calls_direction_name(enum calls_direction d);
/* The parties: caller and callee id name and number, From, To and the request, in that order. */
void calls_json_put_parties(json_t *o, const struct calls_leg *leg, enum calls_key_style style);

#endif
