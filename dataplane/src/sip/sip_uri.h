/* SIP, SIPS and tel URIs and %-escapes (RFC 3261 19.1, RFC 3966). Functions return 0 or a
 * negative errno (-EBADMSG malformed, -ENOENT not present, -ENOSPC buffer too small). */
#ifndef BUGLE_SIP_URI_H
#define BUGLE_SIP_URI_H

#include "sip-t.h"

/* Any scheme is accepted; sip/sips/tel are split into their parts, others keep an opaque
 * part that must be visible characters. Escapes are checked, not decoded. */
int sip_uri_parse(const char *s, uint32_t len, struct sip_uri *out);

/* A URI param by name (case-insensitive): 0 and *value (empty for "lr"), or -ENOENT. */
int sip_uri_param(const struct sip_uri *uri, const char *name, struct sip_str *value);

/* Decode %HH escapes of `in` into out[0..cap); decoded NULs are kept as data. *out_len gets
 * the decoded length. A '%' not followed by two hex digits is -EBADMSG. */
int sip_unescape(const struct sip_str *in, char *out, size_t cap, size_t *out_len);

#endif
