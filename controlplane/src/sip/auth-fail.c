/* The failed-authentication table. */
#include "auth-fail.h"
#include "slot-hash.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#define SRC_LEN 48
#define PROBES 8

struct fail_slot {
	char source[SRC_LEN];
	uint64_t window_start;
	unsigned count;
	bool used;
};

struct csip_auth_fail {
	size_t cap;
	uint64_t window_s;
	uint64_t seed;
	uint64_t evictions;
	struct fail_slot slots[];
};

struct csip_auth_fail *csip_auth_fail_new(size_t slots, uint64_t window_s, uint64_t seed)
{
	/* One allocation for the table and its slots; 0 slots or a size past SIZE_MAX: none. */
	if (slots == 0 ||
	    slots > (SIZE_MAX - sizeof(struct csip_auth_fail)) / sizeof(struct fail_slot))
		return NULL;
	struct csip_auth_fail *t = calloc(1, sizeof(*t) + slots * sizeof(t->slots[0]));
	if (!t)
		return NULL;
	t->cap = slots;
	t->window_s = window_s;
	t->seed = seed;
	return t;
}

void csip_auth_fail_free(struct csip_auth_fail *t)
{
	free(t);
}

static uint64_t hash(uint64_t seed, const char *s)
{
	uint64_t h = csip_slot_hash(seed, s, SIZE_MAX);
	return h ^ (h >> 29);
}

static struct fail_slot *find(struct csip_auth_fail *t, const char *source, bool create,
			      uint64_t now_s)
{
	size_t start = (size_t)(hash(t->seed, source) % t->cap);
	struct fail_slot *spare = NULL, *oldest = NULL;
	for (size_t i = 0; i < PROBES && i < t->cap; i++) {
		struct fail_slot *s = &t->slots[(start + i) % t->cap];
		if (s->used && strcmp(s->source, source) == 0)
			return s;
		bool stale = s->used && s->window_start + t->window_s < now_s;
		if (!spare && (!s->used || stale))
			spare = s;
		if (!oldest || s->window_start < oldest->window_start)
			oldest = s;
	}
	if (!create)
		return NULL;
	if (!spare) {
		spare = oldest;
		t->evictions++;
	}
	memset(spare, 0, sizeof(*spare));
	snprintf(spare->source, sizeof(spare->source), "%s", source);
	spare->used = true;
	spare->window_start = now_s;
	return spare;
}

unsigned csip_auth_fail_hit(struct csip_auth_fail *t, const char *source, uint64_t now_s)
{
	struct fail_slot *s = find(t, source, true, now_s);
	if (s->window_start + t->window_s < now_s) {
		s->window_start = now_s;
		s->count = 0;
	}
	return ++s->count;
}

void csip_auth_fail_clear(struct csip_auth_fail *t, const char *source)
{
	struct fail_slot *s = find(t, source, false, 0);
	if (s)
		memset(s, 0, sizeof(*s));
}

uint64_t csip_auth_fail_evictions(const struct csip_auth_fail *t)
{
	return t->evictions;
}
