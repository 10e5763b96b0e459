/* The little of SDP (RFC 4566) a call leg needs: where the leg's audio goes and in which
 * codecs, read from its offer or answer, and the same SDP rewritten to point at the data plane.
 * Return convention: 0 or a negative errno (-EINVAL: not an SDP we can relay, -ENOBUFS: out
 * too small).
 */
#ifndef CALL_SDP_H
#define CALL_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CALL_SDP_CODECS_MAX 16

enum call_sdp_direction {
	CALL_SDP_SENDRECV,
	CALL_SDP_SENDONLY,
	CALL_SDP_RECVONLY,
	CALL_SDP_INACTIVE,
};

struct call_sdp_codec {
	unsigned pt;			/* payload type from the m= line */
	char name[16];			/* from a=rtpmap, or the static name (PCMU/PCMA/G722/G729) */
	unsigned clock_rate;
	unsigned channels;
};

/* The first audio stream. */
struct call_sdp_audio {
	char ip[64];			/* media c= if present, else session c= */
	uint16_t port;			/* 0: stream refused */
	struct call_sdp_codec codecs[CALL_SDP_CODECS_MAX];
	unsigned n_codecs;
	int dtmf_pt;			/* telephone-event payload type, -1 when none */
	enum call_sdp_direction direction;
	/* SDES (RFC 4568): the first a=crypto of an RTP/SAVP stream, "" when none */
	bool savp;
	unsigned crypto_tag;
	char crypto_suite[32];		/* e.g. AES_CM_128_HMAC_SHA1_80 */
	char crypto_key[64];		/* the inline key||salt, base64 */
	/* Set by the controller, not read from SDP: the key the data plane sends to this leg
	 * with (base64), "" when it has none of ours. */
	char srtp_ours[64];
};

/* The SDP's next line at *cur (before end) without its CR/LF; false at the end. */
bool call_sdp_next_line(const char **cur, const char *end, const char **p, size_t *len);
/* Appends p[0..n) and CRLF at out+*pos (NUL-terminated); -ENOBUFS when cap is too small. */
int call_sdp_put_line(char *out, size_t cap, size_t *pos, const char *p, size_t n);

int call_sdp_parse(const char *sdp, size_t len, struct call_sdp_audio *out);

/* Copies sdp to out with every c= address set to ip, the first audio m= port set to port and
 * the o= address set to ip (the version is left alone; the data plane is the origin now). */
int call_sdp_rewrite(const char *sdp, size_t len, const char *ip, uint16_t port, char *out,
		     size_t cap);

/* call-sdp-codecs.c */

/* The codecs of a device's media.audio.codecs names (names: n_names entries of 16 bytes) that
 * the data plane relays or transcodes, in the device's order, with the payload types of the
 * offer when it has the same codec (else the static one, or a free dynamic one). Returns how
 * many went to out (at most cap); names it does not know are skipped. */
unsigned call_sdp_device_codecs(const char (*names)[16], unsigned n_names,
				const struct call_sdp_audio *offer, struct call_sdp_codec *out,
				unsigned cap);

/* Copies sdp with the first audio stream's payload types set to codecs (then dtmf_pt when it
 * is >= 0, as telephone-event/8000); its a=rtpmap and a=fmtp lines are written fresh. */
int call_sdp_set_codecs(const char *sdp, size_t len, const struct call_sdp_codec *codecs,
			unsigned n, int dtmf_pt, char *out, size_t cap);

/* The answer toward the offerer: as it is when it has a codec of the offer, else with the
 * offer's first codec the data plane knows (the data plane transcodes between the two). */
int call_sdp_answer_in_offer(const char *answer, size_t len, const struct call_sdp_audio *offer,
			     char *out, size_t cap);

/* call-sdp-srtp.c: SDES */

/* The data plane's SrtpSuite number of an SDES suite name (1..3), -1 when not supported. */
int call_srtp_suite(const char *name);
/* A fresh random key||salt for suite, base64 (44 bytes are enough). */
int call_srtp_new_key(const char *suite, char *out, size_t cap);
/* A base64 key||salt as bytes: their count, or -EINVAL when it is not one of suite's. */
int call_srtp_key_bytes(const char *suite, const char *b64, unsigned char *out, size_t cap);
/* Copies sdp with the first audio stream's a=crypto lines dropped and, when suite is given,
 * made RTP/SAVP with "a=crypto:TAG SUITE inline:KEY"; else made RTP/AVP. */
int call_sdp_set_crypto(const char *sdp, size_t len, unsigned tag, const char *suite,
			const char *key, char *out, size_t cap);

/* call-sdp-late.c: a caller whose INVITE had no SDP (delayed offer) */

/* The stand-in for the caller's offer: the codecs of names (a device's media.audio.codecs)
 * the data plane knows, else PCMU, PCMA and G722, with telephone-event, at 0.0.0.0 port 9. */
int call_sdp_late_placeholder(const char (*names)[16], unsigned n, char *out, size_t cap);
/* Adds every codec the data plane knows to a's list, after a's own (the data plane's leg
 * toward the caller until its answer: whatever the callee picks is shared, not transcoded). */
void call_sdp_late_widen(struct call_sdp_audio *a);
/* Our offer to the caller from the callee's answer: the callee's codecs (its payload types),
 * then those of names (as for the stand-in) the data plane transcodes to, telephone-event. */
int call_sdp_late_offer(const char *callee_sdp, size_t len, const char (*names)[16], unsigned n,
			char *out, size_t cap);

#endif
