/* Small scalar headers: CSeq, plain numbers (Max-Forwards, Content-Length, Expires), Call-ID. */
#include <errno.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_names.h"

#define SIP_CSEQ_MAX 0x7fffffffu /* RFC 3261 8.1.1.5: below 2^31 */

int sip_uint_parse(const struct sip_str *value, uint64_t max, uint64_t *out)
{
	const char *p = value->s, *end = value->s + value->len;
	int rc = sip_lex_uint(&p, end, max, out);

	if (rc < 0)
		return rc;
	return p == end ? 0 : -EBADMSG;
}

int sip_cseq_parse(const struct sip_str *value, struct sip_cseq *out)
{
	const char *p = value->s, *end = value->s + value->len;
	uint64_t n;
	int rc = sip_lex_uint(&p, end, SIP_CSEQ_MAX, &n);

	if (rc < 0)
		return rc;
	const char *q = sip_lex_ws(p, end);
	if (q == p)
		return -EBADMSG;
	if (sip_lex_token(&q, end, &out->method) < 0 || q != end)
		return -EBADMSG;
	out->number = (uint32_t)n;
	out->method_id = (uint8_t)sip_method_lookup(out->method.s, out->method.len);
	return 0;
}

int sip_call_id_parse(const struct sip_str *value, struct sip_str *out)
{
	const char *p = value->s, *end = value->s + value->len;
	const char *q = sip_lex_span(p, end, SIP_CC_WORD);

	if (q == p)
		return -EBADMSG;
	if (q < end && *q == '@') {
		const char *h = q + 1;
		q = sip_lex_span(h, end, SIP_CC_WORD);
		if (q == h)
			return -EBADMSG;
	}
	if (q != end)
		return -EBADMSG;
	*out = *value;
	return 0;
}
