/* Shared by the edge's packet-path files only: the per-datagram context and the helpers the
 * public and internal halves both use. Return convention: 0 or a negative errno, except the
 * predicates (bool) and edge_send_* (nothing: the outcome is in the action). */
#ifndef BUGLE_EDGE_INT_H
#define BUGLE_EDGE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "edge-t.h"
#include "edge_ipv4.h"
#include "sip_rewrite-t.h"

/* One datagram being handled; lives on the worker's stack. */
struct edge_ctx {
	struct edge_worker *w;
	struct edge_core *c;
	struct sip_msg *m;
	uint32_t src_ip;
	uint16_t src_port;
	char src_txt[EDGE_IPV4_TEXT];
	struct sip_str src_str;
	uint64_t now_ns, now_ms;
	char *out;
	size_t cap;
	struct edge_action *act;
};

static inline void edge_count(struct edge_worker *w, enum edge_counter c)
{
	/* Single writer: this worker; relaxed so the stats reader never tears. */
	atomic_store_explicit(&w->ctr[c], atomic_load_explicit(&w->ctr[c], memory_order_relaxed) + 1,
			      memory_order_relaxed);
}

/* A stateless response to the request in x->m, back to its source on the public side;
 * unsupported (may be NULL) lists the extensions a 420 names. */
void edge_reply(struct edge_ctx *x, uint16_t status, const char *reason,
		const struct sip_options *unsupported);
/* Apply the plan into x->out and set the action to send it to ip:port on side. Messages for
 * the public side are scanned for internal addresses first. */
void edge_send_plan(struct edge_ctx *x, const struct sip_rw_plan *plan, int side, uint32_t ip,
		    uint16_t port);

/* Whether a SIP URI's host:port is our address on that side (port 0 counts as 5060). */
bool edge_uri_is_ours(const struct edge_core *c, const struct sip_uri *u, int side);
/* host:port of a sip/sips URI with an IPv4 host; -EINVAL otherwise. */
int edge_uri_target(const char *s, size_t len, uint32_t *ip, uint16_t *port);
/* Where a response goes after this Via: received (else sent-by) and rport (else port). */
int edge_via_target(const struct sip_via *v, uint32_t *ip, uint16_t *port);
bool edge_is_internal(const struct edge_core *c, uint32_t ip);

/* Record-Route values naming us on one side are rewritten to name us on the other. */
int edge_swap_record_route(struct edge_ctx *x, struct sip_rw_plan *plan, bool to_public);
/* Contact URIs with an internal host become our public address with a token (public-bound). */
int edge_hide_contacts(struct edge_ctx *x, struct sip_rw_plan *plan);

void edge_public_request(struct edge_ctx *x);
void edge_public_response(struct edge_ctx *x);
void edge_internal_request(struct edge_ctx *x);
void edge_internal_response(struct edge_ctx *x);

#endif
