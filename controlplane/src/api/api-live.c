/* Read-only resources from their own tables: live registrations and channels, and the raw
 * bytes of media files (CDRs: api-cdrs.c). */
#include "api-int.h"
#include "calls.h"
#include "store.h"

#include <errno.h>
#include <microhttpd.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void reply_rows(struct api_req *r)
{
	if (r->res.status != STORE_OK)
		api_reply_store_error(r);
	else
		api_reply(r, 200, json_incref(r->res.rows), NULL);
}

void api_h_registrations(struct api_req *r)
{
	if (r->step++ == 0) {
		api_issued(r, store_registration_list(r->api->opt.pg, r->account_id, api_store_cb, r));
		return;
	}
	reply_rows(r);
}

/* Live channels of the account on every node (the calls service hears the others' events). */
void api_h_channels(struct api_req *r)
{
	const struct calls_service *calls = r->api->opt.calls;
	api_reply(r, 200, calls ? calls_channels_json(calls, r->account_id) : json_array(), NULL);
}

void api_h_channel_get(struct api_req *r)
{
	const struct calls_service *calls = r->api->opt.calls;
	const json_t *ch = calls ? calls_channel_find(calls, r->account_id, r->doc_id) : NULL;
	if (!ch) {
		api_reply_error(r, 404, "not found", json_pack("{s:s}", "message", "no such channel"));
		return;
	}
	api_reply(r, 200, json_deep_copy(ch), NULL);
}

/* Ends the call wherever it runs: this node's controller, or the owning node over the bus. */
void api_h_channel_delete(struct api_req *r)
{
	struct calls_service *calls = r->api->opt.calls;
	int rc = calls ? calls_hangup(calls, r->account_id, r->doc_id) : -ENOTSUP;
	if (rc == -ENOENT) {
		api_reply_error(r, 404, "not found", json_pack("{s:s}", "message", "no such channel"));
	} else if (rc < 0) {
		api_reply_error(r, 503, "call control unavailable",
				json_pack("{s:s}", "message", "this node cannot end calls"));
	} else {
		api_reply(r, 200, json_pack("{s:s,s:s}", "call_id", r->doc_id, "status", "hangup"),
			  NULL);
	}
}

void api_h_media_raw_put(struct api_req *r)
{
	if (r->step++ == 0) {
		const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
							     "Content-Type");
		if (!ct || strncmp(ct, "audio/", 6) != 0 || strlen(ct) > 64 || !r->body_len) {
			api_reply_error(r, 400, "invalid data",
					json_pack("{s:s}", "message",
						  "send the file as the body with an audio/* "
						  "Content-Type"));
			return;
		}
		api_issued(r, store_media_put(r->api->opt.pg, r->account_id, r->doc_id, ct, r->body,
					      r->body_len, api_store_cb, r));
		return;
	}
	reply_rows(r);
}

void api_h_media_raw_get(struct api_req *r)
{
	if (r->step++ == 0) {
		api_issued(r, store_media_get(r->api->opt.pg, r->account_id, r->doc_id, api_store_cb,
					      r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	const json_t *row = json_array_get(r->res.rows, 0);
	const char *b64 = json_string_value(json_object_get(row, "base64"));
	size_t cap = strlen(b64), len = 0;
	unsigned char *bytes = malloc(cap + 1);
	if (!bytes || sodium_base642bin(bytes, cap, b64, cap, "\n", &len, NULL,
					sodium_base64_VARIANT_ORIGINAL) != 0) {
		free(bytes);
		api_reply_error(r, 500, "datastore fault", NULL);
		return;
	}
	api_reply_raw(r, 200, json_string_value(json_object_get(row, "content_type")), bytes, len);
	free(bytes);
}
