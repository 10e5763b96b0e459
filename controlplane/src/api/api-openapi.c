/* The OpenAPI 3 document, generated from the route table and the schemas, so it cannot drift
 * from what the server does. */
#include "api-int.h"
#include "jschema.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const method_names[] = { "get", "put", "post", "patch", "delete" };

static int add_schema(const char *id, const json_t *schema, void *arg)
{
	json_object_set_new(arg, id, json_deep_copy(schema));
	return 0;
}

static void add_operation(json_t *paths, const char *path, const struct api_route *rt,
			  const struct api_resource *res)
{
	json_t *item = json_object_get(paths, path);
	if (!item) {
		item = json_object();
		json_object_set_new(paths, path, item);
	}
	for (unsigned m = 0; m < 5; m++) {
		if (!(rt->methods & (1u << m)))
			continue;
		json_t *op = json_pack("{s:s, s:{s:{s:s}}}", "summary", rt->summary, "responses",
				       "200", "description", "Crossbar envelope");
		if (rt->auth)
			json_object_set_new(op, "security", json_pack("[{s:[]}]", "token"));
		const char *schema = res ? res->schema : rt->schema;
		if (schema && (1u << m) & (API_PUT | API_POST | API_PATCH)) {
			char ref[96];
			snprintf(ref, sizeof(ref), "#/components/schemas/%s", schema);
			json_object_set_new(
				op, "requestBody",
				json_pack("{s:{s:{s:{s:{s:{s:s}}}}}}", "content", "application/json",
					  "schema", "properties", "data", "$ref", ref));
		}
		json_object_set_new(item, method_names[m], op);
	}
}

json_t *api_openapi(const struct jschema_registry *schemas)
{
	json_t *paths = json_object(), *components = json_object();
	size_t nr, nres;
	const struct api_route *routes = api_routes(&nr);
	const struct api_resource *resources = api_resources(&nres);
	for (size_t i = 0; i < nr; i++) {
		const char *at = strstr(routes[i].pattern, "{RESOURCE}");
		if (!at) {
			add_operation(paths, routes[i].pattern, &routes[i], NULL);
			continue;
		}
		for (size_t k = 0; k < nres; k++) {
			char path[160];
			snprintf(path, sizeof(path), "%.*s%s%s", (int)(at - routes[i].pattern),
				 routes[i].pattern, resources[k].path, at + strlen("{RESOURCE}"));
			add_operation(paths, path, &routes[i], &resources[k]);
		}
	}
	if (schemas)
		jschema_registry_foreach(schemas, add_schema, components);
	return json_pack("{s:s, s:{s:s, s:s}, s:[{s:s}], s:o, s:{s:o, s:{s:{s:s, s:s, s:s}}}}",
			 "openapi", "3.0.3", "info", "title", "Bugle REST API (Crossbar v2)",
			 "version", "2", "servers", "url", "/", "paths", paths, "components",
			 "schemas", components, "securitySchemes", "token", "type", "apiKey", "in",
			 "header", "name", "X-Auth-Token");
}

void api_h_openapi(struct api_req *r)
{
	/* The bare document, not the envelope: OpenAPI tools read it as is. */
	json_t *doc = api_openapi(r->api->opt.schemas);
	char *text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (!text) {
		api_reply_error(r, 500, "out of memory", NULL);
		return;
	}
	api_reply_raw(r, 200, "application/json", text, strlen(text));
	free(text);
}
