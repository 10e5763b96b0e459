/* Start line, header index and body framing of one SIP message (see sip_msg.h). */
#include "sip_msg.h"

#include <errno.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_names.h"

/* Content-Length above this cannot be a datagram we accept anyway. */
#define SIP_MAX_CONTENT_LENGTH 0x7fffffffu

static int parse_status_line(struct sip_msg *m, const char *p, const char *end)
{
	const char *sp = memchr(p, ' ', (size_t)(end - p));

	if (!sp)
		return -EBADMSG;
	m->type = SIP_RESPONSE;
	m->version = sip_str_mk(p, sp);
	const char *c = sp + 1, *ce = c;
	while (ce < end && sip_is((unsigned char)*ce, SIP_CC_DIGIT))
		ce++;
	if (ce - c == 3 && (ce == end || *ce == ' ')) {
		m->status = (uint16_t)((c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0'));
		if (m->status < 100 || m->status > 699) {
			m->status = 0;
			m->flags |= SIP_F_BAD_STATUS;
		}
	} else {
		m->flags |= SIP_F_BAD_STATUS;
	}
	/* The reason phrase may be empty ("SIP/2.0 100 ") and hold any UTF-8. */
	while (ce < end && *ce != ' ')
		ce++;
	m->reason = sip_str_mk(ce < end ? ce + 1 : end, end);
	return 0;
}

static int parse_request_line(struct sip_msg *m, const char *p, const char *end)
{
	const char *q = sip_lex_span(p, end, SIP_CC_TOKEN);

	if (q == p || q >= end || *q != ' ')
		return -EBADMSG;
	m->type = SIP_REQUEST;
	m->method = sip_str_mk(p, q);
	m->method_id = (uint8_t)sip_method_lookup(m->method.s, m->method.len);

	/* Method SP Request-URI SP SIP-Version: the version is after the last space, so a URI
	 * with spaces inside stays one (bad) URI for the sanity check to refuse. */
	const char *e = end;
	while (e > q && (e[-1] == ' ' || e[-1] == '\t')) {
		e--;
		m->flags |= SIP_F_START_LINE_WS;
	}
	const char *u = q + 1;
	if (u < e && *u == ' ') {
		m->flags |= SIP_F_START_LINE_WS;
		while (u < e && *u == ' ')
			u++;
	}
	const char *v = e;
	while (v > u && v[-1] != ' ')
		v--;
	if (v <= u)
		return -EBADMSG; /* no version */
	m->version = sip_str_mk(v, e);
	const char *ue = v - 1;
	if (ue > u && ue[-1] == ' ') {
		m->flags |= SIP_F_START_LINE_WS;
		while (ue > u && ue[-1] == ' ')
			ue--;
	}
	if (ue == u)
		return -EBADMSG;
	m->ruri = sip_str_mk(u, ue);
	return 0;
}

static int add_header(struct sip_msg *m, const char *line, const char *name_end,
		      const char *vs, const char *ve, const char *next)
{
	if (m->n_hdrs >= SIP_MAX_HEADERS)
		return -E2BIG;
	uint8_t i = m->n_hdrs++;
	struct sip_hdr *h = &m->hdr[i];
	h->name = sip_str_mk(line, name_end);
	h->value = sip_str_mk(vs, ve);
	h->line_start = (uint32_t)(line - m->buf);
	h->line_end = (uint32_t)(next - m->buf);
	h->id = (uint8_t)sip_hdr_lookup(h->name.s, h->name.len);
	h->next = SIP_HDR_NONE;
	/* Unknown headers share id 0 but are of many kinds; SIP_MAX_HEADERS bounds them. */
	if (h->id != SIP_HDR_OTHER && m->count[h->id] >= SIP_MAX_VALUES)
		return -E2BIG;
	if (m->count[h->id]++ == 0)
		m->first[h->id] = i;
	else
		m->hdr[m->last[h->id]].next = i;
	m->last[h->id] = i;
	return 0;
}

/* Header lines up to the empty line. Returns the offset of the body or a negative errno. */
static int index_headers(struct sip_msg *m, const char *p, const char *end)
{
	for (;;) {
		if (p >= end)
			return -EBADMSG; /* no empty line */
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			m->hdr_end = (uint32_t)(p - m->buf);
			return (int)(p - m->buf) + (*p == '\r' ? 2 : 1);
		}
		const char *line = p;
		const char *ne = sip_lex_span(p, end, SIP_CC_TOKEN);
		if (ne == p)
			return -EBADMSG; /* fold before any header, or a non-token name */
		const char *c = ne;
		while (c < end && (*c == ' ' || *c == '\t'))
			c++;
		if (c >= end || *c != ':')
			return -EBADMSG;
		const char *vs = c + 1, *nl, *r = vs;
		/* The line ends at a LF not followed by SP/HT; the others are folds. */
		for (;;) {
			nl = memchr(r, '\n', (size_t)(end - r));
			if (!nl)
				return -EBADMSG;
			if (nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t')) {
				r = nl + 1;
				continue;
			}
			break;
		}
		const char *ve = nl;
		vs = sip_lex_ws(vs, ve);
		/* The CR of the CRLF is almost always the only byte to trim. */
		if (ve > vs && ve[-1] == '\r')
			ve--;
		while (ve > vs && sip_is((unsigned char)ve[-1], SIP_CC_WS))
			ve--;
		int rc = add_header(m, line, ne, vs, ve, nl + 1);
		if (rc < 0)
			return rc;
		p = nl + 1;
	}
}

static void frame_body(struct sip_msg *m, uint32_t body_off)
{
	uint32_t avail = m->buf_len - body_off;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_CONTENT_LENGTH);
	uint64_t cl;

	m->body = (struct sip_str){ m->buf + body_off, avail };
	m->len = m->buf_len;
	if (!h) {
		m->flags |= SIP_F_NO_CL; /* UDP: the body runs to the end of the datagram */
		return;
	}
	if (m->count[SIP_HDR_CONTENT_LENGTH] > 1)
		m->flags |= SIP_F_CL_MULTIPLE;
	if (sip_uint_parse(&h->value, SIP_MAX_CONTENT_LENGTH, &cl) < 0) {
		m->flags |= SIP_F_CL_BAD;
		m->parsed |= 1ull << SIP_HDR_CONTENT_LENGTH;
		m->failed |= 1ull << SIP_HDR_CONTENT_LENGTH;
		return;
	}
	m->content_length = (uint32_t)cl;
	m->parsed |= 1ull << SIP_HDR_CONTENT_LENGTH;
	if (cl > avail) {
		m->flags |= SIP_F_CL_SHORT_DGRAM;
		return;
	}
	if (cl < avail)
		m->flags |= SIP_F_TRAILING;
	m->body.len = (uint32_t)cl;
	m->len = body_off + (uint32_t)cl;
}

