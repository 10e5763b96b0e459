/* Record-Route swapping and Contact hiding between the two sides (see edge-int.h). */
#include <errno.h>

#include "edge-int.h"
#include "edge.h"
#include "edge_rw.h"
#include "edge_topo.h"
#include "sip_msg.h"
#include "sip_uri.h"

int edge_swap_record_route(struct edge_ctx *x, struct sip_rw_plan *plan, bool to_public)
{
	struct sip_msg *m = x->m;
	int rc = sip_msg_parse_record_route(m);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	const char *uri = x->c->rr_txt[to_public ? 0 : 1];
	size_t n = x->c->rr_len[to_public ? 0 : 1];
	for (uint8_t i = 0; i < m->n_rr; i++) {
		struct sip_uri u;
		const struct sip_addr *a = &m->rr[i];
		if (sip_uri_parse(a->uri.s, a->uri.len, &u) < 0 ||
		    !edge_uri_is_ours(x->c, &u, to_public ? 1 : 0))
			continue;
		rc = edge_rw_replace(plan, edge_rw_off(plan, a->uri.s),
				     edge_rw_off(plan, a->uri.s + a->uri.len), uri, n, NULL, 0,
				     NULL, 0);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int edge_hide_contacts(struct edge_ctx *x, struct sip_rw_plan *plan)
{
	struct sip_msg *m = x->m;
	char tok[1024];
	int rc = sip_msg_parse_contact(m);

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return rc;
	for (uint8_t i = 0; i < m->n_contact; i++) {
		const struct sip_addr *a = &m->contact[i];
		uint32_t ip;
		uint16_t port;
		if (a->star || edge_uri_target(a->uri.s, a->uri.len, &ip, &port) < 0 ||
		    !edge_is_internal(x->c, ip))
			continue;
		int t = edge_topo_encode(x->c->key, a->uri.s, a->uri.len, tok, sizeof(tok));
		if (t < 0)
			return t;
		/* An addr-spec without <> gets them: our URI carries a parameter, and a bare
		 * URI's parameters would be read as header parameters. */
		size_t skip = a->bracketed ? 1 : 0;	/* contact_pre starts with '<' */
		rc = edge_rw_replace(plan, edge_rw_off(plan, a->uri.s),
				     edge_rw_off(plan, a->uri.s + a->uri.len),
				     x->c->contact_pre + skip, x->c->contact_pre_len - skip, tok,
				     (size_t)t, ">", a->bracketed ? 0 : 1);
		if (rc < 0)
			return rc;
	}
	return 0;
}
