/* Listing parameters from the query string, Crossbar's names: page_size, start_key,
 * paginate=false, filter_{key}, filter_not_{key}, has_key, created_from, created_to
 * (gregorian seconds, as KAZOO timestamps are; plain unix seconds are accepted too). */
#include "api-int.h"
#include "store.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#define GREGORIAN_UNIX_OFFSET 62167219200LL

struct parse {
	struct store_list_query *q;
	const char *why;
};

static bool number(const char *v, long long lo, long long hi, long long *out)
{
	if (!v || !*v)
		return false;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (*end || errno || x < lo || x > hi)
		return false;
	*out = x;
	return true;
}

static bool add_filter(struct parse *p, enum store_filter_op op, const char *key, const char *v)
{
	if (p->q->n_filters >= STORE_MAX_FILTERS) {
		p->why = "too many filters";
		return false;
	}
	if (!*key || strlen(key) > 200) {
		p->why = "bad filter key";
		return false;
	}
	p->q->filters[p->q->n_filters++] = (struct store_filter){ op, key, v };
	return true;
}

static enum MHD_Result arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *v)
{
	struct parse *p = cls;
	long long x;
	(void)kind;
	if (strcmp(key, "page_size") == 0) {
		if (!number(v, 1, STORE_PAGE_MAX, &x)) {
			p->why = "page_size must be 1..1000";
			return MHD_NO;
		}
		p->q->page_size = (unsigned)x;
	} else if (strcmp(key, "start_key") == 0) {
		if (!v || !store_id_valid(v)) {
			p->why = "start_key is not one this server handed out";
			return MHD_NO;
		}
		p->q->start_key = v;
	} else if (strcmp(key, "paginate") == 0) {
		p->q->unpaged = v && strcmp(v, "false") == 0;
	} else if (strcmp(key, "has_key") == 0) {
		if (!v || !add_filter(p, STORE_FILTER_HAS_KEY, v, NULL))
			return p->why = p->why ? p->why : "has_key needs a key", MHD_NO;
	} else if (strncmp(key, "filter_not_", 11) == 0) {
		if (!add_filter(p, STORE_FILTER_NE, key + 11, v ? v : ""))
			return MHD_NO;
	} else if (strncmp(key, "filter_", 7) == 0) {
		if (!add_filter(p, STORE_FILTER_EQ, key + 7, v ? v : ""))
			return MHD_NO;
	} else if (strcmp(key, "created_from") == 0 || strcmp(key, "created_to") == 0) {
		if (!number(v, 0, 400000000000LL, &x)) {
			p->why = "created_from/created_to take seconds";
			return MHD_NO;
		}
		if (x >= GREGORIAN_UNIX_OFFSET)
			x -= GREGORIAN_UNIX_OFFSET;
		if (key[8] == 'f') {
			p->q->has_created_from = true;
			p->q->created_from = x;
		} else {
			p->q->has_created_to = true;
			p->q->created_to = x;
		}
	}
	return MHD_YES;
}

int api_list_query(struct api_req *r, struct store_list_query *q, const char **why)
{
	memset(q, 0, sizeof(*q));
	struct parse p = { .q = q };
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, arg, &p);
	if (p.why) {
		*why = p.why;
		return -EINVAL;
	}
	return 0;
}
