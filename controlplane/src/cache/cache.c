/* A chained hash table of entries on an LRU list; an entry is either loaded (has a value) or
 * loading (has waiters). */
#include "cache.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct waiter {
	struct waiter *next;
	cache_cb cb;
	void *arg;
};

struct entry {
	struct entry *hnext;		/* hash chain */
	struct entry *prev, *next;	/* LRU list of loaded entries, most recent first */
	char *key;
	uint64_t hash;
	json_t *value;			/* loaded entries */
	uint64_t loaded_ms;
	bool loading;
	bool invalidated;		/* loading, and dropped meanwhile: do not keep the result */
	struct waiter *waiters, **waiters_tail;
};

struct cache {
	struct cache_options opt;
	struct entry **buckets;
	size_t n_buckets;
	struct entry *lru_head, *lru_tail;
	struct cache_stats stats;
};

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static uint64_t clock_ms(void *arg)
{
	(void)arg;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now(const struct cache *c)
{
	return c->opt.now_ms(c->opt.now_arg);
}

struct cache *cache_new(const struct cache_options *opt)
{
	struct cache *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	if (opt)
		c->opt = *opt;
	if (!c->opt.max_entries)
		c->opt.max_entries = 65536;
	if (!c->opt.now_ms)
		c->opt.now_ms = clock_ms;
	c->n_buckets = 64;
	while (c->n_buckets < c->opt.max_entries)
		c->n_buckets <<= 1;
	c->buckets = calloc(c->n_buckets, sizeof(*c->buckets));
	if (!c->buckets) {
		free(c);
		return NULL;
	}
	return c;
}

static struct entry **slot(struct cache *c, const char *key, uint64_t h)
{
	struct entry **pp = &c->buckets[h & (c->n_buckets - 1)];
	while (*pp && ((*pp)->hash != h || strcmp((*pp)->key, key) != 0))
		pp = &(*pp)->hnext;
	return pp;
}

static void lru_unlink(struct cache *c, struct entry *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else if (c->lru_head == e)
		c->lru_head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else if (c->lru_tail == e)
		c->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void lru_front(struct cache *c, struct entry *e)
{
	lru_unlink(c, e);
	e->next = c->lru_head;
	if (c->lru_head)
		c->lru_head->prev = e;
	c->lru_head = e;
	if (!c->lru_tail)
		c->lru_tail = e;
}

/* Removes a loaded entry (never a loading one: its waiters are owed an answer). */
static void remove_entry(struct cache *c, struct entry *e)
{
	struct entry **pp = slot(c, e->key, e->hash);
	if (*pp == e)
		*pp = e->hnext;
	lru_unlink(c, e);
	json_decref(e->value);
	free(e->key);
	free(e);
	c->stats.entries--;
}

static struct entry *add_entry(struct cache *c, const char *key, uint64_t h)
{
	if (c->stats.entries >= c->opt.max_entries && c->lru_tail) {
		remove_entry(c, c->lru_tail);
		c->stats.evictions++;
	}
	struct entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key))) {
		free(e);
		return NULL;
	}
	e->hash = h;
	e->waiters_tail = &e->waiters;
	struct entry **head = &c->buckets[h & (c->n_buckets - 1)];
	e->hnext = *head;
	*head = e;
	c->stats.entries++;
	return e;
}

static bool expired(const struct cache *c, const struct entry *e)
{
	return c->opt.ttl_ms && now(c) - e->loaded_ms >= c->opt.ttl_ms;
}

const json_t *cache_peek(struct cache *c, const char *key)
{
	uint64_t h = fnv1a(key);
	struct entry *e = *slot(c, key, h);
	if (!e || e->loading) {
		c->stats.misses++;
		return NULL;
	}
	if (expired(c, e)) {
		remove_entry(c, e);
		c->stats.evictions++;
		c->stats.misses++;
		return NULL;
	}
	lru_front(c, e);
	c->stats.hits++;
	return e->value;
}

