/* Account CPS limits; see account-table.h. */
#include "account-table.h"

#include <errno.h>
#include <string.h>

#include "flt-hash.h"
#include "token-bucket.h"

int flt_account_table_init(struct flt_account_table *t, const struct flt_mem *m, uint32_t capacity,
			   uint64_t seed)
{
	memset(t, 0, sizeof(*t));
	if (capacity < 8 || (capacity & (capacity - 1)))
		return -EINVAL;
	t->slots = flt_mem_zalloc(m, (size_t)capacity * sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = capacity - 1;
	t->seed = seed;
	return 0;
}

void flt_account_table_fini(struct flt_account_table *t, const struct flt_mem *m)
{
	flt_mem_free(m, t->slots);
	t->slots = NULL;
}

/* Slot holding the id, or the free slot ending its probe sequence (never full: load <= 3/4). */
static uint32_t probe(const struct flt_account_table *t, const char *id, size_t len, uint64_t h)
{
	uint32_t i = (uint32_t)h & t->mask;

	for (;;) {
		const struct flt_account *a = &t->slots[i];

		if (!a->cps || (a->hash == h && a->len == len && memcmp(a->id, id, len) == 0))
			return i;
		i = (i + 1) & t->mask;
	}
}

int flt_account_table_set(struct flt_account_table *t, const char *id, size_t len, uint32_t cps,
			  uint64_t now_ns)
{
	uint64_t h;
	struct flt_account *a;

	if (!id || len == 0 || len > FLT_ACCOUNT_ID_MAX || cps == 0 || cps > FLT_RATE_MAX)
		return -EINVAL;
	h = flt_hash_bytes(id, len, t->seed);
	a = &t->slots[probe(t, id, len, h)];
	if (!a->cps) {
		if ((t->count + 1) * 4 > (t->mask + 1) * 3)
			return -ENOSPC;
		a->hash = h;
		a->len = (uint8_t)len;
		memcpy(a->id, id, len);
		a->units = (uint64_t)cps * FLT_TOKEN_UNIT;
		a->last_ns = now_ns;
		t->count++;
	}
	a->cps = cps;
	return 0;
}

int flt_account_table_remove(struct flt_account_table *t, const char *id, size_t len)
{
	uint32_t hole, i;

	if (!id || len == 0 || len > FLT_ACCOUNT_ID_MAX)
		return -ENOENT;
	hole = probe(t, id, len, flt_hash_bytes(id, len, t->seed));
	if (!t->slots[hole].cps)
		return -ENOENT;
	/* Backward shift: pull later members of the run into the hole when their home slot
	 * does not lie cyclically between the hole and where they sit. */
	for (i = (hole + 1) & t->mask; t->slots[i].cps; i = (i + 1) & t->mask) {
		uint32_t home = (uint32_t)t->slots[i].hash & t->mask;

		if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
			t->slots[hole] = t->slots[i];
			hole = i;
		}
	}
	memset(&t->slots[hole], 0, sizeof(t->slots[hole]));
	t->count--;
	return 0;
}

void flt_account_table_clear(struct flt_account_table *t)
{
	memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof(*t->slots));
	t->count = 0;
}

bool flt_account_table_admit(struct flt_account_table *t, const char *id, size_t len,
			     uint64_t now_ns)
{
	struct flt_account *a;
	struct flt_rate rate;

	if (!t->count || !id || len == 0 || len > FLT_ACCOUNT_ID_MAX)
		return true;
	a = &t->slots[probe(t, id, len, flt_hash_bytes(id, len, t->seed))];
	if (!a->cps)
		return true;
	rate.per_sec = a->cps;
	rate.burst = a->cps;
	flt_bucket_refill(&a->units, now_ns > a->last_ns ? now_ns - a->last_ns : 0, &rate);
	if (now_ns > a->last_ns)
		a->last_ns = now_ns;
	return flt_bucket_take(&a->units);
}
