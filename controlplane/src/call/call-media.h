/* Media sessions on the data plane for one call: the offer with the caller's SDP (its reply is
 * where callees send), the answer with the callee's (its reply is where the caller sends), and
 * the delete when the call ends.
 * Return convention: 0 or a negative errno (-ENOTCONN: no data plane, -EINVAL: the SDP cannot
 * be described to the data plane); on an error the callback is not called.
 */
#ifndef CALL_MEDIA_H
#define CALL_MEDIA_H

#include "call-sdp.h"
#include "dpclient-t.h"

#include <stdbool.h>
#include <stdint.h>

struct dpclient;

/* ok: the data plane answered; ip/port: what to put in the SDP toward that leg. */
typedef void (*call_media_fn)(void *arg, bool ok, const char *ip, uint16_t port);

int call_media_offer(struct dpclient *dp, const char *call_id, const char *account_id,
		     const struct call_sdp_audio *a, call_media_fn cb, void *arg);
/* The offer of a call the flow answers itself (answer, play): a_port is where the caller sends
 * (put in our 200 toward it), b_port where callees will send (when a bridge follows). */
typedef void (*call_media_legs_fn)(void *arg, bool ok, const char *ip, uint16_t a_port,
				   uint16_t b_port);
int call_media_offer_legs(struct dpclient *dp, const char *call_id, const char *account_id,
			  const struct call_sdp_audio *a, call_media_legs_fn cb, void *arg);
int call_media_answer(struct dpclient *dp, const char *call_id, const struct call_sdp_audio *b,
		      call_media_fn cb, void *arg);
/* A leg's new SDP during the call (re-INVITE): tag "a" (the caller) or "b" (the callee); ip/port
 * in the reply are what to put in the SDP toward the OTHER leg. */
int call_media_update(struct dpclient *dp, const char *call_id, const char *tag,
		      const struct call_sdp_audio *leg, call_media_fn cb, void *arg);
/* Fire and forget: the session ends with the call whatever the data plane says (its dead-media
 * timeout collects what a lost delete leaves). */
int call_media_delete(struct dpclient *dp, const char *call_id);
/* MediaOp PLAY of a file from the data plane's media directory on one leg ("a" or "b"); digits
 * (may be NULL) end it early; op_id is echoed in its events. The reply goes to cb as is. */
int call_media_play(struct dpclient *dp, const char *call_id, const char *tag, const char *file,
		    const char *digits, uint64_t op_id, dpclient_reply_fn cb, void *arg);

#endif
