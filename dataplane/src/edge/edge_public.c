/* Messages arriving on the public port (see edge.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "edge-int.h"
#include "edge.h"
#include "edge_dispatch.h"
#include "edge_ipv4.h"
#include "edge_realm.h"
#include "edge_rw.h"
#include "edge_topo.h"
#include "flt.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_rewrite.h"
#include "sip_uri.h"

static enum flt_method filter_method(uint8_t method_id)
{
	if (method_id == SIP_METHOD_REGISTER)
		return FLT_METHOD_REGISTER;
	return method_id == SIP_METHOD_INVITE ? FLT_METHOD_INVITE : FLT_METHOD_OTHER;
}

/* The host of an addr header's SIP URI, or an empty slice. */
static struct sip_str addr_host(const struct sip_addr *a)
{
	struct sip_uri u;

	if (sip_uri_parse(a->uri.s, a->uri.len, &u) < 0 ||
	    (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS))
		return (struct sip_str){ NULL, 0 };
	return u.host;
}

/* The account an INVITE counts against: its realm is the From host (a registered device
 * calling out), else the To host (a call into an account's domain); the control plane pushes
 * which account owns which realm. 0 found, -ENOENT none. */
static int invite_account(struct edge_ctx *x, struct sip_str *account)
{
	struct sip_msg *m = x->m;
	const struct edge_realms *t = x->w->realms;

	if (!t || m->method_id != SIP_METHOD_INVITE)
		return -ENOENT;
	if (sip_msg_parse_from(m) == 0) {
		struct sip_str h = addr_host(&m->from);
		if (h.len && edge_realms_lookup(t, h.s, h.len, account) == 0)
			return 0;
	}
	if (sip_msg_parse_to(m) == 0) {
		struct sip_str h = addr_host(&m->to);
		if (h.len && edge_realms_lookup(t, h.s, h.len, account) == 0)
			return 0;
	}
	return -ENOENT;
}

static bool creates_dialog(struct sip_msg *m)
{
	if (m->method_id != SIP_METHOD_INVITE && m->method_id != SIP_METHOD_SUBSCRIBE &&
	    m->method_id != SIP_METHOD_REFER)
		return false;
	return sip_msg_parse_to(m) == 0 && !m->to.has_tag;
}

/* A draining node sends new calls elsewhere: the stateless 503 ends with its blank line and
 * no body, so Retry-After (RFC 3261 21.5.4) goes just before that line. */
static void add_retry_after(struct edge_ctx *x, unsigned seconds)
{
	char h[32];
	size_t len = x->act->len;
	int n = snprintf(h, sizeof(h), "Retry-After: %u\r\n", seconds);
	if (x->act->kind != EDGE_ACT_SEND || len < 2 || len + (size_t)n > x->cap ||
	    memcmp(x->out + len - 2, "\r\n", 2) != 0)
		return;
	memcpy(x->out + len - 2, h, (size_t)n);
	memcpy(x->out + len - 2 + n, "\r\n", 2);
	x->act->len = (uint32_t)(len + (size_t)n);
}

/* Our Via branch: a keyed hash of the sender's hop (its branch, or its whole Via for RFC 2543
 * peers), so a retransmission or a CANCEL gets the same branch with no state kept. */
static void forward_branch(const struct edge_core *c, const struct sip_via *v, char *out,
			   size_t cap, struct sip_str *branch)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t h[crypto_shorthash_BYTES];
	const struct sip_str *src = v->has_branch ? &v->branch : &v->whole;
	size_t n = strlen(EDGE_FWD_BRANCH);

	crypto_shorthash(h, (const unsigned char *)src->s, src->len, c->key + 48);
	memcpy(out, EDGE_FWD_BRANCH, n);
	for (size_t i = 0; i < sizeof(h) && n + 2 < cap; i++) {
		out[n++] = hex[h[i] >> 4];
		out[n++] = hex[h[i] & 15];
	}
	*branch = (struct sip_str){ out, (uint32_t)n };
}

