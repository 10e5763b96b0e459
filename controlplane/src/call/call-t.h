/* Types only: the call controller's state: a call (the caller's leg, A) and the legs it rings
 * (B), and the controller that owns them.
 * Return convention: none (types only).
 *
 * Owner: the loop thread writes everything; a call lives while anything refers to it (refs).
 */
#ifndef CALL_T_H
#define CALL_T_H

#include "call-dialog.h"
#include "call-limits-t.h"
#include "call-sdp.h"
#include "cf-call-t.h"
#include "nonce.h"

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

struct csip_stack;
struct csip_tx;
struct cp_pg_pool;
struct dpclient;
struct cf_engine;

#define CALL_SDP_MAX 4096

/* Every drop and outcome is a named counter (X-macro: name, comment). */
#define CALL_COUNTERS(X)                                                                     \
	X(invites, "new INVITEs taken")                                                      \
	X(challenged, "INVITEs answered 407")                                                \
	X(auth_failed, "INVITEs refused 403 (no device, wrong password, unknown nonce)")     \
	X(no_sdp, "INVITEs without an SDP offer we can relay (488)")                         \
	X(reinvites, "in-dialog INVITEs taken (hold, unhold, new media)")                    \
	X(reinvite_glare, "in-dialog INVITEs answered 491 (another one pending)")            \
	X(reinvite_failed, "in-dialog INVITEs refused (no SDP, no dialog, media refused)")   \
	X(updates, "in-dialog UPDATEs answered")                                             \
	X(reinvite_late, "in-dialog INVITEs without SDP: our 200 carried the offer")         \
	X(update_offers, "in-dialog UPDATEs with SDP relayed to the other side")             \
	X(reinvite_2xx_resent, "our 2xx to a re-INVITE resent while its ACK was missing")    \
	X(reinvite_unacked, "calls ended: the ACK of our 2xx to a re-INVITE never came")     \
	X(early_media, "183s with SDP relayed to the caller with the data plane's address") \
	X(store_errors, "INVITEs answered 500/503 because the store failed")                 \
	X(calls_started, "calls handed to the callflow engine")                              \
	X(blegs, "B-leg INVITEs sent")                                                       \
	X(answered, "calls answered by a callee")                                            \
	X(cancelled, "calls cancelled by the caller")                                        \
	X(byes, "BYEs taken")                                                                \
	X(stray, "BYE/CANCEL/ACK matching no call")                                          \
	X(drained, "new INVITEs refused 503 while the node drains")                         \
	X(media_failed, "bridges failed because the data plane refused or was down")         \
	X(no_registration, "bridged devices with no live registration")                      \
	X(killed, "calls ended by an operator (API DELETE channel, buglectl calls kill)")        \
	X(carrier_inbound, "INVITEs taken without digest from a carrier resource's address")     \
	X(limited, "calls refused 503 over the account's limits (limits document)")              \
	X(limited_soft, "calls over the trunks let through by soft_limit_inbound/outbound")      \
	X(gateway_auth, "carrier challenges (401/407) answered with gateway credentials")     \
	X(late_offers, "INVITEs without SDP: the callees offered by us, the caller in our 200") \
	X(late_unanswered, "calls ended with BYE: the caller's ACK had no usable answer")        \
	X(bad_extension, "requests refused 420: Require named an extension we lack (100rel)") \
	X(forward_failovers, "a forward's next carrier rung after the previous one failed over") \
	X(keypress_asked, "forwarded parties asked to press 1 (require_keypress)")             \
	X(keypress_accepted, "forwarded parties that pressed 1 and were bridged")             \
	X(keypress_refused, "forwarded parties hung up: another key, none in time, or media") \
	X(flow_answered, "calls answered by the flow itself (answer, play) before any bridge") \
	X(prompts_played, "prompts (play) the data plane reported finished")                 \
	X(prompts_failed, "prompts (play) refused: bad id, missing file, data plane down")

struct call_counters {
#define CALL_COUNTER_FIELD(name, doc) uint64_t name;
	CALL_COUNTERS(CALL_COUNTER_FIELD)
#undef CALL_COUNTER_FIELD
	uint64_t live;			/* gauge */
};

struct call;
struct call_reinvite;
struct call_keypress;
struct call_play;

/* One callee being rung. */
struct call_bleg {
	struct call *call;
	struct call_bleg *next;
	struct cf_endpoint ep;
	char call_id[96];
	char from_tag[32];
	struct csip_tx *tx;		/* the INVITE's client transaction (ref), NULL once sent
					 * is over */
	osip_message_t *invite;		/* a copy of what was sent: ACK and dialog come from it */
	struct call_dialog dlg;		/* once answered */
	bool sent, done, answered, cancel_sent;
	bool destroyed;			/* CHANNEL_DESTROY told */
	int status;			/* final status, 0 while ringing */
	int64_t created_us, answered_us;	/* wall clock, 0 when not reached */
	char srtp_suite[32], srtp_key[64];	/* SDES toward an SRTP device: our key (base64) */
	bool gw_auth_sent;		/* gateways: our INVITE with credentials went out */
};

