/* Stream framing: end of headers plus Content-Length (see sip_frame.h). */
#include "sip_frame.h"

#include <errno.h>
#include <string.h>

#include "sip_lex.h"

/* The value of a Content-Length line, or -EBADMSG. */
static int64_t line_content_length(const char *p, const char *le)
{
	const char *q = sip_lex_span(p, le, SIP_CC_TOKEN);
	uint64_t v;

	if (!sip_tok_eq(p, (uint32_t)(q - p), "content-length", 14) &&
	    !sip_tok_eq(p, (uint32_t)(q - p), "l", 1))
		return -ENOENT;
	while (q < le && (*q == ' ' || *q == '\t'))
		q++;
	if (q >= le || *q != ':')
		return -ENOENT;
	q = sip_lex_ws(q + 1, le);
	while (le > q && sip_is((unsigned char)le[-1], SIP_CC_WS))
		le--;
	if (sip_lex_uint(&q, le, 0x7fffffff, &v) < 0 || q != le)
		return -EBADMSG;
	return (int64_t)v;
}

int sip_frame_stream(const char *buf, size_t len, size_t max_len, struct sip_frame *f)
{
	size_t skip = 0;
	int64_t cl = -1;

	f->skip = 0;
	f->len = 0;
	if (!buf || len == 0)
		return -EAGAIN;
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	f->skip = skip;
	const char *p = buf + skip, *end = buf + len;
	const char *limit = (size_t)(end - p) > max_len ? p + max_len : end;

	while (p < limit) {
		const char *nl = memchr(p, '\n', (size_t)(limit - p));
		if (!nl)
			break;
		if (nl == p || (nl == p + 1 && *p == '\r')) {
			if (cl < 0)
				return -EBADMSG; /* mandatory on streams */
			uint64_t total = (uint64_t)(nl + 1 - (buf + skip)) + (uint64_t)cl;
			if (total > max_len)
				return -EMSGSIZE;
			f->len = (size_t)total;
			return (uint64_t)(end - (buf + skip)) >= total ? 0 : -EAGAIN;
		}
		int64_t v = line_content_length(p, nl);
		if (v == -EBADMSG || (v >= 0 && cl >= 0 && v != cl))
			return -EBADMSG;
		if (v >= 0) {
			/* A folded Content-Length would hide part of the number on the next line. */
			if (nl + 1 < end && (nl[1] == ' ' || nl[1] == '\t'))
				return -EBADMSG;
			cl = v;
		}
		p = nl + 1;
	}
	return (size_t)(end - (buf + skip)) >= max_len ? -EMSGSIZE : -EAGAIN;
}
