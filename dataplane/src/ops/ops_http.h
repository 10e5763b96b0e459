/* The few bits of HTTP/1.1 the metrics endpoint needs: judging one request head and writing a
 * response head. No state, no I/O: the server (ops_http_server.c) does the sockets.
 * Return convention: ops_http_parse returns a verdict; ops_http_head returns the head's length
 * or a negative errno (-ENOSPC).
 */
#ifndef BUGLE_OPS_HTTP_H
#define BUGLE_OPS_HTTP_H

#include <stddef.h>

#define OPS_HTTP_MAX_REQUEST 2048	/* a scraper's GET is a few hundred bytes */

enum ops_http_verdict {
	OPS_HTTP_INCOMPLETE = 0,	/* no blank line yet: read more */
	OPS_HTTP_METRICS = 200,		/* GET /metrics (a query string is ignored) */
	OPS_HTTP_BAD_REQUEST = 400,	/* request line or a header line malformed */
	OPS_HTTP_NOT_FOUND = 404,	/* another path */
	OPS_HTTP_METHOD_NOT_ALLOWED = 405,	/* a method other than GET */
	OPS_HTTP_TOO_LARGE = 431,	/* no end of head within max bytes */
	OPS_HTTP_BAD_VERSION = 505,	/* not HTTP/1.0 or HTTP/1.1 */
};

/* Judge the bytes received so far (buf need not be NUL-terminated). max: the most a head may
 * take; past it the verdict is OPS_HTTP_TOO_LARGE. */
enum ops_http_verdict ops_http_parse(const char *buf, size_t len, size_t max);

/* The reason phrase for a status ("OK", "Not Found", ...). */
const char *ops_http_reason(int status);

/* "HTTP/1.1 status reason", Content-Type, Content-Length, Connection: close (and Allow: GET on a
 * 405), then the blank line. */
int ops_http_head(int status, const char *content_type, size_t body_len, char *out, size_t cap);

#endif