enum call_a_state {
	CALL_A_NEW,			/* authenticating */
	CALL_A_ROUTING,			/* in the engine, no final answer yet */
	CALL_A_ANSWERED,		/* 200 sent: confirmed or waiting for the ACK */
	CALL_A_ENDED,			/* final non-2xx sent, or hung up after the answer */
};

struct call {
	struct call_ctl *ctl;
	struct call *next;		/* in ctl->calls */
	unsigned refs;

	/* the caller's leg */
	enum call_a_state a_state;
	struct csip_tx *a_tx;		/* the INVITE's server transaction (ref) until final */
	osip_message_t *a_inv;		/* a copy of the INVITE */
	char call_id[256];
	char a_tag[32];			/* our To tag toward the caller */
	struct call_dialog a_dlg;
	char a_sdp[CALL_SDP_MAX];	/* the caller's offer */
	struct call_sdp_audio a_audio;
	char b_sdp[CALL_SDP_MAX];	/* the answering callee's answer */
	char account_id[64], device_id[64];
	struct cf_caller_id cid;	/* presented to callees */
	/* trunks (call-limits.c): the account's limits read with the INVITE, and which trunks
	 * this call holds; device_id is the carrier resource's id when trunk_inbound */
	struct call_limits limits;
	bool trunk_inbound, trunk_outbound;
	bool caller_gone;		/* CANCEL or BYE from the caller */
	bool flow_running;
	int a_final;			/* status sent to the caller, 0 before */
	int64_t created_us, answered_us;	/* the caller's leg, wall clock */
	/* our 2xx to the caller, resent until its ACK (RFC 3261 §13.3.1.4) */
	char *a_2xx;
	size_t a_2xx_len;
	struct sockaddr_in a_2xx_to;
	unsigned a_2xx_interval_ms, a_2xx_elapsed_ms;
	uv_timer_t retx;
	bool retx_open;
	/* our 2xx to the re-INVITE in `reinvite`, resent until its ACK (call-reinvite.c) */
	uv_timer_t ri_retx;
	bool ri_retx_open;
	bool a_destroyed;		/* CHANNEL_DESTROY told */

	/* media: one data-plane session per call, keyed by the caller's Call-ID */
	bool offered, media_pending, media_session;
	char toward_b_ip[64];
	uint16_t toward_b_port;

	/* the bridge in progress (one at a time) */
	bool bridging;
	cf_op_done bridge_done;
	void *bridge_arg;
	struct cf_endpoint *eps;
	size_t n_eps, next_ep;
	enum cf_strategy strategy;
	unsigned bridge_timeout_s;	/* the bridge's own, 0: the endpoints' */
	struct call_bleg *blegs;
	struct call_bleg *blegs_before;	/* the head when this bridge began: older legs follow */
	struct call_bleg *winner;
	struct call_keypress *keypress;	/* a forward's answerer asked for its key (call-keypress.c) */
	bool busy_seen, no_answer_seen, ringing_sent;
	int last_code;
	uv_timer_t timer;
	bool timer_open, timer_running;
	struct cf_result last_bridge;	/* for the caller's final answer when the flow ends */

	/* in the dialogs once answered (call-reinvite.c) and before (early media) */
	struct call_reinvite *reinvite;	/* the re-INVITE being relayed, NULL when none */
	struct call_bleg *early_leg;	/* the callee whose 183 SDP the caller got */
	bool early_pending;		/* its SessionAnswer is on the way */
	bool killed;			/* ended by an operator: the BYEs say so */

	/* delayed offer (call-late.c): the INVITE had no SDP; a_sdp is our stand-in for it */
	bool late_offer;
	bool late_answered;		/* the caller's ACK carried its answer (taken or refused) */
	char late_codecs[CF_CODECS_MAX][16];	/* the caller's device/carrier codecs */
	unsigned n_late_codecs;
	int hangup_code;		/* the CDRs' hangup code when not the SIP status (0: none) */

	/* answered by the flow (call-play.c): the session has the caller's leg only until a
	 * bridge's callee answers, which then gets no second 200 toward the caller */
	bool flow_answered;
	struct call_play *play;		/* the answer or prompt in progress, NULL when none */
};

struct calls_service;

struct call_ctl {
	uv_loop_t *loop;
	struct calls_service *events;	/* call events, channels, CDRs; NULL: none */
	struct csip_stack *stack;
	struct cp_pg_pool *pg;
	struct dpclient *dp;
	struct cf_engine *engine;
	struct csip_nonce_key key;
	uint64_t nonce_salt;
	unsigned nonce_ttl_s;
	char contact[128];		/* "<sip:ip:port>" */
	struct call *calls;
	bool closing;
	const bool *draining;		/* RO: the node's drain flag (cp_ctx): new INVITEs get 503 */
	struct call_counters c;
};

#endif
