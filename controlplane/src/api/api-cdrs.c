/* GET /v2/accounts/{ID}/cdrs as KAZOO serves it: a creation range (created_from, created_to:
 * gregorian seconds as KAZOO's timestamps, or unix seconds; at most 31 days, the last 31 days
 * by default) read page by page, newest first: page_size (default 50, at most 1000),
 * start_key from the previous answer's next_start_key, paginate=false for everything up to the
 * store's bound. */
#include "api-int.h"
#include "store.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GREGORIAN_UNIX_OFFSET 62167219200LL
#define CDR_RANGE_MAX_S (31LL * 24 * 3600)
/* "YYYYMM-" and a Call-ID (the calls service's ids); fits r->res.next_start_key. */
#define CDR_KEY_MAX 262

struct cdr_query {
	long long from, to;
	unsigned page_size;	/* 0: unpaged */
	const char *start_key;
	const char *why;
};

static bool seconds(const char *v, long long *out)
{
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < 0 || x > 400000000000LL)
		return false;
	*out = x >= GREGORIAN_UNIX_OFFSET ? x - GREGORIAN_UNIX_OFFSET : x;
	return true;
}

/* A CDR id as the calls service builds it: visible ASCII, bounded. */
static bool cdr_key_valid(const char *s)
{
	size_t n = 0;
	for (; s[n]; n++)
		if (s[n] <= ' ' || s[n] > '~' || n >= CDR_KEY_MAX)
			return false;
	return n > 0;
}

static enum MHD_Result arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *v)
{
	struct cdr_query *q = cls;
	(void)kind;
	if (strcmp(key, "created_from") == 0 || strcmp(key, "created_to") == 0) {
		if (!v || !seconds(v, key[8] == 'f' ? &q->from : &q->to))
			q->why = "created_from/created_to take seconds";
	} else if (strcmp(key, "page_size") == 0) {
		char *end;
		long x = v ? strtol(v, &end, 10) : 0;
		if (!v || *end || x < 1 || x > STORE_PAGE_MAX)
			q->why = "page_size must be 1..1000";
		else if (q->page_size)
			q->page_size = (unsigned)x;
	} else if (strcmp(key, "start_key") == 0) {
		if (!v || !cdr_key_valid(v))
			q->why = "start_key is not one this server handed out";
		else
			q->start_key = v;
	} else if (strcmp(key, "paginate") == 0 && v && strcmp(v, "false") == 0) {
		q->page_size = 0;
	}
	return q->why ? MHD_NO : MHD_YES;
}

/* 0, or -EINVAL with q->why. paginate=false wins over page_size whatever their order. */
static int cdr_query(struct api_req *r, struct cdr_query *q)
{
	const char *unpaged = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, "paginate");
	*q = (struct cdr_query){
		.to = (long long)time(NULL) + 1,
		.page_size = unpaged && strcmp(unpaged, "false") == 0 ? 0 : STORE_PAGE_DEFAULT,
	};
	q->from = q->to - CDR_RANGE_MAX_S;
	bool from_given = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND,
						      "created_from") != NULL;
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg, q);
	if (q->why)
		return -EINVAL;
	/* Only created_to given: the 31 days before it. */
	if (!from_given)
		q->from = q->to - CDR_RANGE_MAX_S;
	if (q->from > q->to || q->to - q->from > CDR_RANGE_MAX_S) {
		q->why = "created_from/created_to: a range of at most 31 days";
		return -EINVAL;
	}
	return 0;
}

void api_h_cdrs(struct api_req *r)
{
	if (r->step++ == 0) {
		struct cdr_query q;
		if (cdr_query(r, &q) < 0) {
			api_reply_error(r, 400, "invalid query string",
					json_pack("{s:s}", "message", q.why));
			return;
		}
		r->page_size = q.page_size;
		api_issued(r, store_cdr_list(r->api->opt.pg, r->account_id, q.from, q.to,
					     q.start_key, q.page_size ? q.page_size : STORE_UNPAGED_MAX,
					     api_store_cb, r));
		return;
	}
	api_reply_store_page(r);
}
