/* FNV-1a over the call-id; deletions leave tombstones, which inserts reuse. The table holds
 * twice the session count, so a probe sequence always ends at an empty slot. */
#include "relay_index.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

int relay_index_init(struct relay_index *ix, uint32_t max_entries)
{
	uint32_t cap = 16;
	while (cap < 2 * max_entries)
		cap *= 2;
	ix->slot = calloc(cap, sizeof(*ix->slot));
	ix->cap = ix->slot ? cap : 0;
	return ix->slot ? 0 : -ENOMEM;
}

void relay_index_fini(struct relay_index *ix)
{
	free(ix->slot);
	ix->slot = NULL;
	ix->cap = 0;
}

/* Position of call_id, or of the empty slot that ends its probe sequence (*found false). */
static uint32_t probe(const struct relay_index *ix, const struct relay_session *sessions,
		      const char *call_id, bool *found, uint32_t *first_free)
{
	uint32_t mask = ix->cap - 1, i = hash(call_id) & mask;
	*first_free = UINT32_MAX;
	for (uint32_t n = 0; n < ix->cap; n++, i = (i + 1) & mask) {
		uint32_t v = ix->slot[i];
		if (v == 0) {
			*found = false;
			if (*first_free == UINT32_MAX)
				*first_free = i;
			return i;
		}
		if (v == RELAY_INDEX_TOMB) {
			if (*first_free == UINT32_MAX)
				*first_free = i;
			continue;
		}
		if (strcmp(sessions[v - 1].call_id, call_id) == 0) {
			*found = true;
			return i;
		}
	}
	*found = false;
	return UINT32_MAX;
}

int32_t relay_index_find(const struct relay_index *ix, const struct relay_session *sessions,
			 const char *call_id)
{
	bool found;
	uint32_t free_at;
	uint32_t i = probe(ix, sessions, call_id, &found, &free_at);
	return found ? (int32_t)(ix->slot[i] - 1) : -1;
}

int relay_index_add(struct relay_index *ix, const struct relay_session *sessions,
		    const char *call_id, uint32_t session)
{
	bool found;
	uint32_t free_at;
	probe(ix, sessions, call_id, &found, &free_at);
	if (found)
		return -EEXIST;
	if (free_at == UINT32_MAX)
		return -ENOSPC;
	ix->slot[free_at] = session + 1;
	return 0;
}

int relay_index_del(struct relay_index *ix, const struct relay_session *sessions,
		    const char *call_id)
{
	bool found;
	uint32_t free_at;
	uint32_t i = probe(ix, sessions, call_id, &found, &free_at);
	if (!found)
		return -ENOENT;
	ix->slot[i] = RELAY_INDEX_TOMB;
	return 0;
}
