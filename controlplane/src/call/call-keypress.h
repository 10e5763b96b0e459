/* A call forward's require_keypress (KAZOO): the forwarded party answers, hears a prompt on its
 * own leg through the data plane and must press 1 before the caller is bridged to it, so that a
 * forward to a mobile's voicemail cannot take the call. Any other key, or none within
 * CALL_KEYPRESS_TIMEOUT_S, hangs that leg up (BYE) and the bridge goes on with the others.
 * Return convention: 0 or a negative errno; bool predicates.
 *
 * One answerer at a time: the data plane's session has one callee leg ("b"), so a second
 * keypress leg answering while one is being asked is hung up; a callee that needs no key and
 * answers meanwhile wins, and the one being asked gets a BYE.
 */
#ifndef CALL_KEYPRESS_H
#define CALL_KEYPRESS_H

#include "call-t.h"
#include "dataplane.pb-c.h"

#include <stdbool.h>
#include <stddef.h>

#define CALL_KEYPRESS_TIMEOUT_S 8
/* Played to the forwarded party from the data plane's media.directory; without it the digit is
 * still collected. */
#define CALL_KEYPRESS_PROMPT "forward_accept.wav"

/* b answered with sdp (its 200, ACKed): its leg joins the data plane's session, the prompt
 * plays there and the digit is awaited. < 0: not started (the caller hangs b up). */
int call_keypress_start(struct call_bleg *b, const char *sdp, size_t len);
/* The data plane's events: a digit on a leg being asked decides it. */
void call_keypress_event(struct call_ctl *ctl, const Bugle__Dp__Event *ev);
/* Ends the asking (BYE to its leg) unless that leg is `keep`: the caller left or another
 * callee won. */
void call_keypress_abort(struct call *call, const struct call_bleg *keep);
/* The leg's BYE (answered 200 already): true when it was the leg being asked, which is then
 * dropped from the bridge; false: not ours. */
bool call_keypress_leg_left(struct call *call, struct call_bleg *leg);

/* call-bridge.c, for the keypress: b becomes the answer of the bridge (the caller's 200 once
 * the data plane has b's SDP); false when the bridge is over or the media cannot be set. */
bool call_bridge_take(struct call_bleg *b, const char *sdp, size_t len);
/* b answered but is not taken: BYE (unless it left by itself), and the bridge goes on
 * without it. */
void call_bridge_refuse(struct call_bleg *b, bool send_bye);

#endif
