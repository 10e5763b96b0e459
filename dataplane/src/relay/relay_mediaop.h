/* Media operations (MediaOpRequest) and DTMF events of the relay's legs.
 * Return convention: relay_media_new returns 0 or a negative errno (reason in err);
 * relay_media_op and the handler return a bugle_dp_Status (0 = OK) with a reason in err;
 * relay_media_tick returns how much work it did (packets sent + events emitted); the worker
 * calls return nothing.
 */
#ifndef BUGLE_RELAY_MEDIAOP_H
#define BUGLE_RELAY_MEDIAOP_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane.pb.h"
#include "relay-t.h"
#include "relay_ctl.h"
#include "relay_mediaop-t.h"

/* Start-up (relay_new): the operation table and the report ring. */
int relay_media_new(struct relay *r, char *err, size_t err_cap);
void relay_media_free(struct relay *r);

/* Main lcore: starts or stops an operation. */
int relay_media_op(struct relay *r, const bugle_dp_MediaOpRequest *req, uint64_t now_ns,
		   char *err, size_t err_cap);

/* The METHOD_MEDIA_OP handler: decodes the request, runs it, replies a MediaOpReply. */
RELAY_CTL_HANDLER(relay_ctl_media_op);

/* Main lcore, every loop (at least every few milliseconds): collects DTMF reports (EVENT_DTMF,
 * and stops a prompt on one of its digits), sends the packets that are due, and ends
 * operations (EVENT_PLAYBACK_FINISHED) that finished or whose session was deleted. */
unsigned relay_media_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io);

/* True when a file name is acceptable in the media directory (no '/', no "..", not empty). */
bool relay_media_file_ok(const char *name);

/* Shared by the operation files (main lcore): the running operation of a leg (NULL if none),
 * and the release of what an operation allocated. */
struct relay_mediaop *relay_media_find(struct relay *r, uint32_t session, uint8_t leg);
void relay_mediaop_release(struct relay_mediaop *op);

/* Worker of leg l, when its configuration generation changes: (re)arms DTMF detection. */
void relay_media_rx_arm(struct relay_leg *l);

/* Worker of leg l: one RFC 4733 payload received from it (RTP timestamp ts). */
void relay_media_rx_tev(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			const uint8_t *payload, uint16_t len, uint32_t ts);

/* Worker of leg l: one RTP packet (header checked, hdr_len bytes) of a leg that may be
 * recorded. */
void relay_media_rx_record(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			   const uint8_t *rtp, uint16_t hdr_len, uint16_t len);

/* Worker of leg l: one RTP packet of a leg that may be in a conference. */
void relay_media_rx_conf(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			 const uint8_t *rtp, uint16_t hdr_len, uint16_t len);

/* In-band DTMF on a leg without telephone-event. Main lcore: setup (at every answer or update)
 * gives the leg a detector for audio, its audio codec as negotiated now, or none when audio is
 * NULL or codecs has telephone-event (or on failure: detection is then off); a detector for
 * other audio is replaced, one for the same audio kept. reap frees replaced detectors after
 * their grace period (now_ns: the relay clock); free frees them all, after the session's grace
 * period. Worker of the leg: rx decodes one packet of it and reports finished digits like
 * RFC 4733 ones. */
void relay_media_inband_setup(struct relay_leg *l, const struct relay_codec *codecs, uint8_t n,
			      const struct relay_codec *audio, uint64_t now_ns);
void relay_media_inband_reap(struct relay_leg *l, uint64_t now_ns);
void relay_media_inband_free(struct relay_leg *l);
void relay_media_rx_inband(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			   const uint8_t *rtp, uint16_t hdr_len, uint16_t len);

/* DTMF translation between a leg with telephone-event and one without. Main lcore: setup
 * (offer/answer/update of a session whose legs share a codec) gives the leg without
 * telephone-event an in-band detector when the other leg has telephone-event, and takes the
 * detectors of both legs away otherwise; translate sends a
 * digit reported from leg `from` (RFC 4733 or in-band) to the other leg in the form it
 * negotiated, once the digit has ended. */
void relay_media_translate_setup(struct relay_session *s, const struct relay_codec *a, uint8_t na,
				 const struct relay_codec *b, uint8_t nb, uint64_t now_ns);
void relay_media_translate(struct relay *r, uint32_t session, uint8_t from, char digit,
			   uint32_t duration_ms);

