/* Routing keys of document-change events: KAZOO's "doc_edited.<db>.<type>.<id>", with the
 * account database named as KAZOO encodes it (account%2Fab%2Fcd%2Frest). */
#include "store-events.h"
#include "store.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static const char *const names[] = {
	[STORE_EVENT_CREATED] = "doc_created",
	[STORE_EVENT_EDITED] = "doc_edited",
	[STORE_EVENT_DELETED] = "doc_deleted",
};

const char *store_event_name(enum store_event_kind kind)
{
	return (unsigned)kind <= STORE_EVENT_DELETED ? names[kind] : NULL;
}

/* Types and ids become routing-key words: no dots, no wildcards. */
static bool word_ok(const char *w)
{
	if (!*w)
		return false;
	for (const char *c = w; *c; c++)
		if (*c == '.' || *c == '*' || *c == '#')
			return false;
	return true;
}

int store_event_routing_key(const struct store_event *ev, char *out, size_t outlen)
{
	const char *name = store_event_name(ev->kind);
	const char *a = ev->account_id;
	if (!name || !store_id_valid(a) || !word_ok(ev->type) || !word_ok(ev->id))
		return -EINVAL;
	int n = snprintf(out, outlen, "%s.account%%2F%.2s%%2F%.2s%%2F%s.%s.%s", name, a, a + 2,
			 a + 4, ev->type, ev->id);
	return (n < 0 || (size_t)n >= outlen) ? -ENOSPC : 0;
}

static int copy_word(char *dst, size_t dstlen, const char *start, const char *end)
{
	size_t n = (size_t)(end - start);
	if (n == 0 || n >= dstlen)
		return -EINVAL;
	memcpy(dst, start, n);
	dst[n] = '\0';
	return 0;
}

int store_event_parse(const char *key, struct store_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	const char *dot1 = strchr(key, '.');
	if (!dot1)
		return -EINVAL;
	size_t nlen = (size_t)(dot1 - key);
	bool known = false;
	for (unsigned k = 0; k <= STORE_EVENT_DELETED; k++)
		if (strlen(names[k]) == nlen && strncmp(key, names[k], nlen) == 0) {
			ev->kind = (enum store_event_kind)k;
			known = true;
		}
	const char *db = dot1 + 1, *dot2 = strchr(db, '.');
	const char *type = dot2 ? dot2 + 1 : NULL, *dot3 = type ? strchr(type, '.') : NULL;
	const char *id = dot3 ? dot3 + 1 : NULL;
	if (!known || !id || strchr(id, '.'))
		return -EINVAL;
	/* account%2Fab%2Fcd%2Frest: 7 + 3 + 2 + 3 + 2 + 3 + 28 characters. */
	static const char prefix[] = "account%2F";
	if ((size_t)(dot2 - db) != 48 || strncmp(db, prefix, 10) != 0 ||
	    strncmp(db + 12, "%2F", 3) != 0 || strncmp(db + 17, "%2F", 3) != 0)
		return -EINVAL;
	memcpy(ev->account_id, db + 10, 2);
	memcpy(ev->account_id + 2, db + 15, 2);
	memcpy(ev->account_id + 4, db + 20, 28);
	ev->account_id[32] = '\0';
	if (!store_id_valid(ev->account_id))
		return -EINVAL;
	if (copy_word(ev->type, sizeof(ev->type), type, dot3) < 0)
		return -EINVAL;
	return copy_word(ev->id, sizeof(ev->id), id, id + strlen(id));
}