/* REGISTER: a Path entry (RFC 3327) whose flow token holds the sender's address, so the
 * control plane's later requests to this contact reach it through its NAT binding. */
static int add_path(struct edge_ctx *x, struct sip_rw_plan *plan)
{
	char flow[32], tok[128];
	const struct sip_hdr *first = sip_msg_hdr(x->m, SIP_HDR_PATH);
	uint32_t at = first ? first->line_start : x->m->hdr_end;
	size_t fn = edge_hostport(flow, x->src_txt, x->src_str.len, x->src_port);
	int t = edge_topo_encode(x->c->key, flow, fn, tok, sizeof(tok));
	if (t < 0)
		return t;
	return edge_rw_replace(plan, at, at, x->c->path_pre, x->c->path_pre_len, tok, (size_t)t,
			       ">\r\n", 3);
}

/* An in-dialog request whose Request-URI is a Contact we hid: restore it and return the
 * control plane it names (1), 0 when the Request-URI is not one of ours. */
static int restore_ruri(struct edge_ctx *x, struct sip_rw_plan *plan, char *plain, size_t cap,
			uint32_t *ip, uint16_t *port)
{
	struct sip_msg *m = x->m;
	struct sip_str v;

	if (sip_msg_parse_ruri(m) < 0 || !edge_uri_is_ours(x->c, &m->ruri_parsed, 0) ||
	    sip_uri_param(&m->ruri_parsed, EDGE_CONTACT_PARAM, &v) < 0)
		return 0;
	int n = edge_topo_decode(x->c->key, v.s, v.len, plain, cap);
	if (n < 0 || edge_uri_target(plain, (size_t)n, ip, port) < 0 || !edge_is_internal(x->c, *ip))
		return -EBADMSG;
	int rc = edge_rw_replace(plan, edge_rw_off(plan, m->ruri.s),
				 edge_rw_off(plan, m->ruri.s + m->ruri.len), plain, (size_t)n, NULL,
				 0, NULL, 0);
	return rc < 0 ? rc : 1;
}

void edge_public_request(struct edge_ctx *x)
{
	struct sip_msg *m = x->m;
	struct edge_worker *w = x->w;
	const struct sip_hdr *ua = sip_msg_hdr(m, SIP_HDR_USER_AGENT);
	struct sip_rw_plan plan;
	char plain[EDGE_TOPO_MAX_PLAIN], bbuf[48];
	struct sip_str branch;
	uint32_t ip = 0;
	uint16_t port = 0;
	struct sip_str account = { NULL, 0 };

	invite_account(x, &account); /* -ENOENT leaves it empty: no account limit applies */
	if (flt_check(w->flt, x->now_ns, x->src_ip, filter_method(m->method_id),
		      ua ? ua->value.s : NULL, ua ? ua->value.len : 0, account.s,
		      account.len) != FLT_ACCEPT) {
		edge_count(w, EDGE_C_filter_dropped);
		return;
	}
	if (sip_msg_parse_via(m) < 0 || sip_msg_parse_call_id(m) < 0) {
		edge_count(w, EDGE_C_sanity_dropped); /* the sanity check lets none through */
		return;
	}
	sip_rw_init(&plan, m);
	int routed = restore_ruri(x, &plan, plain, sizeof(plain), &ip, &port);
	if (routed < 0) {
		edge_count(w, EDGE_C_topo_bad_token);
		return;
	}
	if (m->method_id == SIP_METHOD_INVITE && creates_dialog(m) && x->c->draining &&
	    atomic_load_explicit(x->c->draining, memory_order_relaxed)) {
		edge_count(w, EDGE_C_drain_refused);
		edge_reply(x, 503, "Draining", NULL);
		add_retry_after(x, EDGE_DRAIN_RETRY_AFTER_S);
		return;
	}
	int rc = routed ? 0 : sip_rw_strip_ruri_headers(&plan);
	if (rc == -ENOENT)
		rc = 0;
	if (rc == 0 && m->first[SIP_HDR_ROUTE] != SIP_HDR_NONE) {
		rc = sip_rw_remove_own_route(&plan, &x->c->pub_str, x->c->port);
		if (rc == -ENOENT)
			rc = 0;
	}
	if (rc == 0) {
		rc = sip_rw_decrement_max_forwards(&plan);
		if (rc == -ERANGE) {
			edge_count(w, EDGE_C_too_many_hops);
			edge_reply(x, 483, "Too Many Hops", NULL);
			return;
		}
	}
	forward_branch(x->c, &m->via[0], bbuf, sizeof(bbuf), &branch);
	if (rc == 0)
		rc = sip_rw_top_via_received(&plan, &x->src_str, x->src_port);
	if (rc == 0)
		rc = sip_rw_insert_top_via(&plan, "UDP", &x->c->int_str, x->c->port, &branch, false);
	if (rc == 0 && creates_dialog(m)) {
		rc = sip_rw_insert_record_route(
			&plan, &(struct sip_str){ x->c->rr_txt[1], x->c->rr_len[1] });
	}
	if (rc == 0 && m->method_id == SIP_METHOD_REGISTER)
		rc = add_path(x, &plan);
	if (rc < 0) {
		edge_count(w, EDGE_C_rewrite_failed);
		return;
	}
	if (!routed) {
		const struct edge_node *n =
			edge_dispatch_pick(x->c, m->call_id.s, m->call_id.len, x->now_ms);
		if (!n) {
			edge_count(w, EDGE_C_no_node);
			edge_reply(x, 503, "No Control Plane Available", NULL);
			return;
		}
		ip = n->ip;
		port = n->port;
	}
	edge_send_plan(x, &plan, 1, ip, port);
}

