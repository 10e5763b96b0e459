/* The Crossbar-compatible REST API server (libmicrohttpd on the control plane's libuv loop).
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno;
 * handlers answer through the reply helpers, never by return value.
 */
#ifndef API_H
#define API_H

#include "api-t.h"

struct api_server *api_server_new(uv_loop_t *loop, const struct api_options *opt);
/* Listen on opt->listen and start serving. */
int api_server_start(struct api_server *api);
/* Stop listening, drop every connection, close the handles; frees itself once libuv has
 * closed them and then calls on_closed (may be NULL). */
void api_server_close(struct api_server *api, void (*on_closed)(void *arg), void *arg);

/* The route and resource tables (also what the OpenAPI document is built from). */
const struct api_route *api_routes(size_t *count);
const struct api_resource *api_resources(size_t *count);
const struct api_resource *api_resource_by_path(const char *path);

/* Matches method and path (split into segments) to a route, filling r's routing fields.
 * Returns 0, -ENOENT (no route: 404), -EPERM (path known, method not: 405) or -EINVAL
 * (an id in the path is not a valid id: 404 with "bad identifier"). */
int api_route_match(struct api_req *r);

/* The OpenAPI 3 description of every route, with the schemas' definitions. */
json_t *api_openapi(const struct jschema_registry *schemas);

#endif
