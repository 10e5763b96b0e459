/* On-demand header accessors (see sip_msg.h): each parses its family once and records the
 * outcome in the parsed/failed bitmaps, as Kamailio's parse_headers() does with its flags. */
#include <errno.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_msg.h"
#include "sip_uri.h"

#define SIP_MAX_FORWARDS_MAX 255u
#define SIP_EXPIRES_MAX 0xffffffffu

/* Returns 1 when already parsed (*rc set), 0 to go on parsing. */
static int cached(const struct sip_msg *m, unsigned bit, int *rc)
{
	uint64_t b = 1ull << bit;

	if (!(m->parsed & b))
		return 0;
	*rc = (m->failed & b) ? -EBADMSG : 0;
	return 1;
}

static int record(struct sip_msg *m, unsigned bit, int rc)
{
	uint64_t b = 1ull << bit;

	m->parsed |= b;
	if (rc < 0 && rc != -ENOENT)
		m->failed |= b;
	return rc == -ENOENT ? rc : (rc < 0 ? -EBADMSG : 0);
}

int sip_msg_parse_ruri(struct sip_msg *m)
{
	int rc;

	if (m->type != SIP_REQUEST)
		return -ENOENT;
	if (cached(m, SIP_PARSED_RURI, &rc))
		return rc;
	return record(m, SIP_PARSED_RURI,
		      sip_uri_parse(m->ruri.s, m->ruri.len, &m->ruri_parsed));
}

int sip_msg_parse_via(struct sip_msg *m)
{
	int rc = 0;
	uint32_t n = 0;

	if (cached(m, SIP_HDR_VIA, &rc))
		return m->n_via ? rc : -ENOENT;
	for (uint8_t i = m->first[SIP_HDR_VIA]; i != SIP_HDR_NONE && rc == 0; i = m->hdr[i].next)
		rc = sip_via_parse(&m->hdr[i].value, i, m->via, SIP_MAX_VALUES, &n);
	m->n_via = (uint8_t)n;
	rc = record(m, SIP_HDR_VIA, rc);
	return rc == 0 && n == 0 ? -ENOENT : rc;
}

static int parse_single_addr(struct sip_msg *m, enum sip_hdr_id id, struct sip_addr *a)
{
	int rc;
	uint32_t n = 0;

	if (cached(m, id, &rc))
		return m->first[id] == SIP_HDR_NONE ? -ENOENT : rc;
	uint8_t i = m->first[id];
	if (i == SIP_HDR_NONE)
		return record(m, id, -ENOENT);
	return record(m, id, sip_addr_parse(&m->hdr[i].value, i, false, a, 1, &n));
}

int sip_msg_parse_from(struct sip_msg *m)
{
	return parse_single_addr(m, SIP_HDR_FROM, &m->from);
}

int sip_msg_parse_to(struct sip_msg *m)
{
	return parse_single_addr(m, SIP_HDR_TO, &m->to);
}

static int parse_addr_list(struct sip_msg *m, enum sip_hdr_id id, struct sip_addr *out,
			   uint8_t *count)
{
	int rc = 0;
	uint32_t n = 0;

	if (cached(m, id, &rc))
		return *count ? rc : (rc < 0 ? rc : -ENOENT);
	for (uint8_t i = m->first[id]; i != SIP_HDR_NONE && rc == 0; i = m->hdr[i].next)
		rc = sip_addr_parse(&m->hdr[i].value, i, true, out, SIP_MAX_VALUES, &n);
	*count = (uint8_t)n;
	rc = record(m, id, rc);
	return rc == 0 && n == 0 ? -ENOENT : rc;
}

int sip_msg_parse_contact(struct sip_msg *m)
{
	int rc = parse_addr_list(m, SIP_HDR_CONTACT, m->contact, &m->n_contact);

	/* "*" is only legal as the sole Contact (RFC 3261 10.3 step 6). */
	if (rc == 0 && m->contact[0].star && m->count[SIP_HDR_CONTACT] > 1) {
		m->failed |= 1ull << SIP_HDR_CONTACT;
		return -EBADMSG;
	}
	return rc;
}

int sip_msg_parse_route(struct sip_msg *m)
{
	return parse_addr_list(m, SIP_HDR_ROUTE, m->route, &m->n_route);
}

int sip_msg_parse_record_route(struct sip_msg *m)
{
	return parse_addr_list(m, SIP_HDR_RECORD_ROUTE, m->rr, &m->n_rr);
}

int sip_msg_parse_content_type(struct sip_msg *m)
{
	int rc;

	if (cached(m, SIP_HDR_CONTENT_TYPE, &rc))
		return m->first[SIP_HDR_CONTENT_TYPE] == SIP_HDR_NONE ? -ENOENT : rc;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_CONTENT_TYPE);
	return record(m, SIP_HDR_CONTENT_TYPE,
		      h ? sip_content_type_parse(&h->value, &m->content_type) : -ENOENT);
}

int sip_msg_parse_call_id(struct sip_msg *m)
{
	int rc;

	if (cached(m, SIP_HDR_CALL_ID, &rc))
		return m->first[SIP_HDR_CALL_ID] == SIP_HDR_NONE ? -ENOENT : rc;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_CALL_ID);
	return record(m, SIP_HDR_CALL_ID, h ? sip_call_id_parse(&h->value, &m->call_id) : -ENOENT);
}

int sip_msg_parse_cseq(struct sip_msg *m)
{
	int rc;

	if (cached(m, SIP_HDR_CSEQ, &rc))
		return m->first[SIP_HDR_CSEQ] == SIP_HDR_NONE ? -ENOENT : rc;
	const struct sip_hdr *h = sip_msg_hdr(m, SIP_HDR_CSEQ);
	return record(m, SIP_HDR_CSEQ, h ? sip_cseq_parse(&h->value, &m->cseq) : -ENOENT);
}

static int parse_number(struct sip_msg *m, enum sip_hdr_id id, uint64_t max, uint64_t *out)
{
	int rc;

	if (cached(m, id, &rc))
		return m->first[id] == SIP_HDR_NONE ? -ENOENT : rc;
	const struct sip_hdr *h = sip_msg_hdr(m, id);
	return record(m, id, h ? sip_uint_parse(&h->value, max, out) : -ENOENT);
}

int sip_msg_parse_max_forwards(struct sip_msg *m)
{
	return parse_number(m, SIP_HDR_MAX_FORWARDS, SIP_MAX_FORWARDS_MAX, &m->max_forwards);
}

int sip_msg_parse_expires(struct sip_msg *m)
{
	return parse_number(m, SIP_HDR_EXPIRES, SIP_EXPIRES_MAX, &m->expires);
}
