/* Types only: what the document store hands back and what a listing asks for.
 * Return convention: none (types only).
 *
 * Rows are JSON objects whose keys are the SQL column names; jsonb columns arrive parsed,
 * integer and boolean columns as JSON numbers and booleans, the rest as strings.
 */
#ifndef STORE_T_H
#define STORE_T_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum store_status {
	STORE_OK = 0,
	STORE_NOT_FOUND,	/* no such live row (or a parent that is gone) */
	STORE_STALE,		/* the caller's revision is not the current one */
	STORE_DUPLICATE,	/* a unique key is taken (id, realm, callflow number) */
	STORE_UNAVAILABLE,	/* PostgreSQL cannot be reached or the queue is full */
	STORE_ERROR,		/* anything else; error says what */
};

struct store_result {
	enum store_status status;
	const char *error;	/* NULL on success; borrowed, valid during the callback */
	json_t *rows;		/* array of row objects; borrowed, valid during the callback */
	const char *next_start_key; /* listings: where the next page starts, NULL on the last */
	/* Failed statements: the constraint PostgreSQL named and its DETAIL (NULL: none);
	 * borrowed, valid during the callback. */
	const char *constraint;
	const char *detail;
};

typedef void (*store_cb)(void *arg, const struct store_result *res);

#define STORE_MAX_FILTERS 16
#define STORE_MAX_KEY_DEPTH 8
#define STORE_MAX_KEY_LEN 200
#define STORE_PAGE_DEFAULT 50
#define STORE_PAGE_MAX 1000
/* paginate=false still stops somewhere: a listing is never unbounded. */
#define STORE_UNPAGED_MAX 10000

enum store_filter_op {
	STORE_FILTER_EQ,	/* filter_a.b=v: the value at a.b, as text, equals v */
	STORE_FILTER_NE,	/* filter_not_a.b=v: it is absent or differs */
	STORE_FILTER_HAS_KEY,	/* has_key=a.b: a.b is present */
};

struct store_filter {
	enum store_filter_op op;
	const char *key;	/* dotted path into the document ("sip.username") */
	const char *value;	/* NULL for HAS_KEY */
};

struct store_list_query {
	unsigned page_size;	/* 0: STORE_PAGE_DEFAULT */
	bool unpaged;		/* paginate=false */
	const char *start_key;	/* NULL: from the first */
	size_t n_filters;
	struct store_filter filters[STORE_MAX_FILTERS];
	bool has_created_from, has_created_to;
	int64_t created_from, created_to;	/* unix seconds */
};

/* A parameterised statement: sql refers to params as $1..$n. */
#define STORE_SQL_MAX_PARAMS 48
struct store_sql {
	char sql[4096];
	int n_params;
	const char *params[STORE_SQL_MAX_PARAMS];
	/* Storage for parameters that had to be built (text[] literals, numbers): room for
	 * STORE_MAX_FILTERS keys of STORE_MAX_KEY_LEN, every character escaped. */
	char scratch[STORE_MAX_FILTERS * (2 * STORE_MAX_KEY_LEN + 2 * STORE_MAX_KEY_DEPTH + 5) + 128];
	size_t scratch_used;
	unsigned limit;		/* rows wanted; the statement asks one more to find the next page */
};

enum store_relatives {
	STORE_CHILDREN,
	STORE_DESCENDANTS,
	STORE_PARENTS,
};

#endif
