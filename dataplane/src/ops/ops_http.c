/* Strict on the request line (a scraper sends a tidy one), tolerant of headers it does not
 * need: each must still look like "name: value" so that garbage is refused with a 400. */
#include "ops_http.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* RFC 9110 tchar: the characters of a method or a header name. */
static bool tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* Offset just past the blank line ending the head, or 0 when there is none yet. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* One line [p, eol) without its CR LF. */
static size_t line_len(const char *p, const char *end, const char **next)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl)
		nl = end;
	*next = nl < end ? nl + 1 : end;
	size_t n = (size_t)(nl - p);
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

static bool header_ok(const char *p, size_t n)
{
	size_t i = 0;
	while (i < n && tchar(p[i]))
		i++;
	/* No name, a space before the colon, or an obsolete line folding: all 400 (RFC 9112 5.1). */
	if (i == 0 || i >= n || p[i] != ':')
		return false;
	for (size_t k = i + 1; k < n; k++)
		if ((unsigned char)p[k] < 0x20 && p[k] != '\t')
			return false;
	return true;
}

enum ops_http_verdict ops_http_parse(const char *buf, size_t len, size_t max)
{
	size_t end = head_end(buf, len < max ? len : max);
	if (!end)
		return len >= max ? OPS_HTTP_TOO_LARGE : OPS_HTTP_INCOMPLETE;
	const char *p = buf, *stop = buf + end, *next;
	size_t n = line_len(p, stop, &next);

	/* method SP request-target SP HTTP-version */
	size_t m = 0;
	while (m < n && tchar(p[m]))
		m++;
	if (m == 0 || m >= n || p[m] != ' ')
		return OPS_HTTP_BAD_REQUEST;
	const char *target = p + m + 1;
	const char *sp = memchr(target, ' ', n - m - 1);
	if (!sp || sp == target || *target != '/')
		return OPS_HTTP_BAD_REQUEST;
	size_t tlen = (size_t)(sp - target);
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)target[i] <= 0x20 || (unsigned char)target[i] >= 0x7f)
			return OPS_HTTP_BAD_REQUEST;
	const char *ver = sp + 1;
	size_t vlen = n - (size_t)(ver - p);
	if (vlen != 8 || memcmp(ver, "HTTP/", 5) != 0 || ver[6] != '.')
		return OPS_HTTP_BAD_REQUEST;
	if (memcmp(ver, "HTTP/1.1", 8) != 0 && memcmp(ver, "HTTP/1.0", 8) != 0)
		return OPS_HTTP_BAD_VERSION;

	for (p = next; p < stop;) {
		size_t hl = line_len(p, stop, &next);
		if (hl == 0)
			break;	/* the blank line */
		if (!header_ok(p, hl))
			return OPS_HTTP_BAD_REQUEST;
		p = next;
	}

	size_t path = 0;
	while (path < tlen && target[path] != '?')
		path++;
	bool metrics = path == 8 && memcmp(target, "/metrics", 8) == 0;
	if (!metrics)
		return OPS_HTTP_NOT_FOUND;
	if (m != 3 || memcmp(buf, "GET", 3) != 0)
		return OPS_HTTP_METHOD_NOT_ALLOWED;
	return OPS_HTTP_METRICS;
}

const char *ops_http_reason(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return "Unknown";
	}
}

int ops_http_head(int status, const char *content_type, size_t body_len, char *out, size_t cap)
{
	int n = snprintf(out, cap,
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
			 "%sConnection: close\r\n\r\n",
			 status, ops_http_reason(status), content_type, body_len,
			 status == 405 ? "Allow: GET\r\n" : "");
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}
