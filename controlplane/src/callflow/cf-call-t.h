/* Types only: the call interface the call controller implements for the callflow engine.
 * Return convention: none (types only).
 *
 * Every operation that takes a cf_op_done completes exactly once by calling it with the result,
 * either before returning (synchronously) or later from the loop thread. Pointers handed to an
 * operation (endpoints, strings) stay valid until its completion is called, not after.
 */
#ifndef BUGLE_CF_CALL_T_H
#define BUGLE_CF_CALL_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CF_ID_MAX 64
#define CF_NUMBER_MAX 64
#define CF_NAME_MAX 64
#define CF_CODECS_MAX 8
#define CF_HOST_MAX 254
#define CF_CRED_MAX 65

/* How an operation ended. Branch keys derive from it: see cf_result_key(). */
enum cf_cause {
	CF_OK,		/* answer/play/respond done */
	CF_ANSWERED,	/* bridge: an endpoint answered; completes when that bridged call ended */
	CF_BUSY,	/* bridge: every endpoint busy (sip_code 486 unless told otherwise) */
	CF_NO_ANSWER,	/* bridge: rang out */
	CF_REJECTED,	/* bridge: refused with a final SIP code (sip_code says which) */
	CF_FAILED,	/* no route, no endpoint, transport or internal failure */
	CF_HANGUP,	/* the caller left: the flow stops */
};

struct cf_result {
	enum cf_cause cause;
	int sip_code;	/* 0 when there is none */
};

struct cf_caller_id {
	char name[CF_NAME_MAX];
	char number[CF_NUMBER_MAX];
};

enum cf_endpoint_kind {
	CF_EP_DEVICE,	/* a registered device: device_id */
	CF_EP_FORWARD,	/* a device's call forward to `number`: the engine replaces it with
			 * what the number reaches (cf-forward.h) before the bridge */
	CF_EP_GATEWAY,	/* a carrier gateway: send `number` to gw */
};

struct cf_media_prefs {
	char codecs[CF_CODECS_MAX][16];	/* audio codecs in preference order (schema names) */
	unsigned n_codecs;		/* 0: the controller's default */
	bool srtp, zrtp, enforce_security;
};

struct cf_gateway {
	char resource_id[CF_ID_MAX];
	char server[CF_HOST_MAX];
	uint16_t port;
	char username[CF_CRED_MAX], password[CF_CRED_MAX], realm[CF_HOST_MAX];
};

struct cf_endpoint {
	enum cf_endpoint_kind kind;
	char device_id[CF_ID_MAX];	/* device / forward: the device (forward: whose forward) */
	char owner_id[CF_ID_MAX];	/* the device's user, "" when none */
	char number[CF_NUMBER_MAX];	/* forward target, or what the gateway is sent */
	struct cf_gateway gw;		/* gateways only */
	unsigned delay_s;		/* start ringing after this long */
	unsigned timeout_s;		/* give up on this endpoint after this long (0: bridge's) */
	unsigned weight;		/* ring groups: the member's weight (informational) */
	bool require_keypress;		/* forward: the answerer must press a key to take it */
	/* Gateways of a forward: a group's carriers in cost order. Rank 0 rings with the bridge;
	 * rank r+1 once every leg of rank r failed as the resources module fails over (408, 5xx,
	 * transport). Group 0: no failover. */
	unsigned failover_group, failover_rank;
	bool cid_set;			/* present cid instead of the call's caller id */
	struct cf_caller_id cid;
	struct cf_media_prefs media;
};

enum cf_strategy {
	CF_STRATEGY_SIMULTANEOUS,	/* all at once (each after its delay) */
	CF_STRATEGY_SINGLE,		/* one after the other in the given order */
};

struct cf_bridge {
	const struct cf_endpoint *endpoints;
	size_t n;
	enum cf_strategy strategy;
	unsigned timeout_s;		/* whole bridge; 0: none beyond the endpoints' own */
};

typedef void (*cf_op_done)(void *done_arg, struct cf_result res);

/* Implemented by the call controller; `call` is its leg handle. */
struct cf_call_ops {
	void (*answer)(void *call, cf_op_done done, void *done_arg);
	/* Rings the endpoints; completes with ANSWERED (after the bridged call ended), BUSY,
	 * NO_ANSWER, REJECTED+sip_code, FAILED or HANGUP. */
	void (*bridge)(void *call, const struct cf_bridge *b, cf_op_done done, void *done_arg);
	/* Plays a media document id (or a system prompt name) to the caller. */
	void (*play)(void *call, const char *media_id, cf_op_done done, void *done_arg);
	/* Answers the INVITE with a final (or 18x) code; media (may be NULL) is played as early
	 * media first. */
	void (*respond)(void *call, int code, const char *message, const char *media,
			cf_op_done done, void *done_arg);
	/* The caller id presented from now on (set_cid / prepend_cid). No completion. */
	void (*set_caller_id)(void *call, const struct cf_caller_id *cid);
	/* Ends the call with a cause ("NORMAL_CLEARING", "USER_BUSY", ...) and SIP code. */
	void (*hangup)(void *call, const char *cause, int sip_code);
};

#endif
