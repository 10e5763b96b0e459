/* Stream framing for SIP over TCP (RFC 3261 §18.3): a message is its header block up to the
 * empty line plus Content-Length bytes of body (compact form "l" accepted; the header is
 * mandatory on streams). Leading CRLFs (RFC 5626 keep-alives) are skipped.
 * Return convention: 0 or a negative errno.
 */
#ifndef CSIP_FRAMER_H
#define CSIP_FRAMER_H

#include <stddef.h>

struct csip_frame {
	size_t skip;	/* keep-alive bytes before the message */
	size_t len;	/* the message's length after them */
};

/* 0 when buf holds a whole message (f filled); -EAGAIN when more bytes are needed (f->skip
 * still says how many leading bytes may be dropped); -EMSGSIZE when the message would exceed
 * max; -EBADMSG when the header block has no valid Content-Length. */
int csip_frame_next(const char *buf, size_t len, size_t max, struct csip_frame *f);

#endif
