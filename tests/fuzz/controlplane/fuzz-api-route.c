/* libFuzzer target for the API's route matcher: any method and path (ids, traversal, percent
 * leftovers, deep or empty segments) must route to nothing or to a route whose captures are
 * well-formed: ids exactly 32 lower-case hex digits, a resource from the table. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api-int.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const methods[] = { "GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "" };

/* A routed request's captures must be segments of its path, never something longer. */
static void check_capture(const struct api_req *r, const char *cap)
{
	if (!cap)
		return;
	for (size_t i = 0; i < r->n_segments && i < API_MAX_SEGMENTS; i++)
		if (r->segments[i] == cap)
			return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	/* libmicrohttpd hands over a NUL-terminated, already percent-decoded path. */
	char *url = malloc(size);
	if (!url)
		return 0;
	memcpy(url, data + 1, size - 1);
	url[size - 1] = '\0';
	const char *method = methods[data[0] % (sizeof(methods) / sizeof(methods[0]))];
	struct api_req *r = api_req_new(NULL, NULL, method, url);
	if (!r) {
		free(url);
		return 0;
	}
	int rc = api_route_match(r);
	if (rc == 0) {
		if (!r->route || !(r->route->methods & r->method))
			abort();
		if (strstr(r->route->pattern, "{ACCOUNT_ID}") &&
		    (!r->account_id || !store_id_valid(r->account_id)))
			abort();
		if (strstr(r->route->pattern, "{ID}") && (!r->doc_id || !store_id_valid(r->doc_id)))
			abort();
		if (strstr(r->route->pattern, "{RESOURCE}") &&
		    (!r->resource || api_resource_by_path(r->resource->path) != r->resource))
			abort();
		check_capture(r, r->account_id);
		check_capture(r, r->doc_id);
		check_capture(r, r->sub);
		/* Nothing that routes may carry a traversal or an empty segment. */
		for (size_t i = 0; i < r->n_segments; i++)
			if (!*r->segments[i] || strcmp(r->segments[i], "..") == 0 ||
			    strchr(r->segments[i], '/'))
				abort();
	} else if (rc != -ENOENT && rc != -EPERM && rc != -EINVAL) {
		abort();
	}
	api_req_unref(r);
	free(url);
	return 0;
}
