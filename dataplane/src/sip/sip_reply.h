/* Stateless responses to a parsed request. sip_reply_build() returns the length written or a
 * negative errno (-ENOSPC buffer too small, -EINVAL not a request or bad status). */
#ifndef BUGLE_SIP_REPLY_H
#define BUGLE_SIP_REPLY_H

#include "sip-t.h"

struct sip_reply_opts {
	struct sip_str server;		/* Server header value; len 0 = no Server header */
	struct sip_str received;	/* packet source address for the top Via, len 0 = none */
	uint16_t rport;			/* packet source port, filled into a requested rport */
	const struct sip_options *unsupported; /* listed in Unsupported (420) */
};

/* Status line with `reason`, every Via in order (the top one with received/rport when given),
 * From, To (with a ;tag= derived from the Call-ID and top branch when absent, so a
 * retransmission gets the same tag), Call-ID, CSeq, Unsupported, Server and
 * Content-Length: 0. Headers missing from the request are left out. opts may be NULL. */
int sip_reply_build(struct sip_msg *req, uint16_t status, const char *reason,
		    const struct sip_reply_opts *opts, char *out, size_t cap);

/* The To tag a stateless reply adds: 16 hex digits of a hash of Call-ID and top Via branch. */
void sip_reply_to_tag(struct sip_msg *req, char tag[16]);

#endif
