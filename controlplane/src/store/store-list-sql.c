/* The listing statement: filters become predicates on the JSONB body whose keys and values are
 * all bound parameters (a dotted key travels as a text[] path), so the statement text depends
 * only on which kinds of filter were asked for, never on their contents. */
#include "store.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int append(struct store_sql *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int append(struct store_sql *s, const char *fmt, ...)
{
	size_t used = strlen(s->sql);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(s->sql + used, sizeof(s->sql) - used, fmt, ap);
	va_end(ap);
	return (n < 0 || (size_t)n >= sizeof(s->sql) - used) ? -ENOSPC : 0;
}

/* Returns the parameter's number, or a negative errno. */
static int bind_param(struct store_sql *s, const char *value)
{
	if (s->n_params >= STORE_SQL_MAX_PARAMS)
		return -E2BIG;
	s->params[s->n_params++] = value;
	return s->n_params;
}

static char *scratch(struct store_sql *s, size_t need)
{
	if (need > sizeof(s->scratch) - s->scratch_used)
		return NULL;
	char *p = s->scratch + s->scratch_used;
	s->scratch_used += need;
	return p;
}

bool store_filter_key_valid(const char *dotted)
{
	size_t len = dotted ? strlen(dotted) : 0;
	if (len == 0 || len > STORE_MAX_KEY_LEN)
		return false;
	unsigned depth = 1;
	for (const char *c = dotted; *c; c++)
		if (*c == '.' && (c == dotted || c[1] == '\0' || c[1] == '.' ||
				  ++depth > STORE_MAX_KEY_DEPTH))
			return false;
	return true;
}

/* "sip.username" -> {"sip","username"}: a text[] literal with every element quoted. */
static const char *path_literal(struct store_sql *s, const char *dotted)
{
	if (!store_filter_key_valid(dotted))
		return NULL;
	/* Worst case: every character escaped, every dot a "," separator, the braces and NUL. */
	char *out = scratch(s, 2 * strlen(dotted) + 2 * STORE_MAX_KEY_DEPTH + 5);
	if (!out)
		return NULL;
	char *w = out;
	*w++ = '{';
	*w++ = '"';
	for (const char *c = dotted; *c; c++) {
		if (*c == '.') {
			*w++ = '"';
			*w++ = ',';
			*w++ = '"';
			continue;
		}
		if (*c == '"' || *c == '\\')
			*w++ = '\\';
		*w++ = *c;
	}
	*w++ = '"';
	*w++ = '}';
	*w = '\0';
	return out;
}

static const char *number(struct store_sql *s, int64_t v)
{
	char *out = scratch(s, 24);
	if (out)
		snprintf(out, 24, "%" PRId64, v);
	return out;
}

static int add_filter(struct store_sql *s, const struct store_filter *f)
{
	const char *path = path_literal(s, f->key);
	if (!path)
		return -EINVAL;
	int k = bind_param(s, path);
	if (k < 0)
		return k;
	if (f->op == STORE_FILTER_HAS_KEY)
		return append(s, " AND data #> $%d::text[] IS NOT NULL", k);
	if (!f->value)
		return -EINVAL;
	int v = bind_param(s, f->value);
	if (v < 0)
		return v;
	if (f->op == STORE_FILTER_EQ)
		return append(s, " AND data #>> $%d::text[] = $%d", k, v);
	return append(s, " AND data #>> $%d::text[] IS DISTINCT FROM $%d", k, v);
}

int store_list_sql(const char *account_id, const char *type, const struct store_list_query *q,
		   struct store_sql *s)
{
	if (!account_id || !type || !q || q->n_filters > STORE_MAX_FILTERS)
		return -EINVAL;
	memset(s, 0, sizeof(*s));
	unsigned limit = q->unpaged ? STORE_UNPAGED_MAX
				    : (q->page_size ? q->page_size : STORE_PAGE_DEFAULT);
	if (limit > (q->unpaged ? STORE_UNPAGED_MAX : STORE_PAGE_MAX))
		return -EINVAL;
	s->limit = limit;
	/* Bound one at a time: argument evaluation order is unspecified. */
	int a = bind_param(s, account_id), t = bind_param(s, type);
	int rc = append(s,
			"SELECT id, type, rev, extract(epoch from created)::bigint AS created, "
			"extract(epoch from modified)::bigint AS modified, data FROM documents "
			"WHERE account_id = $%d AND type = $%d AND NOT deleted",
			a, t);
	if (rc == 0 && q->start_key && !q->unpaged)
		rc = append(s, " AND id >= $%d", bind_param(s, q->start_key));
	for (size_t i = 0; rc == 0 && i < q->n_filters; i++)
		rc = add_filter(s, &q->filters[i]);
	if (rc == 0 && q->has_created_from) {
		const char *v = number(s, q->created_from);
		rc = v ? append(s, " AND created >= to_timestamp($%d::bigint)", bind_param(s, v)) : -ENOSPC;
	}
	if (rc == 0 && q->has_created_to) {
		const char *v = number(s, q->created_to);
		rc = v ? append(s, " AND created <= to_timestamp($%d::bigint)", bind_param(s, v)) : -ENOSPC;
	}
	if (rc == 0) {
		const char *v = number(s, (int64_t)limit + 1);
		rc = v ? append(s, " ORDER BY id LIMIT $%d::int", bind_param(s, v)) : -ENOSPC;
	}
	return rc;
}