int sip_msg_parse(struct sip_msg *m, const char *buf, size_t len)
{
	if (!m || (!buf && len))
		return -EINVAL;
	if (len > SIP_MAX_MSG_LEN)
		return -EMSGSIZE;
	m->buf = buf;
	m->buf_len = (uint32_t)len;
	m->len = 0;
	m->type = 0;
	m->method_id = 0;
	m->status = 0;
	m->flags = 0;
	m->method = m->ruri = m->version = m->reason = m->body = (struct sip_str){ buf, 0 };
	m->n_hdrs = 0;
	m->hdr_end = 0;
	m->parsed = m->failed = 0;
	m->n_via = m->n_contact = m->n_route = m->n_rr = 0;
	memset(m->first, SIP_HDR_NONE, sizeof(m->first));
	memset(m->count, 0, sizeof(m->count));

	if (len == 0)
		return -EBADMSG; /* buf may be NULL here */
	const char *end = buf + len;
	const char *nl = memchr(buf, '\n', len);
	if (!nl)
		return -EBADMSG;
	const char *le = nl > buf && nl[-1] == '\r' ? nl - 1 : nl;
	m->start_line = sip_str_mk(buf, le);
	int rc;
	if (le - buf >= 4 && memcmp(buf, "SIP/", 4) == 0)
		rc = parse_status_line(m, buf, le);
	else
		rc = parse_request_line(m, buf, le);
	if (rc < 0)
		return rc;
	rc = index_headers(m, nl + 1, end);
	if (rc < 0)
		return rc;
	frame_body(m, (uint32_t)rc);
	return 0;
}

const struct sip_hdr *sip_msg_hdr(const struct sip_msg *m, enum sip_hdr_id id)
{
	if ((unsigned)id >= SIP_HDR__COUNT || m->first[id] == SIP_HDR_NONE)
		return NULL;
	return &m->hdr[m->first[id]];
}
