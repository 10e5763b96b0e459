/* Rewrite primitives as edit lists over the original packet (see sip_rewrite.h). */
#include "sip_rewrite.h"

#include <errno.h>
#include <string.h>

#include "sip_lex.h"
#include "sip_msg.h"
#include "sip_uri.h"
#include "sip_writer.h"

#define SIP_DEFAULT_PORT 5060
#define SIP_DEFAULT_MAX_FORWARDS 70

int sip_rw_init(struct sip_rw_plan *plan, struct sip_msg *m)
{
	if (!plan || !m || !m->buf)
		return -EINVAL;
	plan->m = m;
	plan->n = 0;
	plan->used = 0;
	return 0;
}

/* Start a new edit whose text the caller writes through the returned writer. */
static int edit_begin(struct sip_rw_plan *plan, uint32_t start, uint32_t end,
		      struct sip_writer *w)
{
	if (plan->n >= SIP_RW_MAX_EDITS)
		return -ENOSPC;
	struct sip_rw_edit *e = &plan->e[plan->n];
	e->start = start;
	e->end = end;
	e->off = plan->used;
	e->len = 0;
	w->buf = plan->text + plan->used;
	w->cap = SIP_RW_TEXT - plan->used;
	w->len = 0;
	w->overflow = false;
	return 0;
}

static int edit_end(struct sip_rw_plan *plan, const struct sip_writer *w)
{
	if (w->overflow)
		return -ENOSPC;
	plan->e[plan->n].len = (uint16_t)w->len;
	plan->used = (uint16_t)(plan->used + w->len);
	plan->n++;
	return 0;
}

static uint32_t off_of(const struct sip_rw_plan *plan, const char *p)
{
	return (uint32_t)(p - plan->m->buf);
}

int sip_rw_insert_top_via(struct sip_rw_plan *plan, const char *transport,
			  const struct sip_str *host, uint16_t port, const struct sip_str *branch,
			  bool rport)
{
	struct sip_msg *m = plan->m;
	struct sip_writer w;
	const struct sip_hdr *top = sip_msg_hdr(m, SIP_HDR_VIA);
	uint32_t at = top ? top->line_start : m->hdr_end;
	int rc = edit_begin(plan, at, at, &w);

	if (rc < 0)
		return rc;
	SIP_W_LIT(&w, "Via: SIP/2.0/");
	sip_w_bytes(&w, transport, strlen(transport));
	SIP_W_LIT(&w, " ");
	sip_w_str(&w, host);
	if (port) {
		SIP_W_LIT(&w, ":");
		sip_w_uint(&w, port);
	}
	SIP_W_LIT(&w, ";branch=");
	sip_w_str(&w, branch);
	if (rport)
		SIP_W_LIT(&w, ";rport");
	SIP_W_LIT(&w, "\r\n");
	return edit_end(plan, &w);
}

int sip_rw_top_via_received(struct sip_rw_plan *plan, const struct sip_str *received,
			    uint16_t rport)
{
	struct sip_msg *m = plan->m;
	struct sip_writer w;
	int rc = sip_msg_parse_via(m);

	if (rc < 0)
		return rc;
	const struct sip_via *v = &m->via[0];
	rc = edit_begin(plan, off_of(plan, v->whole.s), off_of(plan, v->whole.s + v->whole.len),
			&w);
	if (rc < 0)
		return rc;
	sip_w_via_received(&w, v, received, rport);
	return edit_end(plan, &w);
}

/* Delete value i of a list whose values come from header lines: the whole line when it holds
 * only this value, else the value and the separator up to the next value (or the previous
 * separator for the last value on the line). */
static int delete_value(struct sip_rw_plan *plan, const struct sip_str *whole, uint8_t hdr,
			const struct sip_str *next_whole, bool next_same_line)
{
	struct sip_writer w;
	const struct sip_hdr *h = &plan->m->hdr[hdr];
	uint32_t s, e;

	if (next_same_line) {
		s = off_of(plan, whole->s);
		e = off_of(plan, next_whole->s);
	} else if (whole->s == h->value.s) {
		s = h->line_start;
		e = h->line_end;
	} else {
		/* Last value on a line with earlier ones: from the preceding comma to its end. */
		const char *c = whole->s;
		while (c > h->value.s && c[-1] != ',')
			c--;
		s = off_of(plan, c - 1);
		e = off_of(plan, whole->s + whole->len);
	}
	int rc = edit_begin(plan, s, e, &w);
	return rc < 0 ? rc : edit_end(plan, &w);
}

int sip_rw_remove_top_via(struct sip_rw_plan *plan)
{
	struct sip_msg *m = plan->m;
	int rc = sip_msg_parse_via(m);

	if (rc < 0)
		return rc;
	bool more = m->n_via > 1 && m->via[1].hdr == m->via[0].hdr;
	return delete_value(plan, &m->via[0].whole, m->via[0].hdr, more ? &m->via[1].whole : NULL,
			    more);
}

