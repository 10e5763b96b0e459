/* Entry of the packet path: parse, sanity, and the hand-off to the side/kind handlers; the
 * helpers both halves use (see edge-int.h). */
#include "edge.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "edge-int.h"
#include "edge_topo.h"
#include "sip_msg.h"
#include "sip_reply.h"
#include "sip_rewrite.h"
#include "sip_sanity.h"
#include "sip_uri.h"

#define SIP_PORT_DEFAULT 5060

int edge_core_init(struct edge_core *c, uint32_t pub_ip, uint32_t int_ip, uint32_t int_mask,
		   uint16_t port, uint64_t dead_after_ms)
{
	memset(c, 0, sizeof(*c));
	int rc = edge_topo_key_init(c->key);
	if (rc < 0)
		return rc;
	c->pub_ip = pub_ip;
	c->int_ip = int_ip;
	c->int_mask = int_mask;
	c->port = port;
	c->dead_after_ms = dead_after_ms;
	c->pub_str = (struct sip_str){ c->pub_txt, (uint32_t)edge_ipv4_format(pub_ip, c->pub_txt) };
	c->int_str = (struct sip_str){ c->int_txt, (uint32_t)edge_ipv4_format(int_ip, c->int_txt) };
	/* Each fits its buffer: two addresses of at most 15 characters and a 5-digit port. */
	c->rr_len[0] = (uint8_t)snprintf(c->rr_txt[0], sizeof(c->rr_txt[0]), "sip:%s:%u;lr",
					 c->pub_txt, port);
	c->rr_len[1] = (uint8_t)snprintf(c->rr_txt[1], sizeof(c->rr_txt[1]), "sip:%s:%u;lr",
					 c->int_txt, port);
	c->contact_pre_len = (uint8_t)snprintf(c->contact_pre, sizeof(c->contact_pre),
					       "<sip:%s:%u;" EDGE_CONTACT_PARAM "=", c->pub_txt,
					       port);
	c->path_pre_len = (uint8_t)snprintf(c->path_pre, sizeof(c->path_pre),
					    "Path: <sip:%s:%u;lr;" EDGE_FLOW_PARAM "=", c->int_txt,
					    port);
	c->via_pre_len = (uint8_t)snprintf(c->via_pre, sizeof(c->via_pre),
					   "Via: SIP/2.0/UDP %s:%u;branch=" EDGE_VIA_BRANCH,
					   c->pub_txt, port);
	atomic_store_explicit(&c->set, NULL, memory_order_relaxed);
	return 0;
}

int edge_worker_init(struct edge_worker *w, struct edge_core *c, struct flt *f)
{
	if (!w || !c || !f)
		return -EINVAL;
	memset(w, 0, sizeof(*w));
	w->core = c;
	w->flt = f;
	return 0;
}

bool edge_is_internal(const struct edge_core *c, uint32_t ip)
{
	return (ip & c->int_mask) == (c->int_ip & c->int_mask);
}

bool edge_uri_is_ours(const struct edge_core *c, const struct sip_uri *u, int side)
{
	const struct sip_str *me = side ? &c->int_str : &c->pub_str;
	uint16_t port = u->port ? u->port : SIP_PORT_DEFAULT;

	return (u->kind == SIP_SCHEME_SIP || u->kind == SIP_SCHEME_SIPS) &&
	       u->host.len == me->len && memcmp(u->host.s, me->s, me->len) == 0 && port == c->port;
}

int edge_uri_target(const char *s, size_t len, uint32_t *ip, uint16_t *port)
{
	struct sip_uri u;

	if (sip_uri_parse(s, (uint32_t)len, &u) < 0 ||
	    (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS) || u.host_kind != SIP_HOST_IPV4)
		return -EINVAL;
	if (edge_ipv4_parse(u.host.s, u.host.len, ip) < 0)
		return -EINVAL;
	*port = u.port ? u.port : SIP_PORT_DEFAULT;
	return 0;
}

