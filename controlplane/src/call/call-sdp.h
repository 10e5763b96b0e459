/* The little of SDP (RFC 4566) a call leg needs: where the leg's audio goes and in which
 * codecs, read from its offer or answer, and the same SDP rewritten to point at the data plane.
 * Return convention: 0 or a negative errno (-EINVAL: not an SDP we can relay, -ENOBUFS: out
 * too small).
 */
#ifndef CALL_SDP_H
#define CALL_SDP_H

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
};

int call_sdp_parse(const char *sdp, size_t len, struct call_sdp_audio *out);

/* Copies sdp to out with every c= address set to ip, the first audio m= port set to port and
 * the o= address set to ip (the version is left alone; the data plane is the origin now). */
int call_sdp_rewrite(const char *sdp, size_t len, const char *ip, uint16_t port, char *out,
		     size_t cap);

#endif
