/* libFuzzer target for listings: query-string parameters (as libmicrohttpd hands them over,
 * "k=v&k=v", already percent-decoded) through the API's parameter parser into the store's SQL
 * builder. Whatever the parser accepts the builder must build, and every key and value must
 * end up a bound parameter: the statement text may depend only on which kinds of parameter
 * were given, never on their contents. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api-int.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char ACCOUNT[] = "0123456789abcdef0123456789abcdef";

/* Parses a text[] literal as the builder writes it ({"a","b\"c"}) and compares its elements
 * with the dotted key's parts. */
static bool literal_matches(const char *lit, const char *dotted)
{
	if (*lit++ != '{')
		return false;
	const char *k = dotted;
	for (;;) {
		if (*lit++ != '"')
			return false;
		while (*lit != '"') {
			if (!*lit)
				return false;
			if (*lit == '\\')
				lit++;
			if (*lit != *k || *k == '.' || !*k)
				return false;
			lit++, k++;
		}
		lit++;
		if (*lit == '}')
			return lit[1] == '\0' && *k == '\0';
		if (*lit++ != ',' || *k++ != '.')
			return false;
	}
}

static bool in_scratch(const struct store_sql *s, const char *p)
{
	return p >= s->scratch && p < s->scratch + sizeof(s->scratch);
}

static void check(const struct store_list_query *q, const struct store_sql *s)
{
	int i = 0;
	if (s->params[i++] != ACCOUNT || strcmp(s->params[i++], "device") != 0)
		abort();
	if (q->start_key && !q->unpaged && s->params[i++] != q->start_key)
		abort();
	for (size_t f = 0; f < q->n_filters; f++) {
		const struct store_filter *fl = &q->filters[f];
		if (!in_scratch(s, s->params[i]) || !literal_matches(s->params[i], fl->key))
			abort();
		i++;
		if (fl->op != STORE_FILTER_HAS_KEY && s->params[i++] != fl->value)
			abort();
	}
	for (; i < s->n_params; i++)
		if (!in_scratch(s, s->params[i]))
			abort(); /* numbers the builder wrote: created_from/to and the limit */
	/* The same kinds of parameter with other contents give the very same text. */
	struct store_list_query other = *q;
	if (other.start_key)
		other.start_key = "ffffffffffffffffffffffffffffffff";
	for (size_t f = 0; f < other.n_filters; f++) {
		other.filters[f].key = "k";
		if (other.filters[f].value)
			other.filters[f].value = "v";
	}
	other.created_from ^= 1;
	other.created_to ^= 1;
	static struct store_sql s2;
	if (store_list_sql("a", "t", &other, &s2) != 0 || strcmp(s->sql, s2.sql) != 0 ||
	    s2.n_params != s->n_params)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	struct store_list_query q;
	memset(&q, 0, sizeof(q));
	const char *why = NULL;
	int rc = 0;
	for (char *save = NULL, *kv = strtok_r(buf, "&", &save); kv && rc == 0;
	     kv = strtok_r(NULL, "&", &save)) {
		char *eq = strchr(kv, '=');
		if (eq)
			*eq = '\0';
		rc = api_list_param(&q, kv, eq ? eq + 1 : NULL, &why);
		if (rc != 0 && (rc != -EINVAL || !why))
			abort();
	}
	if (rc == 0) {
		static struct store_sql s;
		if (store_list_sql(ACCOUNT, "device", &q, &s) != 0)
			abort(); /* accepted by the API yet refused by the store: a 503 for a 400 */
		check(&q, &s);
	}
	free(buf);
	return 0;
}
