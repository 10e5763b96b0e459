/* Messages arriving from a control plane on the internal port (see edge.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "edge-int.h"
#include "edge.h"
#include "edge_dispatch.h"
#include "edge_rw.h"
#include "edge_topo.h"
#include "sip_msg.h"
#include "sip_rewrite.h"
#include "sip_uri.h"

static bool starts_with(const struct sip_str *s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s->len >= n && memcmp(s->s, prefix, n) == 0;
}

static bool is_our_internal_via(const struct edge_core *c, const struct sip_via *v)
{
	uint16_t port = v->port ? v->port : 5060;
	return v->host.len == c->int_str.len && memcmp(v->host.s, c->int_txt, c->int_str.len) == 0 &&
	       port == c->port && v->has_branch;
}

void edge_internal_response(struct edge_ctx *x)
{
	struct sip_msg *m = x->m;
	struct edge_worker *w = x->w;
	struct sip_rw_plan plan;
	uint32_t ip;
	uint16_t port;

	if (sip_msg_parse_via(m) < 0 || !is_our_internal_via(x->c, &m->via[0])) {
		edge_count(w, EDGE_C_not_our_via);
		return;
	}
	if (starts_with(&m->via[0].branch, EDGE_PROBE_BRANCH)) {
		if (edge_health_answer(x->c, x->src_ip, x->src_port, x->now_ms) == 0)
			edge_count(w, EDGE_C_health_replies);
		return;
	}
	if (!starts_with(&m->via[0].branch, EDGE_FWD_BRANCH) || m->n_via < 2 ||
	    edge_via_target(&m->via[1], &ip, &port) < 0) {
		edge_count(w, EDGE_C_not_our_via);
		return;
	}
	if (edge_is_internal(x->c, ip) || ip == x->c->pub_ip) {
		edge_count(w, EDGE_C_no_route);
		return;
	}
	sip_rw_init(&plan, m);
	int rc = sip_rw_remove_top_via(&plan);
	/* A registrar echoes Path (RFC 3327), ours naming the internal port: the phone has no
	 * use for it, so it does not leave. */
	for (uint8_t h = m->first[SIP_HDR_PATH]; rc == 0 && h != SIP_HDR_NONE; h = m->hdr[h].next)
		rc = edge_rw_replace(&plan, m->hdr[h].line_start, m->hdr[h].line_end, NULL, 0, NULL,
				     0, NULL, 0);
	if (rc == 0)
		rc = edge_swap_record_route(x, &plan, true);
	if (rc == 0)
		rc = edge_hide_contacts(x, &plan);
	if (rc < 0) {
		edge_count(w, EDGE_C_rewrite_failed);
		return;
	}
	edge_send_plan(x, &plan, 0, ip, port);
}

/* The flow token of our own Path entry at the top of the Route set: the address a NATed
 * phone registered from. 1 found, 0 not ours or no token, -EBADMSG a forged token. */
static int flow_target(struct edge_ctx *x, uint32_t *ip, uint16_t *port)
{
	struct sip_msg *m = x->m;
	struct sip_uri u;
	struct sip_str v;
	char plain[64];

	if (m->n_route == 0 || sip_uri_parse(m->route[0].uri.s, m->route[0].uri.len, &u) < 0 ||
	    !edge_uri_is_ours(x->c, &u, 1) || sip_uri_param(&u, EDGE_FLOW_PARAM, &v) < 0)
		return 0;
	int n = edge_topo_decode(x->c->key, v.s, v.len, plain, sizeof(plain) - 1);
	if (n < 0)
		return -EBADMSG;
	char *colon = memchr(plain, ':', (size_t)n);
	if (!colon || edge_ipv4_parse(plain, (size_t)(colon - plain), ip) < 0)
		return -EBADMSG;
	plain[n] = 0;
	unsigned long p = strtoul(colon + 1, NULL, 10);
	if (p == 0 || p > 65535)
		return -EBADMSG;
	*port = (uint16_t)p;
	return 1;
}

