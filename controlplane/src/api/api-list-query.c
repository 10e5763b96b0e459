/* Listing parameters from the query string, Crossbar's names: page_size, start_key,
 * paginate=false, filter_{key}, filter_not_{key}, has_key, created_from, created_to
 * (gregorian seconds, as KAZOO timestamps are; plain unix seconds are accepted too). */
#include "api-int.h"
#include "store.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdint.h>
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

/* PostgreSQL refuses text that is not UTF-8 with an error; refused here it is the client's 400. */
static bool utf8_valid(const unsigned char *s)
{
	while (*s) {
		unsigned n, c = *s;
		uint32_t cp;
		if (c < 0x80) {
			s++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1, cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2, cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3, cp = c & 0x07;
		} else {
			return false;
		}
		for (unsigned i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i] & 0x3f);
		}
		/* overlong forms, surrogates and beyond U+10FFFF */
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return false;
		s += n + 1;
	}
	return true;
}

/* The key is checked here by the store's own rule, so that a listing the API accepted is one
 * the store can always build (a refusal there would look like an outage). */
static int add_filter(struct store_list_query *q, enum store_filter_op op, const char *key,
		      const char *v, const char **why)
{
	if (q->n_filters >= STORE_MAX_FILTERS) {
		*why = "too many filters";
		return -EINVAL;
	}
	if (!store_filter_key_valid(key)) {
		*why = "bad filter key";
		return -EINVAL;
	}
	q->filters[q->n_filters++] = (struct store_filter){ op, key, v };
	return 0;
}

int api_list_param(struct store_list_query *q, const char *key, const char *v, const char **why)
{
	long long x;
	if (!utf8_valid((const unsigned char *)key) || (v && !utf8_valid((const unsigned char *)v))) {
		*why = "parameters must be UTF-8";
		return -EINVAL;
	}
	if (strcmp(key, "page_size") == 0) {
		if (!number(v, 1, STORE_PAGE_MAX, &x)) {
			*why = "page_size must be 1..1000";
			return -EINVAL;
		}
		q->page_size = (unsigned)x;
	} else if (strcmp(key, "start_key") == 0) {
		if (!v || !store_id_valid(v)) {
			*why = "start_key is not one this server handed out";
			return -EINVAL;
		}
		q->start_key = v;
	} else if (strcmp(key, "paginate") == 0) {
		q->unpaged = v && strcmp(v, "false") == 0;
	} else if (strcmp(key, "has_key") == 0) {
		if (!v) {
			*why = "has_key needs a key";
			return -EINVAL;
		}
		return add_filter(q, STORE_FILTER_HAS_KEY, v, NULL, why);
	} else if (strncmp(key, "filter_not_", 11) == 0) {
		return add_filter(q, STORE_FILTER_NE, key + 11, v ? v : "", why);
	} else if (strncmp(key, "filter_", 7) == 0) {
		return add_filter(q, STORE_FILTER_EQ, key + 7, v ? v : "", why);
	} else if (strcmp(key, "created_from") == 0 || strcmp(key, "created_to") == 0) {
		if (!number(v, 0, 400000000000LL, &x)) {
			*why = "created_from/created_to take seconds";
			return -EINVAL;
		}
		if (x >= GREGORIAN_UNIX_OFFSET)
			x -= GREGORIAN_UNIX_OFFSET;
		if (key[8] == 'f') {
			q->has_created_from = true;
			q->created_from = x;
		} else {
			q->has_created_to = true;
			q->created_to = x;
		}
	}
	return 0;
}

static enum MHD_Result arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *v)
{
	struct parse *p = cls;
	(void)kind;
	return api_list_param(p->q, key, v, &p->why) == 0 ? MHD_YES : MHD_NO;
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
