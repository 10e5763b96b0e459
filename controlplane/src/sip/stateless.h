/* Stateless answers to requests that cannot start a transaction: built from the raw text, so
 * a request the parser refused still gets a 400 when its Via, From, To, Call-ID and CSeq lines
 * can be found (else there is nowhere to answer and it is dropped).
 * Return convention: the answer's length, or a negative errno when none can be built.
 */
#ifndef CSIP_STATELESS_H
#define CSIP_STATELESS_H

#include <stddef.h>

/* Writes "SIP/2.0 <code> <reason>" with the request's routing headers copied into out. -EINVAL
 * for a response or text without a Via; -ENOBUFS when out is too small. */
int csip_stateless_reply(const char *req, size_t len, int code, const char *reason, char *out,
			 size_t out_len);

#endif