int sip_rw_decrement_max_forwards(struct sip_rw_plan *plan)
{
	struct sip_msg *m = plan->m;
	struct sip_writer w;
	int rc = sip_msg_parse_max_forwards(m);

	if (rc == -ENOENT) {
		rc = edit_begin(plan, m->hdr_end, m->hdr_end, &w);
		if (rc < 0)
			return rc;
		SIP_W_LIT(&w, "Max-Forwards: ");
		sip_w_uint(&w, SIP_DEFAULT_MAX_FORWARDS - 1);
		SIP_W_LIT(&w, "\r\n");
		return edit_end(plan, &w);
	}
	if (rc < 0)
		return rc;
	if (m->max_forwards == 0)
		return -ERANGE;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_MAX_FORWARDS);
	rc = edit_begin(plan, off_of(plan, h->value.s), off_of(plan, h->value.s + h->value.len),
			&w);
	if (rc < 0)
		return rc;
	sip_w_uint(&w, m->max_forwards - 1);
	return edit_end(plan, &w);
}

int sip_rw_insert_record_route(struct sip_rw_plan *plan, const struct sip_str *uri)
{
	struct sip_msg *m = plan->m;
	struct sip_writer w;
	const struct sip_hdr *first = sip_msg_hdr(m, SIP_HDR_RECORD_ROUTE);
	uint32_t at = first ? first->line_start : m->hdr_end;
	int rc = edit_begin(plan, at, at, &w);

	if (rc < 0)
		return rc;
	SIP_W_LIT(&w, "Record-Route: <");
	sip_w_str(&w, uri);
	SIP_W_LIT(&w, ">\r\n");
	return edit_end(plan, &w);
}

int sip_rw_remove_own_route(struct sip_rw_plan *plan, const struct sip_str *host, uint16_t port)
{
	struct sip_msg *m = plan->m;
	struct sip_uri u;
	int rc = sip_msg_parse_route(m);

	if (rc < 0)
		return rc;
	const struct sip_addr *r = &m->route[0];
	if (sip_uri_parse(r->uri.s, r->uri.len, &u) < 0 ||
	    (u.kind != SIP_SCHEME_SIP && u.kind != SIP_SCHEME_SIPS))
		return -ENOENT;
	if (!sip_case_eq(u.host.s, u.host.len, host->s, host->len) ||
	    (u.port ? u.port : SIP_DEFAULT_PORT) != (port ? port : SIP_DEFAULT_PORT))
		return -ENOENT;
	bool more = m->n_route > 1 && m->route[1].hdr == r->hdr;
	return delete_value(plan, &r->whole, r->hdr, more ? &m->route[1].whole : NULL, more);
}

int sip_rw_strip_ruri_headers(struct sip_rw_plan *plan)
{
	struct sip_msg *m = plan->m;
	struct sip_writer w;
	int rc = sip_msg_parse_ruri(m);

	if (rc < 0)
		return rc;
	if (!m->ruri_parsed.headers.s)
		return -ENOENT;
	rc = edit_begin(plan, off_of(plan, m->ruri_parsed.headers.s - 1),
			off_of(plan, m->ruri.s + m->ruri.len), &w);
	return rc < 0 ? rc : edit_end(plan, &w);
}

static bool edit_after(const struct sip_rw_edit *a, const struct sip_rw_edit *b)
{
	if (a->start != b->start)
		return a->start > b->start;
	return a->end > a->start && b->end == b->start;
}

int sip_rw_apply(const struct sip_rw_plan *plan, char *out, size_t cap)
{
	const struct sip_msg *m = plan->m;
	uint8_t order[SIP_RW_MAX_EDITS];
	struct sip_writer w = { out, cap, 0, false };
	uint32_t pos = 0;

	/* Insertion sort by start, stable, so insertions at one point keep their call order and
	 * go before a deletion that starts there. */
	for (uint8_t i = 0; i < plan->n; i++) {
		uint8_t j = i;
		while (j > 0 && edit_after(&plan->e[order[j - 1]], &plan->e[i])) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (uint8_t k = 0; k < plan->n; k++) {
		const struct sip_rw_edit *e = &plan->e[order[k]];
		if (e->start < pos || e->end > m->len)
			return -EINVAL; /* overlapping edits */
		sip_w_bytes(&w, m->buf + pos, e->start - pos);
		sip_w_bytes(&w, plan->text + e->off, e->len);
		pos = e->end;
	}
	sip_w_bytes(&w, m->buf + pos, m->len - pos);
	return w.overflow ? -ENOSPC : (int)w.len;
}
