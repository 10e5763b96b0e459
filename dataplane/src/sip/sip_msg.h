/* Parsing a SIP message and its headers on demand. Every function returns 0 or a negative errno
 * (-EBADMSG malformed, -ENOENT header absent; sip_msg_parse() also -E2BIG for more header lines
 * than SIP_MAX_HEADERS and -EMSGSIZE above SIP_MAX_MSG_LEN; the accessors report a value bound
 * exceeded as -EBADMSG), except sip_msg_hdr(), which returns a pointer or NULL.
 *
 * Accessors parse a header family the first time they are called and cache the result in the
 * struct sip_msg (bit = header id in m->parsed, m->failed); later calls cost a bit test. */
#ifndef BUGLE_SIP_MSG_H
#define BUGLE_SIP_MSG_H

#include "sip-t.h"

/* Start line, header index (name, value, id; folds kept inside the value slice) and body by
 * Content-Length. Content-Length trouble (missing, bad, larger than the datagram, several) and
 * extra spaces in the start line do not fail the parse: they are recorded in m->flags for the
 * sanity check to judge, so a request can still be answered. */
int sip_msg_parse(struct sip_msg *m, const char *buf, size_t len);

/* First header line with this id, or NULL. Follow hdr->next for the others. */
const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id);

int sip_msg_parse_ruri(struct sip_msg *m);	  /* m->ruri_parsed */
int sip_msg_parse_via(struct sip_msg *m);	  /* all Via values: m->via[], m->n_via */
int sip_msg_parse_from(struct sip_msg *m);	  /* m->from (first From header) */
int sip_msg_parse_to(struct sip_msg *m);	  /* m->to */
int sip_msg_parse_call_id(struct sip_msg *m);	  /* m->call_id */
int sip_msg_parse_cseq(struct sip_msg *m);	  /* m->cseq; number < 2^31 */
int sip_msg_parse_max_forwards(struct sip_msg *m); /* m->max_forwards <= 255 */
int sip_msg_parse_expires(struct sip_msg *m);	  /* m->expires < 2^32 */
int sip_msg_parse_contact(struct sip_msg *m);	  /* m->contact[], m->n_contact */
int sip_msg_parse_route(struct sip_msg *m);	  /* m->route[], m->n_route */
int sip_msg_parse_record_route(struct sip_msg *m); /* m->rr[], m->n_rr */
int sip_msg_parse_content_type(struct sip_msg *m); /* m->content_type */

/* Free-text headers need no parsing: User-Agent, Server, Subject and the like are used as the
 * value slice of sip_msg_hdr(m, SIP_HDR_USER_AGENT) etc. Authorization and the option lists
 * are parsed from their header lines with sip_auth_parse() / sip_options_parse(). */

#endif
