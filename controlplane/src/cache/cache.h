/* An in-memory cache of JSON documents with single-flight loading: the first miss for a key
 * loads it, later misses for the same key wait for that one load (no stampede). Entries leave
 * when invalidated (document-change events), when older than the time-to-live, or least
 * recently used first when the cache is full. A load that was running when its key was
 * invalidated still answers its waiters but is not kept, so a stale read never sticks.
 * Return convention: creators return a pointer or NULL; the rest 0, a documented positive
 * value, or a negative errno.
 *
 * Threading: one thread (the loop thread) uses a cache.
 */
#ifndef CACHE_H
#define CACHE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct cache;

struct cache_options {
	size_t max_entries;	/* 0: 65536 */
	uint64_t ttl_ms;	/* 0: until invalidated or evicted */
	uint64_t (*now_ms)(void *arg);	/* NULL: CLOCK_MONOTONIC */
	void *now_arg;
};

struct cache_stats {
	uint64_t hits, misses;	/* cache_lookup outcomes */
	uint64_t joined;	/* misses that waited for a load already running */
	uint64_t loads;		/* loads completed */
	uint64_t invalidations;	/* entries or loads dropped by cache_drop* */
	uint64_t evictions;	/* dropped because full or expired */
	size_t entries;
};

/* value: borrowed (NULL when the load found nothing or failed); status: the loader's. */
typedef void (*cache_cb)(void *arg, const json_t *value, int status);

struct cache *cache_new(const struct cache_options *opt);
/* Calls every waiter still pending with status -ECANCELED, then frees. */
void cache_free(struct cache *c);

/* A hit returns the value (borrowed, valid until the next call that changes the cache). */
const json_t *cache_peek(struct cache *c, const char *key);

/* On a miss, registers cb to be called when key's load completes. Returns 1 when the caller
 * must start the load (it is the first), 0 when it joined a running load, negative errno. */
int cache_wait(struct cache *c, const char *key, cache_cb cb, void *arg);

/* A load finished: value (may be NULL; the cache takes its own reference) is kept when status
 * is 0 and no invalidation arrived meanwhile; every waiter is called. */
void cache_complete(struct cache *c, const char *key, const json_t *value, int status);

/* Replace or insert key's value directly (a node that wrote a document knows it). */
int cache_put(struct cache *c, const char *key, const json_t *value);

/* Drop key, or every key starting with prefix; running loads for them are not kept. */
void cache_drop(struct cache *c, const char *key);
void cache_drop_prefix(struct cache *c, const char *prefix);

void cache_get_stats(const struct cache *c, struct cache_stats *out);

#endif
