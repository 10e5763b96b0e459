/* Framing SIP over a byte stream (TCP/TLS, RFC 3261 18.3). sip_frame_stream() returns 0 when
 * a whole message is in the buffer, -EAGAIN when more bytes are needed, -EBADMSG when the
 * framing is lost (no, bad or conflicting Content-Length: close the connection) and
 * -EMSGSIZE when the message would exceed max_len. */
#ifndef BUGLE_SIP_FRAME_H
#define BUGLE_SIP_FRAME_H

#include <stddef.h>
#include <stdint.h>

struct sip_frame {
	size_t skip;	/* leading CRLF keep-alive bytes to discard first */
	size_t len;	/* the message after them: headers + body; with -EAGAIN, the total
			 * needed once the headers are complete, else 0 */
};

int sip_frame_stream(const char *buf, size_t len, size_t max_len, struct sip_frame *f);

#endif
