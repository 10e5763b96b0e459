/* Types only: one call leg as the call controller describes it on each channel event.
 * Return convention: none (types only).
 *
 * Owner: the caller fills it on the loop thread and keeps it alive only for the duration of the
 * calls_event() call; the calls module copies what it keeps.
 */
#ifndef CALLS_LEG_T_H
#define CALLS_LEG_T_H

#include <jansson.h>
#include <stdint.h>

enum calls_event_kind {
	CALLS_CHANNEL_CREATE,
	CALLS_CHANNEL_ANSWER,
	CALLS_CHANNEL_BRIDGE,
	CALLS_CHANNEL_DESTROY,
	CALLS_DTMF,
	CALLS_EVENT_KINDS
};

enum calls_direction {
	CALLS_INBOUND,		/* toward the platform (from a device or a carrier) */
	CALLS_OUTBOUND,		/* from the platform to a device or a carrier */
};

/* Strings may be NULL (absent); times are unix microseconds, 0 when not reached yet. */
struct calls_leg {
	const char *call_id;			/* required */
	const char *account_id;			/* required: 32 hex digits */
	const char *other_leg_call_id;
	enum calls_direction direction;
	const char *caller_id_name, *caller_id_number;
	const char *callee_id_name, *callee_id_number;
	const char *from, *to, *request;	/* SIP From/To user@host and the Request-URI user@host */
	const char *authorizing_id;		/* device or resource id */
	const char *authorizing_type;		/* "device", "resource", ... */
	const char *user_agent;
	const char *hangup_cause;		/* DESTROY: "NORMAL_CLEARING", "USER_BUSY", ... */
	int hangup_code;			/* DESTROY: SIP status, e.g. 200, 486 */
	const char *dtmf_digit;			/* DTMF only */
	int64_t created_us, answered_us, ended_us;
	int64_t event_us;			/* when this event happened */
	const json_t *custom_channel_vars;	/* object or NULL */
};

#endif
