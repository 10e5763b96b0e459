/* The Content-Length framer. */
#include "framer.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

/* Offset just past the "\r\n\r\n" ending the header block, or 0 when absent. */
static size_t header_end(const char *p, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (p[i] == '\n' && p[i - 1] == '\r' && p[i - 2] == '\n' && p[i - 3] == '\r')
			return i + 1;
	return 0;
}

/* Content-Length from the header block; -1 when absent or malformed. */
static long long content_length(const char *p, size_t hlen)
{
	long long found = -1;
	size_t i = 0;
	while (i < hlen) {
		const char *line = p + i;
		const char *nl = memchr(line, '\n', hlen - i);
		size_t llen = nl ? (size_t)(nl - line) : hlen - i;
		i += llen + 1;
		size_t nlen;
		if (llen > 14 && strncasecmp(line, "Content-Length", 14) == 0)
			nlen = 14;
		else if (llen > 1 && (line[0] == 'l' || line[0] == 'L') &&
			 (line[1] == ':' || line[1] == ' ' || line[1] == '\t'))
			nlen = 1;
		else
			continue;
		size_t k = nlen;
		while (k < llen && (line[k] == ' ' || line[k] == '\t'))
			k++;
		if (k == llen || line[k] != ':')
			continue;
		k++;
		while (k < llen && (line[k] == ' ' || line[k] == '\t'))
			k++;
		long long v = 0;
		bool digits = false;
		while (k < llen && line[k] >= '0' && line[k] <= '9') {
			v = v * 10 + (line[k++] - '0');
			digits = true;
			if (v > (1ll << 40))
				return -1;
		}
		while (k < llen && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
			k++;
		if (!digits || k != llen || (found >= 0 && found != v))
			return -1;
		found = v;
	}
	return found;
}

int csip_frame_next(const char *buf, size_t len, size_t max, struct csip_frame *f)
{
	size_t skip = 0;
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	f->skip = skip;
	f->len = 0;
	const char *p = buf + skip;
	size_t avail = len - skip;
	size_t hlen = header_end(p, avail);
	if (!hlen)
		return avail > max ? -EMSGSIZE : -EAGAIN;
	long long cl = content_length(p, hlen);
	if (cl < 0)
		return -EBADMSG;
	if ((unsigned long long)hlen + (unsigned long long)cl > max)
		return -EMSGSIZE;
	if (hlen + (size_t)cl > avail)
		return -EAGAIN;
	f->len = hlen + (size_t)cl;
	return 0;
}
