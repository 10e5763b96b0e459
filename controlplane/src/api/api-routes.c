/* The one table of API routes and of the document types served generically. A new resource
 * is one line in resources[]; a new endpoint is one line in routes[]. The OpenAPI document is
 * generated from both. */
#include "api-int.h"
#include "api-numbers.h"
#include "store.h"

#include <errno.h>
#include <string.h>

static const struct api_resource resources[] = {
	{ "users", "user", "users" },
	{ "devices", "device", "devices" },
	{ "callflows", "callflow", "callflows" },
	{ "vmboxes", "vmbox", "vmboxes" },
	{ "menus", "menu", "menus" },
	{ "media", "media", "media" },
	{ "temporal_rules", "temporal_rule", "temporal_rules" },
	{ "temporal_rules_sets", "temporal_rule_set", "temporal_rules_sets" },
	{ "conferences", "conference", "conferences" },
	{ "groups", "group", "groups" },
	{ "resources", "resource", "resources" },
	{ "lists", "list", "lists" },
	{ "limits", "limits", "limits" },
	{ "webhooks", "webhook", "webhooks" },
	{ "faxboxes", "faxbox", "faxboxes" },
};

#define ACCT "/v2/accounts/{ACCOUNT_ID}"
static const struct api_route routes[] = {
	{ API_PUT, "/v2/user_auth", api_h_user_auth, false, NULL, "Log in with user credentials" },
	{ API_PUT, "/v2/api_auth", api_h_api_auth, false, NULL, "Log in with an account's API key" },
	{ API_DELETE, "/v2/token_auth", api_h_token_delete, true, NULL, "Log out (revoke the token)" },
	{ API_GET, "/v2/openapi.json", api_h_openapi, false, NULL, "This description" },
	/* Prometheus scrapes without a token; the API listens on loopback by default. */
	{ API_GET, "/metrics", api_h_metrics, false, NULL, "Prometheus metrics of this node" },
	{ API_GET, "/v2/system/status", api_h_system_status, false, NULL, "This node: health and load" },
	{ API_PUT, "/v2/system/drain", api_h_system_drain, true, NULL, "Refuse or take new calls" },
	{ API_GET, ACCT, api_h_account_get, true, NULL, "Read an account" },
	{ API_PUT, ACCT, api_h_account_create, true, "accounts", "Create a child account" },
	{ API_POST | API_PATCH, ACCT, api_h_account_update, true, "accounts", "Replace or patch an account" },
	{ API_DELETE, ACCT, api_h_account_delete, true, NULL, "Delete an account and its subtree" },
	{ API_GET, ACCT "/children", api_h_account_relatives, true, NULL, "Direct children" },
	{ API_GET, ACCT "/descendants", api_h_account_relatives, true, NULL, "Every account below" },
	{ API_GET, ACCT "/parents", api_h_account_relatives, true, NULL, "Ancestors, root first" },
	{ API_GET, ACCT "/tree", api_h_account_relatives, true, NULL, "Ancestors, root first" },
	{ API_GET, ACCT "/api_key", api_h_account_api_key, true, NULL, "The account's API key" },
	{ API_GET, ACCT "/cdrs", api_h_cdrs, true, NULL, "Call detail records by creation range" },
	{ API_GET, ACCT "/registrations", api_h_registrations, true, NULL, "Live SIP registrations" },
	{ API_GET, ACCT "/channels", api_h_channels, true, NULL, "Live channels" },
	{ API_GET, ACCT "/channels/{CALL_ID}", api_h_channel_get, true, NULL, "One live channel" },
	{ API_DELETE, ACCT "/channels/{CALL_ID}", api_h_channel_delete, true, NULL,
	  "Hang up a live channel (BYE to both legs)" },
	{ API_GET, ACCT "/vmboxes/{ID}/messages", api_h_vmbox_messages, true, NULL,
	  "A voicemail box's messages" },
	{ API_GET, ACCT "/media/{ID}/raw", api_h_media_raw_get, true, NULL, "Download a media file" },
	{ API_POST | API_PUT, ACCT "/media/{ID}/raw", api_h_media_raw_put, true, NULL,
	  "Upload a media file" },
	{ API_GET, ACCT "/phone_numbers", api_h_numbers_list, true, NULL, "The account's phone numbers" },
	{ API_GET, ACCT "/phone_numbers/{NUMBER}", api_h_number_get, true, NULL, "One phone number" },
	{ API_PUT, ACCT "/phone_numbers/{NUMBER}", api_h_number_assign, true, NULL,
	  "Assign a phone number to the account (409 number_exists when another holds it)" },
	{ API_DELETE, ACCT "/phone_numbers/{NUMBER}", api_h_number_release, true, NULL,
	  "Release a phone number (409 number_in_use while a callflow names it)" },
	{ API_GET, ACCT "/{RESOURCE}", api_h_doc_list, true, NULL, "List documents" },
	{ API_PUT, ACCT "/{RESOURCE}", api_h_doc_create, true, NULL, "Create a document" },
	{ API_GET, ACCT "/{RESOURCE}/{ID}", api_h_doc_get, true, NULL, "Read a document" },
	{ API_POST | API_PATCH, ACCT "/{RESOURCE}/{ID}", api_h_doc_update, true, NULL,
	  "Replace (POST) or merge (PATCH, null deletes a key) a document" },
	{ API_DELETE, ACCT "/{RESOURCE}/{ID}", api_h_doc_delete, true, NULL, "Delete a document" },
};
#undef ACCT

