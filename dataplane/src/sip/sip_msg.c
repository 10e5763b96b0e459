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

#ifdef __SSE2__
/* Bit set for each of sixteen bytes equal to the literal's, 0x20 OR-ed into the input where
 * the literal byte is a letter (0x40 and above), as in sip_hdr_name_eq(). */
static inline unsigned name_bytes_eq16(const char *s, const char *lit)
{
	__m128i l = _mm_loadu_si128((const __m128i *)(const void *)lit);
	__m128i in = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i fold = _mm_and_si128(_mm_srli_epi16(l, 1), _mm_set1_epi8(0x20));

	return (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_or_si128(in, fold), l));
}

/* sip_hdr_name_eq() on sixteen-byte loads, for a name with sixteen readable bytes at s (or
 * at least sixteen bytes long). */
static inline int name_eq16(const char *s, const struct sip_hdr_name *e, uint32_t len)
{
	unsigned ok = name_bytes_eq16(s, e->s);

	if (len <= 16)
		return ((ok | (0xffffu << len)) & 0xffffu) == 0xffffu;
	return ok == 0xffffu && name_bytes_eq16(s + len - 16, e->s + len - 16) == 0xffffu;
}
#endif

/* sip_hdr_lookup() inline: one perfect-hash slot to compare. */
static inline enum sip_hdr_id lookup_name(const char *s, uint32_t len, const char *end)
{
	if (len <= 1) {
		unsigned char l = len ? (unsigned char)s[0] | 0x20 : 0;
		return l >= 'a' && l <= 'z' ? (enum sip_hdr_id)sip_hdr_compact_form[l]
					    : SIP_HDR_OTHER;
	}
	unsigned slot = sip_hdr_slot(len, (unsigned char)s[0], (unsigned char)s[len - 1]);
	const struct sip_hdr_name *e = &sip_hdr_long_form[slot];
	if (e->len != len)
		return SIP_HDR_OTHER;
#ifdef __SSE2__
	if (len >= 16 || end - s >= 16)
		return name_eq16(s, e, len) ? (enum sip_hdr_id)e->id : SIP_HDR_OTHER;
#else
	(void)end;
#endif
	return sip_hdr_name_eq(s, e->s, len) ? (enum sip_hdr_id)e->id : SIP_HDR_OTHER;
}

/* The name of a header line: token [SP/HT]* ':' with the ':' the first one of the line. A
 * known name is matched exactly, which proves it a token; only unknown names get the byte
 * scan. Returns the id, or -EBADMSG. */
static inline int header_name(const char *line, const char *colon, const char *end,
			      const char **name_end)
{
	const char *ne = colon;

	/* Names almost always touch their ':'; a byte above ' ' settles it in one compare. */
	if (ne > line && (unsigned char)ne[-1] <= ' ')
		while (ne > line && (ne[-1] == ' ' || ne[-1] == '\t'))
			ne--;
	enum sip_hdr_id id = lookup_name(line, (uint32_t)(ne - line), end);
	if (id == SIP_HDR_OTHER && (ne == line || sip_lex_span(line, ne, SIP_CC_TOKEN) != ne))
		return -EBADMSG; /* fold before any header, or a non-token name */
	*name_end = ne;
	return (int)id;
}

/* Header lines up to the empty line. Returns the offset of the body or a negative errno.
 * The fields of m the loop reads are held in locals: a store through one of its uint8_t
 * arrays may alias anything, and would make the compiler reload them on every line. */
static int index_headers(struct sip_msg *m, const char *p, const char *end)
{
	const char *const buf = m->buf;
	struct sip_hdr *const hdr = m->hdr;
	uint8_t *const count = m->count, *const first = m->first, *const last = m->last;
	unsigned n = 0;
	int rc;

	for (;;) {
		if (p >= end) {
			rc = -EBADMSG; /* no empty line */
			break;
		}
		if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			m->hdr_end = (uint32_t)(p - buf);
			rc = (int)(p - buf) + (*p == '\r' ? 2 : 1);
			break;
		}
		const char *line = p, *ne;
		const char *colon = sip_lex_find(p, end, ':');
		if (!colon) {
			rc = -EBADMSG;
			break;
		}
		int id = header_name(line, colon, end, &ne);
		if (id < 0) {
			rc = id;
			break;
		}
		const char *vs = colon + 1, *nl, *r = vs;
		/* The line ends at a LF not followed by SP/HT; the others are folds. */
		for (;;) {
			nl = sip_lex_find_far(r, end, '\n');
			/* The next line starts with a name (above ' ') or the blank line's CR. */
			if (!nl || nl + 1 >= end || (unsigned char)nl[1] > ' ' ||
			    (nl[1] != ' ' && nl[1] != '\t'))
				break;
			r = nl + 1;
		}
		if (!nl) {
			rc = -EBADMSG;
			break;
		}
		const char *ve = nl;
		/* One SP after the ':' is what nearly every sender writes. */
		if (vs < ve && *vs == ' ')
			vs++;
		vs = sip_lex_ws(vs, ve);
		/* The CR of the CRLF is almost always the only byte to trim. */
		if (ve > vs && ve[-1] == '\r')
			ve--;
		if (ve > vs && (unsigned char)ve[-1] <= ' ')
			while (ve > vs && sip_is((unsigned char)ve[-1], SIP_CC_WS))
				ve--;
		/* Unknown headers share id 0 but are of many kinds; SIP_MAX_HEADERS bounds them. */
		if (n >= SIP_MAX_HEADERS || (id != SIP_HDR_OTHER && count[id] >= SIP_MAX_VALUES)) {
			rc = -E2BIG;
			break;
		}
		struct sip_hdr *h = &hdr[n];
		h->name = sip_str_mk(line, ne);
		h->value = sip_str_mk(vs, ve);
		h->line_start = (uint32_t)(line - buf);
		h->line_end = (uint32_t)(nl + 1 - buf);
		h->id = (uint8_t)id;
		h->next = SIP_HDR_NONE;
		if (count[id]++ == 0)
			first[id] = (uint8_t)n;
		else
			hdr[last[id]].next = (uint8_t)n;
		last[id] = (uint8_t)n;
		n++;
		p = nl + 1;
	}
	m->n_hdrs = (uint8_t)n;
	return rc;
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