/* Where a control plane's request goes: the flow of our Path entry, else the next Route after
 * ours, else the Request-URI. -EBADMSG only for a forged flow token. */
static int request_target(struct edge_ctx *x, uint32_t *ip, uint16_t *port)
{
	struct sip_msg *m = x->m;
	int rc = sip_msg_parse_route(m);

	if (rc < 0 && rc != -ENOENT)
		return -EINVAL;
	rc = flow_target(x, ip, port);
	if (rc != 0)
		return rc < 0 ? rc : 0;
	uint8_t next = 0;
	if (m->n_route > 0) {
		struct sip_uri u;
		if (sip_uri_parse(m->route[0].uri.s, m->route[0].uri.len, &u) == 0 &&
		    edge_uri_is_ours(x->c, &u, 1))
			next = 1;
	}
	if (next < m->n_route)
		return edge_uri_target(m->route[next].uri.s, m->route[next].uri.len, ip, port);
	return edge_uri_target(m->ruri.s, m->ruri.len, ip, port);
}

/* All the control plane's Vias leave as one token in the branch of our public Via. */
static int collapse_vias(struct edge_ctx *x, struct sip_rw_plan *plan)
{
	struct sip_msg *m = x->m;
	char plain[EDGE_TOPO_MAX_PLAIN], tok[1024];
	size_t n = 0;

	for (uint8_t i = 0; i < m->n_via; i++) {
		const struct sip_str *v = &m->via[i].whole;
		if (n + v->len + 2 > sizeof(plain))
			return -ENOSPC;
		if (i) {
			plain[n++] = ',';
			plain[n++] = ' ';
		}
		memcpy(plain + n, v->s, v->len);
		n += v->len;
	}
	int t = edge_topo_encode(x->c->key, plain, n, tok, sizeof(tok));
	if (t < 0)
		return t;
	const struct sip_hdr *first = sip_msg_hdr(m, SIP_HDR_VIA);
	int rc = edge_rw_replace(plan, first->line_start, first->line_start, x->c->via_pre,
				 x->c->via_pre_len, tok,
				 (size_t)t, "\r\n", 2);
	for (uint8_t h = m->first[SIP_HDR_VIA]; rc == 0 && h != SIP_HDR_NONE; h = m->hdr[h].next)
		rc = edge_rw_replace(plan, m->hdr[h].line_start, m->hdr[h].line_end, NULL, 0, NULL, 0,
				     NULL, 0);
	return rc;
}

void edge_internal_request(struct edge_ctx *x)
{
	struct sip_msg *m = x->m;
	struct edge_worker *w = x->w;
	struct sip_rw_plan plan;
	uint32_t ip;
	uint16_t port;

	int target = sip_msg_parse_via(m) < 0 ? -EINVAL : request_target(x, &ip, &port);
	if (target == -EBADMSG) {
		edge_count(w, EDGE_C_topo_bad_token);
		return;
	}
	if (target < 0 || edge_is_internal(x->c, ip) || ip == x->c->pub_ip) {
		edge_count(w, EDGE_C_no_route);
		return;
	}
	sip_rw_init(&plan, m);
	int rc = 0;
	if (m->n_route > 0) {
		rc = sip_rw_remove_own_route(&plan, &x->c->int_str, x->c->port);
		if (rc == -ENOENT)
			rc = 0;
	}
	if (rc == 0) {
		rc = sip_rw_decrement_max_forwards(&plan);
		if (rc == -ERANGE) {
			edge_count(w, EDGE_C_too_many_hops);
			return;
		}
	}
	if (rc == 0)
		rc = collapse_vias(x, &plan);
	if (rc == 0)
		rc = edge_swap_record_route(x, &plan, true);
	if (rc == 0)
		rc = edge_hide_contacts(x, &plan);
	if (rc < 0) {
		edge_count(w, EDGE_C_rewrite_failed);
		return;
	}
	edge_send_plan(x, &plan, 0, ip, port);
}