int cache_wait(struct cache *c, const char *key, cache_cb cb, void *arg)
{
	uint64_t h = fnv1a(key);
	struct entry *e = *slot(c, key, h);
	int first = 0;
	if (e && !e->loading) {
		/* A loaded entry the caller chose not to use (expired, or peek skipped): reload. */
		remove_entry(c, e);
		e = NULL;
	}
	if (!e) {
		e = add_entry(c, key, h);
		if (!e)
			return -ENOMEM;
		e->loading = true;
		first = 1;
	} else {
		c->stats.joined++;
	}
	struct waiter *w = malloc(sizeof(*w));
	if (!w) {
		if (first)
			cache_complete(c, key, NULL, -ENOMEM);
		return -ENOMEM;
	}
	*w = (struct waiter){ .cb = cb, .arg = arg };
	*e->waiters_tail = w;
	e->waiters_tail = &w->next;
	return first;
}

/* Detach the waiters first: a callback may use the cache again. */
static void answer(struct waiter *w, const json_t *value, int status)
{
	while (w) {
		struct waiter *next = w->next;
		w->cb(w->arg, value, status);
		free(w);
		w = next;
	}
}

void cache_complete(struct cache *c, const char *key, const json_t *value, int status)
{
	uint64_t h = fnv1a(key);
	struct entry **pp = slot(c, key, h), *e = *pp;
	if (!e || !e->loading)
		return;
	struct waiter *w = e->waiters;
	c->stats.loads++;
	json_t *held = value ? json_incref((json_t *)value) : NULL;
	if (status == 0 && value && !e->invalidated) {
		e->loading = false;
		e->waiters = NULL;
		e->waiters_tail = &e->waiters;
		e->value = json_incref(held);
		e->loaded_ms = now(c);
		lru_front(c, e);
	} else {
		*pp = e->hnext;
		free(e->key);
		free(e);
		c->stats.entries--;
	}
	answer(w, held, status);
	json_decref(held);
}

int cache_put(struct cache *c, const char *key, const json_t *value)
{
	uint64_t h = fnv1a(key);
	struct entry *e = *slot(c, key, h);
	if (e && e->loading) {
		/* The running load may have read the old value; let it answer but not stick. */
		e->invalidated = true;
		return 0;
	}
	if (!e) {
		e = add_entry(c, key, h);
		if (!e)
			return -ENOMEM;
	}
	json_decref(e->value);
	e->value = json_incref((json_t *)value);
	e->loaded_ms = now(c);
	lru_front(c, e);
	return 0;
}

static void drop_entry(struct cache *c, struct entry *e)
{
	c->stats.invalidations++;
	if (e->loading)
		e->invalidated = true;
	else
		remove_entry(c, e);
}

void cache_drop(struct cache *c, const char *key)
{
	struct entry *e = *slot(c, key, fnv1a(key));
	if (e)
		drop_entry(c, e);
}

void cache_drop_prefix(struct cache *c, const char *prefix)
{
	size_t n = strlen(prefix);
	for (size_t b = 0; b < c->n_buckets; b++) {
		struct entry *e = c->buckets[b];
		while (e) {
			struct entry *next = e->hnext;
			if (strncmp(e->key, prefix, n) == 0)
				drop_entry(c, e);
			e = next;
		}
	}
}

void cache_get_stats(const struct cache *c, struct cache_stats *out)
{
	*out = c->stats;
}

void cache_free(struct cache *c)
{
	if (!c)
		return;
	for (size_t b = 0; b < c->n_buckets; b++) {
		struct entry *e = c->buckets[b];
		while (e) {
			struct entry *next = e->hnext;
			struct waiter *w = e->waiters;
			e->waiters = NULL;
			answer(w, NULL, -ECANCELED);
			json_decref(e->value);
			free(e->key);
			free(e);
			e = next;
		}
	}
	free(c->buckets);
	free(c);
}
