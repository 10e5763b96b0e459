/* Building SIP responses to a request (RFC 3261 §8.2.6): Via, From, To (with a tag), Call-ID
 * and CSeq copied, status and reason set.
 * Return convention: creators return a pointer or NULL.
 */
#ifndef CSIP_RESPONSE_H
#define CSIP_RESPONSE_H

#include <osipparser2/osip_message.h>

/* to_tag: the tag to add when the request's To has none (NULL: a fresh random one). */
osip_message_t *csip_response_new(const osip_message_t *req, int code, const char *reason,
				  const char *to_tag);

#endif
