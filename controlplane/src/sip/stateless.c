/* Raw-text stateless replies. */
#include "stateless.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Header names (long and compact forms) copied into a stateless reply. */
static const struct {
	const char *name, *compact;
} copied[] = {
	{ "Via", "v" }, { "From", "f" }, { "To", "t" }, { "Call-ID", "i" }, { "CSeq", NULL },
};

static bool name_is(const char *line, size_t llen, const char *name)
{
	size_t n = strlen(name);
	if (llen <= n || strncasecmp(line, name, n) != 0)
		return false;
	size_t k = n;
	while (k < llen && (line[k] == ' ' || line[k] == '\t'))
		k++;
	return k < llen && line[k] == ':';
}

static int copied_index(const char *line, size_t llen)
{
	for (size_t i = 0; i < sizeof(copied) / sizeof(copied[0]); i++)
		if (name_is(line, llen, copied[i].name) ||
		    (copied[i].compact && name_is(line, llen, copied[i].compact)))
			return (int)i;
	return -1;
}

/* Printable header text only: the reply must not carry control bytes back out. */
static bool printable(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\t')
			return false;
	return true;
}

int csip_stateless_reply(const char *req, size_t len, int code, const char *reason, char *out,
			 size_t out_len)
{
	if (len >= 4 && strncmp(req, "SIP/", 4) == 0)
		return -EINVAL;
	int w = snprintf(out, out_len, "SIP/2.0 %d %s\r\n", code, reason);
	if (w < 0 || (size_t)w >= out_len)
		return -ENOBUFS;
	size_t pos = (size_t)w;
	bool have_via = false, first = true;
	size_t i = 0;
	while (i < len) {
		const char *line = req + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t llen = nl ? (size_t)(nl - line) : len - i;
		i += llen + 1;
		if (llen && line[llen - 1] == '\r')
			llen--;
		if (first) { /* the request line */
			first = false;
			continue;
		}
		if (llen == 0)
			break; /* end of headers */
		int idx = copied_index(line, llen);
		if (idx < 0 || !printable(line, llen))
			continue;
		if (idx == 0)
			have_via = true;
		if (pos + llen + 2 >= out_len)
			return -ENOBUFS;
		memcpy(out + pos, line, llen);
		memcpy(out + pos + llen, "\r\n", 2);
		pos += llen + 2;
	}
	if (!have_via)
		return -EINVAL;
	w = snprintf(out + pos, out_len - pos, "Content-Length: 0\r\n\r\n");
	if (w < 0 || (size_t)w >= out_len - pos)
		return -ENOBUFS;
	return (int)(pos + (size_t)w);
}
