/* Rewrite primitives of the edge proxy: each adds edits to a plan; sip_rw_apply() writes the
 * new message into a caller buffer in a single pass. All return 0 or a negative errno
 * (-ENOSPC plan or buffer full, -ENOENT nothing to change, -EBADMSG the header is malformed,
 * -EINVAL edits that overlap), except sip_rw_apply(), which returns the length written. */
#ifndef BUGLE_SIP_REWRITE_H
#define BUGLE_SIP_REWRITE_H

#include "sip-t.h"
#include "sip_rewrite-t.h"

int sip_rw_init(struct sip_rw_plan *plan, struct sip_msg *m);

/* New top Via "SIP/2.0/<transport> <host>[:<port>];branch=<branch>[;rport]". */
int sip_rw_insert_top_via(struct sip_rw_plan *plan, const char *transport,
			  const struct sip_str *host, uint16_t port, const struct sip_str *branch,
			  bool rport);
/* received=<addr> on the current top Via and rport=<port> when it asked for rport. */
int sip_rw_top_via_received(struct sip_rw_plan *plan, const struct sip_str *received,
			    uint16_t rport);
/* Remove the top Via value (the whole line when it is alone on it): responses going out. */
int sip_rw_remove_top_via(struct sip_rw_plan *plan);
/* Max-Forwards minus one; "Max-Forwards: 69" when absent; -ERANGE when it is already 0. */
int sip_rw_decrement_max_forwards(struct sip_rw_plan *plan);
/* "Record-Route: <uri>" above the existing ones. uri is the full URI, e.g. "sip:h;lr". */
int sip_rw_insert_record_route(struct sip_rw_plan *plan, const struct sip_str *uri);
/* Remove the first Route value when its URI host and port are ours (port 0 in the URI means
 * 5060); -ENOENT when there is none or it is not ours. */
int sip_rw_remove_own_route(struct sip_rw_plan *plan, const struct sip_str *host, uint16_t port);
/* Drop "?headers" from the Request-URI (RFC 4475 3.1.2.11); -ENOENT when there are none. */
int sip_rw_strip_ruri_headers(struct sip_rw_plan *plan);

/* The message (up to m->len: trailing datagram bytes are not forwarded) with the edits. */
int sip_rw_apply(const struct sip_rw_plan *plan, char *out, size_t cap);

#endif