/* Shared by the operation files (main lcore): DTMF. dtmf_ms is the length a digit is sent with
 * (0: the default; clamped to RELAY_MEDIA_DTMF_MIN_MS..MAX_MS); leg_has_te tells whether a leg
 * negotiated telephone-event; dtmf_start starts a DTMF_SEND of digits toward leg of session
 * (replacing what plays there) and returns the op, or NULL with a reason in err. */
uint32_t relay_media_dtmf_ms(uint32_t ms);
bool relay_media_leg_has_te(const struct relay_leg *l);

/* Shared by the operation files (main lcore): the live session of req's call id and the legs
 * its leg tag names, as a bit per leg (with star_is_both, "*" names both legs). Returns a
 * bugle_dp_Status: OK, or NOT_FOUND with a reason in err. */
int relay_media_legs(struct relay *r, const bugle_dp_MediaOpRequest *req, bool star_is_both,
		     uint32_t *session, uint8_t *legs, char *err, size_t err_cap);
struct relay_mediaop *relay_media_dtmf_start(struct relay *r, uint32_t session, uint8_t leg,
					     const char *digits, uint32_t on_ms, uint64_t now,
					     char *err, size_t err_cap);

/* Shared by the operation files (main lcore): conferences. relay_media_conf_join sets a
 * CONFERENCE_JOIN up in op (the leg l of session); relay_media_conf_leave undoes it when the
 * op ends; relay_media_conf_tick collects member audio, mixes what is due and sends each
 * member its mix. */
int relay_media_conf_join(struct relay *r, struct relay_mediaop *op, struct relay_leg *l,
			  const bugle_dp_MediaOpRequest *req, char *err, size_t err_cap);
void relay_media_conf_leave(struct relay *r, struct relay_mediaop *op);
unsigned relay_media_conf_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io);
void relay_media_conf_free(struct relay *r);

/* Shared by the operation files (main lcore): the stream toward an op's leg. adopt takes it
 * over from the relay; send_rtp sends one packet on it. */
void relay_media_adopt(struct relay *r, struct relay_mediaop *op, uint64_t now);
void relay_media_send_rtp(struct relay *r, struct relay_mediaop *op, uint8_t pt, bool marker,
			  uint32_t ts, const uint8_t *payload, uint16_t len, uint64_t now,
			  const struct relay_media_io *io);

/* Shared by the operation files (main lcore): recordings. relay_media_record runs a
 * RECORD_START/STOP request; relay_media_rec_tick collects audio, closes recordings after
 * their grace period (EVENT_RECORD_FINISHED) and returns how much work it did. */
int relay_media_record(struct relay *r, const bugle_dp_MediaOpRequest *req, uint64_t now_ns,
		       char *err, size_t err_cap);
unsigned relay_media_rec_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io);
void relay_media_rec_free(struct relay *r);

/* Worker of leg l, for every RTP packet it sends (header checked): what media operations take
 * from it. Inline: the usual packet costs a compare and three relaxed loads; each call out
 * loads its pointer again with acquire. */
static inline void relay_media_rx(struct relay *r, struct relay_counters *ctr,
				  struct relay_leg *l, const uint8_t *rtp, uint16_t hdr_len,
				  uint16_t len)
{
	if ((rtp[1] & 0x7f) == l->dtmf_pt) {
		uint32_t ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 |
			      (uint32_t)rtp[6] << 8 | rtp[7];
		relay_media_rx_tev(r, ctr, l, rtp + hdr_len, (uint16_t)(len - hdr_len), ts);
		return;
	}
	if (__atomic_load_n(&l->rec_tap, __ATOMIC_RELAXED))
		relay_media_rx_record(r, ctr, l, rtp, hdr_len, len);
	if (__atomic_load_n(&l->conf_tap, __ATOMIC_RELAXED))
		relay_media_rx_conf(r, ctr, l, rtp, hdr_len, len);
	if (__atomic_load_n(&l->inband, __ATOMIC_RELAXED))
		relay_media_rx_inband(r, ctr, l, rtp, hdr_len, len);
}

/* Worker: true when media operations replace what is relayed toward leg to. */
static inline bool relay_media_replaces(const struct relay_leg *to)
{
	/* acquire: pairs with the main lcore's release store (relay_mediaop-t.h). */
	return __atomic_load_n(&to->media_out, __ATOMIC_ACQUIRE) != 0;
}

#endif
