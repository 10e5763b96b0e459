/* Internal to the API: the request pipeline, the reply helpers and the handlers that the route
 * table points at.
 * Return convention: 0 or a negative errno unless said otherwise; handlers return nothing and
 * always end by replying or by having issued exactly one asynchronous call.
 */
#ifndef API_INT_H
#define API_INT_H

#include "api-credentials.h"
#include "api.h"

/* Pipeline (api-pipeline.c) --------------------------------------------------------------*/

struct api_req *api_req_new(struct api_server *api, struct MHD_Connection *conn,
			    const char *method, const char *url);
void api_req_unref(struct api_req *r);
/* Route, authenticate, authorise, then run the handler. */
void api_dispatch(struct api_req *r);
/* A store call was issued with api_store_cb and r as its argument (rc from the call). */
void api_issued(struct api_req *r, int rc);
/* Store callback: keeps the result in r->res and runs the handler's next step. */
void api_store_cb(void *arg, const struct store_result *res);
/* Loads one document through the cache; the handler's next step finds it in r->res. */
void api_load_doc(struct api_req *r, const char *account_id, const char *id);

/* Replies (api-reply.c) ------------------------------------------------------------------*/

/* data and extra are stolen; extra's keys go into the envelope (page_size, next_start_key). */
void api_reply(struct api_req *r, unsigned status, json_t *data, json_t *extra);
void api_reply_error(struct api_req *r, unsigned status, const char *message, json_t *data);
/* The same envelope as api_reply with "data" already JSON text (trusted: it comes from
 * PostgreSQL's own JSON output), spliced in without parsing it. */
void api_reply_data_text(struct api_req *r, unsigned status, const char *data_json,
			 json_t *extra);
/* Crossbar's 400 "invalid data" with the validator's errors (stolen) keyed by field. */
void api_reply_invalid(struct api_req *r, json_t *errors);
/* The reply a failed store call deserves (404, 409, 503, 500). */
void api_reply_store_error(struct api_req *r);
/* A listing's answer from r->res: its rows, or the store's error; page_size (when paged),
 * next_start_key and the request's start_key in the envelope. */
void api_reply_store_page(struct api_req *r);
/* Raw bytes (media download). */
void api_reply_raw(struct api_req *r, unsigned status, const char *content_type,
		   const void *bytes, size_t len);
/* Frees a closing server once its handles are closed and no store call is in flight. */
void api_maybe_free(struct api_server *api);
/* Hands a finished response to libmicrohttpd when the request is waiting for it. */
void api_flush(struct api_req *r);

/* Documents as clients see them: data + id, private fields removed. */
json_t *api_doc_public(const json_t *row);

/* Request bodies (api-doc-body.c) -----------------------------------------------------------*/

/* The envelope from len bytes: 0 with *envelope (owned) and *data (borrowed from it, NULL when
 * absent); -EBADMSG (not JSON, or not an object: "invalid json") or -EINVAL ("data" not an
 * object, nested too deeply: "invalid data") with *why (owned) saying why. */
int api_envelope_parse(const char *body, size_t len, json_t **envelope, json_t **data,
		       json_t **why);
/* PATCH: patch merged into target, objects recursively, null removing a key (RFC 7396). */
void api_merge_patch(json_t *target, const json_t *patch);
/* Removes what clients may not set (pvt_*, _*, id) from an incoming document. */
void api_doc_strip_private(json_t *data);
/* The body to validate: the client's (POST, PUT) or the current one merged with it (PATCH),
 * with what clients may not set removed. New reference; NULL when client is not an object. */
json_t *api_doc_next_body(const json_t *current, const json_t *client, bool patch);
/* Carries the current document's pvt_* fields the new body lacks into it. */
void api_doc_keep_private(json_t *data, const json_t *current);
/* The revision a client states: If-Match header, envelope "revision", or data "_rev";
 * 0 when none. */
int api_client_rev(struct api_req *r);

/* Events and cache (api-events.c) ----------------------------------------------------------*/

void api_announce(struct api_server *api, int kind, const char *account_id, const char *type,
		  const char *id);
int api_events_subscribe(struct api_server *api);
void api_doc_key(char *out, size_t len, const char *account_id, const char *id);

/* Handlers ---------------------------------------------------------------------------------*/

void api_h_user_auth(struct api_req *r);
void api_h_api_auth(struct api_req *r);
void api_h_token_delete(struct api_req *r);
void api_h_openapi(struct api_req *r);

void api_h_account_get(struct api_req *r);
void api_h_account_create(struct api_req *r);
void api_h_account_update(struct api_req *r);
void api_h_account_delete(struct api_req *r);
void api_h_account_relatives(struct api_req *r);
void api_h_account_api_key(struct api_req *r);

void api_h_doc_list(struct api_req *r);
void api_h_doc_create(struct api_req *r);
void api_h_doc_get(struct api_req *r);
void api_h_doc_update(struct api_req *r);
void api_h_doc_delete(struct api_req *r);
void api_h_vmbox_messages(struct api_req *r);
void api_h_media_raw_get(struct api_req *r);
void api_h_media_raw_put(struct api_req *r);
void api_h_cdrs(struct api_req *r);
void api_h_registrations(struct api_req *r);
void api_h_channels(struct api_req *r);
void api_h_channel_get(struct api_req *r);
void api_h_channel_delete(struct api_req *r);
void api_h_system_status(struct api_req *r);
void api_h_system_drain(struct api_req *r);

/* Metrics (api-metrics.c, api-metrics-node.c) ------------------------------------------*/

/* GET /metrics: Prometheus text exposition 0.0.4 of the API and of the node. */
void api_h_metrics(struct api_req *r);
/* Counts one answered request in the latency histogram. */
void api_metrics_observe(struct api_server *api, uint64_t started_ns);
/* Once a second: samples the calls started for the calls-per-second gauge. */
void api_metrics_tick(struct api_server *api);
struct api_expo;
/* The node's families (PostgreSQL, RabbitMQ, calls, SIP) from api->opt.ctx; none without it. */
void api_metrics_node(struct api_server *api, struct api_expo *w);

/* Listing parameters from the query string; 0 or -EINVAL with why. */
int api_list_query(struct api_req *r, struct store_list_query *q, const char **why);
/* One query-string parameter into q (key and v stay borrowed); unknown keys are ignored.
 * 0 or -EINVAL with why. */
int api_list_param(struct store_list_query *q, const char *key, const char *v, const char **why);

/* Moves write-only fields (a webhook's secret) into their pvt_ twin before storing. */
void api_doc_seal_secrets(const char *type, json_t *data);

#endif
