/* Internal to the call controller's files: what one file asks of another.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CALL_INT_H
#define CALL_INT_H

#include "call-ctl.h"
#include "cf-engine.h"

#include <netinet/in.h>

/* call-ctl.c: life of a call */
struct call *call_new(struct call_ctl *ctl);
void call_ref(struct call *call);
void call_unref(struct call *call);
/* A call by Call-ID: the caller's, or an answered callee's (*leg set then). */
struct call *call_find(struct call_ctl *ctl, const char *call_id, struct call_bleg **leg);
/* Leaves the table, deletes the media session and drops the table's reference, once the flow,
 * the bridge and the caller's leg are all over. */
void call_maybe_retire(struct call *call);

/* call-answer.c: answers toward the caller */
/* A response to the caller's INVITE (final codes end its transaction); sdp may be NULL. */
int call_a_respond(struct call *call, int code, const char *reason, const char *sdp);
/* The caller ACKed our 2xx: stop resending it. */
void call_a_acked(struct call *call);
/* Our 2xx to an INVITE is resent from T1, doubling up to T2, until its ACK or 64*T1
 * (RFC 3261 §13.3.1.4). */
#define CALL_T1_MS 500
#define CALL_T2_MS 4000
/* Where responses to req go (RFC 3261 §18.2.2, RFC 3581): the top Via's received/rport, else
 * its host/port; src (the datagram's source) when the Via names a host. */
void call_via_target(const osip_message_t *req, const struct sockaddr_in *src,
		     struct sockaddr_in *out);
/* Ends the call after its answer: BYE to the caller and to the answered callee. */
void call_hangup_answered(struct call *call);

/* call-auth.c */
void call_auth_invite(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req);

/* call-route.c: an authenticated INVITE to the engine */
void call_route(struct call *call);

/* call-bridge.c */
void call_bridge(void *callp, const struct cf_bridge *b, cf_op_done done, void *done_arg);
/* The caller left (CANCEL): stop ringing; the bridge completes with HANGUP. */
void call_bridge_caller_gone(struct call *call);
/* The bridged call ended (a BYE from either side): the bridge completes with ANSWERED. */
void call_bridge_over(struct call *call);

/* call-media-early.c: a callee's 183 with SDP (body, len); false when it carries no SDP we can
 * relay (then it is an ordinary ring). */
bool call_early_media(struct call_bleg *b, const char *body, size_t len);

/* call-reinvite.c: re-INVITE, UPDATE and their ACKs in an answered call's dialogs */
void call_on_reinvite(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req);
void call_on_update(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req);
/* true when ack is the ACK of the re-INVITE the call relays (it is relayed too). */
bool call_reinvite_ack(struct call *call, struct call_bleg *leg, const osip_message_t *ack);
/* The call ends: the re-INVITE in progress is dropped. */
void call_reinvite_drop(struct call *call);
/* The SDP body (application/sdp) of a request or response, parsed into a (body/len: the text);
 * false when there is none we can relay. */
bool call_sdp_of(const osip_message_t *m, struct call_sdp_audio *a, const char **body,
		 size_t *len);

/* call-sdp-legs.c: the SDP toward each leg (codecs per device, SDES keys, the data plane's
 * address). leg NULL: the caller. */
/* Our SDES key toward the leg goes with its audio to the data plane (when both have keys). */
void call_leg_keys(struct call *call, struct call_bleg *leg, struct call_sdp_audio *a);
/* sdp made RTP/SAVP with our key toward that leg when it has SRTP, else RTP/AVP; at ip/port. */
int call_sdp_toward(struct call *call, struct call_bleg *leg, const char *sdp, size_t len,
		    const char *ip, uint16_t port, char *out, size_t cap);
/* The caller's offer toward callee b (its device's codecs and SRTP). */
int call_offer_toward_b(struct call *call, struct call_bleg *b, char *out, size_t cap);
/* A callee's answer toward the caller, at the data plane's ip/port. */
int call_answer_toward_a(struct call *call, const char *b_sdp, const char *ip, uint16_t port,
			 char *out, size_t cap);
/* Our key toward a caller that offered SDES; 0 when it did not. */
int call_a_keys_new(struct call *call);

/* call-late.c: an INVITE without SDP (delayed offer) */
/* True when the INVITE carries no body at all (an unusable one is still refused 488). */
bool call_invite_without_offer(const osip_message_t *inv);
/* a: the data plane's leg for the caller until its answer (NULL when rc < 0). */
typedef void (*call_late_ready)(struct call *call, int rc, const struct call_sdp_audio *a);
/* Looks up the caller's codecs, writes the stand-in offer to call->a_sdp/a_audio, then ready. */
void call_late_offer_start(struct call *call, call_late_ready ready);
/* Our 200's offer to the caller: the callee's answer b_sdp widened, at the data plane's ip/port. */
int call_late_offer_toward_a(struct call *call, const char *b_sdp, const char *ip, uint16_t port,
			     char *out, size_t cap);
/* The caller's ACK to our 200: its answer goes to the data plane, or the call ends (BYEs). */
void call_late_ack(struct call *call, const osip_message_t *ack);

/* call-require.c: Require option tags (RFC 3261 §8.2.2.3) */
/* The tags of req's Require headers we do not support, comma separated in out; their count. */
unsigned call_require_unsupported(const osip_message_t *req, char *out, size_t cap);
/* true when req was answered 420 Bad Extension with Unsupported (never for ACK or CANCEL). */
bool call_require_refused(struct call_ctl *ctl, struct csip_tx *tx, const osip_message_t *req);

/* call-ops.c: the engine's call interface */
extern const struct cf_call_ops call_ops;

/* call-end.c: BYE, CANCEL and ACK */
void call_on_bye(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req);
void call_on_cancel(struct call_ctl *ctl, struct csip_tx *tx, osip_message_t *req);

/* call-events.c: the channel events of each leg, to the calls service when there is one. */
enum call_event {
	CALL_EV_CREATE,
	CALL_EV_ANSWER,
	CALL_EV_BRIDGE,
	CALL_EV_DESTROY,
};
int64_t call_now_us(void);
/* leg NULL: the caller's leg. */
void call_event(struct call *call, struct call_bleg *leg, enum call_event ev);

/* A response to a request outside the call's INVITE (BYE, CANCEL, errors). */
void call_reply(struct csip_tx *tx, const osip_message_t *req, int code, const char *reason);

#endif
