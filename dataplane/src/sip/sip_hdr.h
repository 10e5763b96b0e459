/* Parsers for one header value (already trimmed, folds allowed inside), used by the on-demand
 * accessors of sip_msg.h and directly by tools and fuzzers. All return 0 or a negative errno:
 * -EBADMSG malformed, -ERANGE a number out of range, -E2BIG more values than the caller's room. */
#ifndef BUGLE_SIP_HDR_H
#define BUGLE_SIP_HDR_H

#include "sip-t.h"

/* Comma-separated Via values appended to out[*n..max-1]; *n is advanced. */
int sip_via_parse(const struct sip_str *value, uint8_t hdr, struct sip_via *out, uint32_t max,
		  uint32_t *n);

/* name-addr / addr-spec with header params. multi: a comma-separated list (Contact, Route,
 * Record-Route; Contact may be "*"); otherwise exactly one value (From, To). */
int sip_addr_parse(const struct sip_str *value, uint8_t hdr, bool multi, struct sip_addr *out,
		   uint32_t max, uint32_t *n);

/* CSeq: 1*DIGIT LWS Method, number below 2^31. */
int sip_cseq_parse(const struct sip_str *value, struct sip_cseq *out);

/* A value that is only digits (leading zeros allowed), at most max (max < 2^60). */
int sip_uint_parse(const struct sip_str *value, uint64_t max, uint64_t *out);

/* Call-ID: word ["@" word]. */
int sip_call_id_parse(const struct sip_str *value, struct sip_str *out);

/* Authorization / Proxy-Authorization: scheme then auth-params or one token68. */
int sip_auth_parse(const struct sip_str *value, struct sip_auth *out);

/* Option tags (Require, Proxy-Require, Supported, Unsupported) appended to out. */
int sip_options_parse(const struct sip_str *value, struct sip_options *out);

/* The value of header param `name` (case-insensitive) in a params slice as stored in
 * sip_via.params / sip_addr.params: 0 and *value (empty when the param has no value),
 * -ENOENT when absent, -EBADMSG when the slice is malformed. */
int sip_hdr_param(const struct sip_str *params, const char *name, struct sip_str *value);

/* Content-Type: type "/" subtype *(";" param). */
int sip_content_type_parse(const struct sip_str *value, struct sip_media_type *out);

/* Whether an Accept value lists a media range covering type/subtype (given in lower case),
 * wildcards included: 1 yes, 0 no, -EBADMSG malformed. */
int sip_accept_allows(const struct sip_str *value, const char *type, const char *subtype);

#endif
