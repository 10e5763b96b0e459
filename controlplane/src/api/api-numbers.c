/* /v2/accounts/{ID}/phone_numbers: the account's numbers listed page by page (page_size,
 * start_key, next_start_key, paginate=false, as the other listings), one read, assigned by hand
 * (PUT, optional "state": in_service or reserved; 409 number_exists when another account holds
 * it) and released (DELETE; 409 number_in_use while a callflow of the account names it). */
#include "api-int.h"
#include "api-numbers.h"
#include "store.h"

#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* KAZOO's knm error: the envelope's message is the error's name, data says code, name, cause
 * and what happened. */
static void reply_knm_error(struct api_req *r, const char *name, const char *number,
			    const char *what)
{
	char message[128];
	snprintf(message, sizeof(message), "number %s %s", number, what);
	api_reply_error(r, 409, name,
			json_pack("{s:i, s:s, s:s, s:s}", "code", 409, "error", name, "cause",
				  number, "message", message));
}

void api_reply_number_taken(struct api_req *r, const char *number)
{
	reply_knm_error(r, "number_exists", number, "is in use by another account");
}

/* The path's number in E.164 into out; false after replying 400. */
static bool path_number(struct api_req *r, char out[API_NUMBER_MAX])
{
	if (api_number_e164(r->doc_id, out) == 0)
		return true;
	api_reply_error(r, 400, "invalid number",
			json_pack("{s:s, s:s}", "message",
				  "not a phone number: E.164 (+ and 7 to 15 digits) or 10/11-digit NANP",
				  "cause", r->doc_id));
	return false;
}

/* A store row as clients see it: without the outcome column. */
static json_t *number_public(const json_t *row)
{
	json_t *data = json_deep_copy(row);
	json_object_del(data, "outcome");
	return data;
}

/* Listing parameters: page_size (1..1000), start_key (a number, as next_start_key gave it),
 * paginate=false; others are ignored. */
struct numbers_query {
	unsigned page_size;	/* 0: unpaged */
	bool has_start;
	char start[API_NUMBER_MAX];
	const char *why;
};

static enum MHD_Result list_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				const char *v)
{
	struct numbers_query *q = cls;
	(void)kind;
	if (strcmp(key, "page_size") == 0) {
		char *end;
		long x = v ? strtol(v, &end, 10) : 0;
		if (!v || *end || x < 1 || x > STORE_PAGE_MAX)
			q->why = "page_size must be 1..1000";
		else if (q->page_size)
			q->page_size = (unsigned)x;
	} else if (strcmp(key, "start_key") == 0) {
		if (!v || api_number_e164(v, q->start) < 0)
			q->why = "start_key is not a phone number";
		q->has_start = true;
	}
	return q->why ? MHD_NO : MHD_YES;
}

void api_h_numbers_list(struct api_req *r)
{
	if (r->step++ == 0) {
		/* paginate=false wins over page_size whatever their order */
		const char *paginate =
			MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "paginate");
		struct numbers_query q = {
			.page_size = paginate && strcmp(paginate, "false") == 0 ? 0
									     : STORE_PAGE_DEFAULT,
		};
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, list_arg, &q);
		if (q.why) {
			api_reply_error(r, 400, "invalid query string",
					json_pack("{s:s}", "message", q.why));
			return;
		}
		r->page_size = q.page_size;
		api_issued(r, store_number_list(r->api->opt.pg, r->account_id,
						q.has_start ? q.start : NULL,
						q.page_size ? q.page_size : STORE_UNPAGED_MAX,
						api_store_cb, r));
		return;
	}
	api_reply_store_page(r);
}

void api_h_number_get(struct api_req *r)
{
	char number[API_NUMBER_MAX];
	if (!path_number(r, number))
		return;
	if (r->step++ == 0) {
		api_issued(r, store_number_get(r->api->opt.pg, r->account_id, number, api_store_cb,
					       r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	api_reply(r, 200, number_public(json_array_get(r->res.rows, 0)), NULL);
}

/* The body's "state" (NULL: none given) into *state; false after replying 400. */
static bool body_state(struct api_req *r, const char **state)
{
	const json_t *v = json_object_get(r->req_data, "state");
	*state = NULL;
	if (!v)
		return true;
	const char *s = json_string_value(v);
	if (s && (strcmp(s, "in_service") == 0 || strcmp(s, "reserved") == 0)) {
		*state = s;
		return true;
	}
	api_reply_error(r, 400, "invalid data",
			json_pack("{s:{s:{s:s}}}", "state", "enum", "message",
				  "value is not one of: in_service, reserved"));
	return false;
}

void api_h_number_assign(struct api_req *r)
{
	char number[API_NUMBER_MAX];
	if (!path_number(r, number))
		return;
	if (r->step++ == 0) {
		const char *state;
		if (!body_state(r, &state))
			return;
		api_issued(r, store_number_assign(r->api->opt.pg, r->account_id, number, state,
						  api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	const json_t *row = json_array_get(r->res.rows, 0);
	const char *outcome = json_string_value(json_object_get(row, "outcome"));
	if (outcome && strcmp(outcome, "taken") == 0) {
		api_reply_number_taken(r, number);
		return;
	}
	api_reply(r, outcome && strcmp(outcome, "created") == 0 ? 201 : 200, number_public(row),
		  NULL);
}

void api_h_number_release(struct api_req *r)
{
	char number[API_NUMBER_MAX];
	if (!path_number(r, number))
		return;
	if (r->step++ == 0) {
		api_issued(r, store_number_release(r->api->opt.pg, r->account_id, number,
						   api_store_cb, r));
		return;
	}
	if (r->res.status != STORE_OK) {
		api_reply_store_error(r);
		return;
	}
	const char *outcome =
		json_string_value(json_object_get(json_array_get(r->res.rows, 0), "outcome"));
	if (outcome && strcmp(outcome, "released") == 0)
		api_reply(r, 200, json_pack("{s:s, s:b}", "id", number, "_deleted", 1), NULL);
	else if (outcome && strcmp(outcome, "in_use") == 0)
		reply_knm_error(r, "number_in_use", number, "is used by a callflow of this account");
	else
		api_reply_error(r, 404, "bad identifier",
				json_pack("{s:s, s:s}", "message", "the account holds no such number",
					  "cause", number));
}