static bool is_our_public_via(const struct edge_core *c, const struct sip_via *v)
{
	size_t n = strlen(EDGE_VIA_BRANCH);
	uint16_t port = v->port ? v->port : 5060;
	return v->host.len == c->pub_str.len && memcmp(v->host.s, c->pub_txt, c->pub_str.len) == 0 &&
	       port == c->port && v->has_branch && v->branch.len > n &&
	       memcmp(v->branch.s, EDGE_VIA_BRANCH, n) == 0;
}

void edge_public_response(struct edge_ctx *x)
{
	struct sip_msg *m = x->m;
	struct edge_worker *w = x->w;
	char plain[EDGE_TOPO_MAX_PLAIN];
	struct sip_via orig[8];
	uint32_t n_orig = 0, ip;
	uint16_t port;
	struct sip_rw_plan plan;

	if (sip_msg_parse_via(m) < 0 || !is_our_public_via(x->c, &m->via[0])) {
		edge_count(w, EDGE_C_not_our_via);
		return;
	}
	size_t pre = strlen(EDGE_VIA_BRANCH);
	int n = edge_topo_decode(x->c->key, m->via[0].branch.s + pre, m->via[0].branch.len - pre,
				 plain, sizeof(plain));
	struct sip_str vias = { plain, n > 0 ? (uint32_t)n : 0 };
	if (n < 0 || sip_via_parse(&vias, 0, orig, 8, &n_orig) < 0 || n_orig == 0 ||
	    edge_via_target(&orig[0], &ip, &port) < 0 || !edge_is_internal(x->c, ip)) {
		edge_count(w, EDGE_C_topo_bad_token);
		return;
	}
	sip_rw_init(&plan, m);
	int rc = edge_rw_replace(&plan, edge_rw_off(&plan, m->via[0].whole.s),
				 edge_rw_off(&plan, m->via[0].whole.s + m->via[0].whole.len), plain,
				 (size_t)n, NULL, 0, NULL, 0);
	if (rc == 0)
		rc = edge_swap_record_route(x, &plan, false);
	if (rc < 0) {
		edge_count(w, EDGE_C_rewrite_failed);
		return;
	}
	edge_send_plan(x, &plan, 1, ip, port);
}
