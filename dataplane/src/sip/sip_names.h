/* Header-name and method lookups (internal): lookups return an id, 0 (other/unknown) when the
 * name is not known. */
#ifndef BUGLE_SIP_NAMES_H
#define BUGLE_SIP_NAMES_H

#include "sip-t.h"

/* Case-insensitive, long and compact forms. The name must be a token. */
enum sip_hdr_id sip_hdr_lookup(const char *name, uint32_t len);
/* Case-sensitive, as RFC 3261 wants method names. */
enum sip_method sip_method_lookup(const char *name, uint32_t len);

#endif