#define N(a) (sizeof(a) / sizeof((a)[0]))

const struct api_route *api_routes(size_t *count)
{
	*count = N(routes);
	return routes;
}

const struct api_resource *api_resources(size_t *count)
{
	*count = N(resources);
	return resources;
}

const struct api_resource *api_resource_by_path(const char *path)
{
	for (size_t i = 0; i < N(resources); i++)
		if (strcmp(resources[i].path, path) == 0)
			return &resources[i];
	return NULL;
}

/* A path segment (already %-decoded) of 1 to max bytes, each from lowest to '~'. */
static bool segment_within(const char *s, char lowest, size_t max)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] < lowest || s[n] > '~' || n >= max)
			return false;
	return n > 0;
}

/* A SIP Call-ID: visible ASCII, at most 255 bytes. */
static bool call_id_valid(const char *s)
{
	return segment_within(s, '!', 255);
}

/* A phone number as people write one ("+1 (555) 123-0000"): printable ASCII, bounded; its
 * handler applies the numbering rules (400). */
static bool number_spelling_valid(const char *s)
{
	return segment_within(s, ' ', 64);
}

/* The placeholders of a pattern that capture the request's id, each with its segment's check. */
typedef bool segment_check_fn(const char *segment);
static const struct {
	const char *placeholder;
	segment_check_fn *valid;
} id_captures[] = {
	{ "{ID}", store_id_valid },
	{ "{CALL_ID}", call_id_valid },
	{ "{NUMBER}", number_spelling_valid },
};

/* The check of the id placeholder a pattern segment is, or NULL when it is none. */
static segment_check_fn *id_check(const char *placeholder)
{
	for (size_t i = 0; i < N(id_captures); i++)
		if (strcmp(id_captures[i].placeholder, placeholder) == 0)
			return id_captures[i].valid;
	return NULL;
}

/* Compares one route's pattern with the request's segments; on a match fills the captures.
 * Returns 1 match, 0 no match, -EINVAL when it matched but an id is malformed. */
static int match_pattern(struct api_req *r, const char *pattern)
{
	char buf[128];
	size_t len = strlen(pattern);
	if (len >= sizeof(buf))
		return 0;
	memcpy(buf, pattern + 1, len);
	const char *account = NULL, *id = NULL, *sub = NULL;
	const struct api_resource *res = NULL;
	size_t i = 0;
	bool bad_id = false;
	for (char *save = NULL, *p = strtok_r(buf, "/", &save); p; p = strtok_r(NULL, "/", &save), i++) {
		if (i >= r->n_segments)
			return 0;
		const char *seg = r->segments[i];
		segment_check_fn *valid = id_check(p);
		if (strcmp(p, "{ACCOUNT_ID}") == 0) {
			account = seg;
			bad_id |= !store_id_valid(seg);
		} else if (valid) {
			id = seg;
			bad_id |= !valid(seg);
		} else if (strcmp(p, "{RESOURCE}") == 0) {
			res = api_resource_by_path(seg);
			if (!res)
				return 0;
		} else if (strcmp(p, seg) != 0) {
			return 0;
		} else if (i >= 2) {
			sub = seg;
		}
	}
	if (i != r->n_segments)
		return 0;
	if (bad_id)
		return -EINVAL;
	r->account_id = account;
	r->doc_id = id;
	r->resource = res;
	r->sub = sub;
	return 1;
}

int api_route_match(struct api_req *r)
{
	bool path_known = false;
	for (size_t i = 0; i < N(routes); i++) {
		int m = match_pattern(r, routes[i].pattern);
		if (m < 0)
			return m;
		if (m == 0)
			continue;
		if (routes[i].methods & r->method) {
			r->route = &routes[i];
			return 0;
		}
		path_known = true;
	}
	return path_known ? -EPERM : -ENOENT;
}