int edge_via_target(const struct sip_via *v, uint32_t *ip, uint16_t *port)
{
	const struct sip_str *h = v->has_received && v->received.len ? &v->received : &v->host;

	if (edge_ipv4_parse(h->s, h->len, ip) < 0)
		return -EINVAL;
	*port = v->port ? v->port : SIP_PORT_DEFAULT;
	if (v->has_rport && v->rport.len) {
		uint32_t p = 0;
		for (uint32_t i = 0; i < v->rport.len; i++) {
			char ch = v->rport.s[i];
			if (ch < '0' || ch > '9' || (p = p * 10 + (uint32_t)(ch - '0')) > 65535)
				return -EINVAL;
		}
		if (p == 0)
			return -EINVAL;
		*port = (uint16_t)p;
	}
	return 0;
}

void edge_reply(struct edge_ctx *x, uint16_t status, const char *reason,
		const struct sip_options *unsupported)
{
	struct sip_reply_opts o = { .received = x->src_str, .rport = x->src_port,
				    .unsupported = unsupported };
	int n = sip_reply_build(x->m, status, reason, &o, x->out, x->cap);

	if (n < 0) {
		edge_count(x->w, EDGE_C_rewrite_failed);
		return;
	}
	*x->act = (struct edge_action){ .kind = EDGE_ACT_SEND, .side = 0, .dst_ip = x->src_ip,
					.dst_port = x->src_port, .len = (uint32_t)n };
}

void edge_send_plan(struct edge_ctx *x, const struct sip_rw_plan *plan, int side, uint32_t ip,
		    uint16_t port)
{
	int n = sip_rw_apply(plan, x->out, x->cap);

	if (n < 0) {
		edge_count(x->w, EDGE_C_rewrite_failed);
		return;
	}
	if (side == 0 &&
	    edge_ipv4_scan(x->out, (size_t)n, x->c->int_ip, x->c->int_mask)) {
		edge_count(x->w, EDGE_C_topo_leak_dropped);
		return;
	}
	edge_count(x->w, side ? EDGE_C_forwarded_to_control : EDGE_C_forwarded_to_public);
	*x->act = (struct edge_action){ .kind = EDGE_ACT_SEND, .side = (uint8_t)side, .dst_ip = ip,
					.dst_port = port, .len = (uint32_t)n };
}

static void count_fault(struct edge_worker *w, uint8_t fault)
{
	if (fault < SIP_FAULT__COUNT)
		atomic_store_explicit(&w->fault[fault],
				      atomic_load_explicit(&w->fault[fault], memory_order_relaxed) + 1,
				      memory_order_relaxed);
}

void edge_process(struct edge_worker *w, int side, uint32_t src_ip, uint16_t src_port,
		  const char *buf, uint32_t len, uint64_t now_ns, uint64_t now_ms, char *out,
		  size_t cap, struct edge_action *act)
{
	struct sip_msg *m = &w->msg;
	struct sip_sanity san;
	struct edge_ctx x = { .w = w, .c = w->core, .m = m, .src_ip = src_ip,
			      .src_port = src_port, .now_ns = now_ns, .now_ms = now_ms,
			      .out = out, .cap = cap, .act = act };

	memset(act, 0, sizeof(*act));
	x.src_str = (struct sip_str){ x.src_txt, (uint32_t)edge_ipv4_format(src_ip, x.src_txt) };
	/* A message that does not frame is judged (dropped) by the sanity check too. */
	int rc = sip_msg_parse(m, buf, len);
	san.fault = SIP_FAULT_NONE;
	if (sip_sanity_check(m, rc, NULL, &san) < 0 || san.verdict == SIP_DROP) {
		count_fault(w, san.fault);
		edge_count(w, rc < 0 ? EDGE_C_parse_dropped : EDGE_C_sanity_dropped);
		return;
	}
	bool request = m->type == SIP_REQUEST;
	if (san.verdict == SIP_REJECT) {
		count_fault(w, san.fault);
		if (side == 0 && request) {
			edge_count(w, EDGE_C_sanity_replied);
			edge_reply(&x, san.status, san.reason, &san.unsupported);
		} else {
			edge_count(w, EDGE_C_sanity_dropped);
		}
		return;
	}
	if (side == 0 && request) {
		edge_count(w, EDGE_C_pub_requests);
		edge_public_request(&x);
	} else if (side == 0) {
		edge_count(w, EDGE_C_pub_responses);
		edge_public_response(&x);
	} else if (request) {
		edge_count(w, EDGE_C_int_requests);
		edge_internal_request(&x);
	} else {
		edge_count(w, EDGE_C_int_responses);
		edge_internal_response(&x);
	}
}
