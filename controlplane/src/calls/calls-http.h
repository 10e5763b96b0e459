/* Outgoing HTTP requests with libcurl's multi interface driven by the libuv loop
 * (curl_multi_socket_action from uv_poll and uv_timer handles). Only http and https, also
 * after a redirect; each request has a total time-out.
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: everything runs on the loop thread.
 */
#ifndef CALLS_HTTP_H
#define CALLS_HTTP_H

#include <stddef.h>
#include <uv.h>

struct calls_http;
struct curl_slist;

/* status: the HTTP status (0 when none arrived); error: NULL or why the transfer failed. */
typedef void (*calls_http_done_cb)(void *arg, long status, const char *error);

struct calls_http *calls_http_new(uv_loop_t *loop, long timeout_ms);

/* method "GET", "POST" or "PUT". Takes ownership of headers (a curl list, may be NULL); body
 * (len bytes) must stay valid until cb runs. cb always runs exactly once, from the loop (also
 * when the client closes: status 0, error "closed"). */
int calls_http_send(struct calls_http *h, const char *method, const char *url,
		    struct curl_slist *headers, const char *body, size_t len,
		    calls_http_done_cb cb, void *arg);

unsigned calls_http_active(const struct calls_http *h);

/* Abort every transfer (their callbacks run now), close the handles; frees itself once libuv
 * has closed them. */
void calls_http_close(struct calls_http *h);

#endif
