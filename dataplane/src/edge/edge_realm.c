/* Realm -> account table (see edge_realm.h): open addressing with linear probing, and
 * backward-shift deletion so no tombstones accumulate. */
#include "edge_realm.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct realm_slot {
	uint8_t used;
	uint8_t rlen, alen;
	char realm[EDGE_REALM_MAX];	/* lower case */
	char account[FLT_ACCOUNT_ID_MAX];
};

struct edge_realms {
	uint32_t mask, count;
	struct realm_slot slot[];
};

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}

static uint32_t realm_hash(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a over the lower-case bytes */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)lower(s[i]);
		h *= 0x100000001b3ull;
	}
	return (uint32_t)(h ^ h >> 32);
}

static int same_realm(const struct realm_slot *sl, const char *s, size_t n)
{
	if (sl->rlen != n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (sl->realm[i] != lower(s[i]))
			return 0;
	return 1;
}

struct edge_realms *edge_realms_create(uint32_t slots)
{
	if (slots < 8 || (slots & (slots - 1))) {
		errno = EINVAL;
		return NULL;
	}
	struct edge_realms *t = calloc(1, sizeof(*t) + (size_t)slots * sizeof(t->slot[0]));
	if (!t)
		return NULL;
	t->mask = slots - 1;
	return t;
}

void edge_realms_destroy(struct edge_realms *t)
{
	free(t);
}

/* The slot holding realm, or the empty slot where it would go. */
static uint32_t find(const struct edge_realms *t, const char *realm, size_t rlen)
{
	uint32_t i = realm_hash(realm, rlen) & t->mask;
	while (t->slot[i].used && !same_realm(&t->slot[i], realm, rlen))
		i = (i + 1) & t->mask;
	return i;
}

static int valid_realm(const char *realm, size_t rlen)
{
	return realm && rlen > 0 && rlen <= EDGE_REALM_MAX;
}

int edge_realms_set(struct edge_realms *t, const char *realm, size_t rlen, const char *account,
		    size_t alen)
{
	if (!t || !valid_realm(realm, rlen) || !account || alen == 0 || alen > FLT_ACCOUNT_ID_MAX)
		return -EINVAL;
	uint32_t i = find(t, realm, rlen);
	struct realm_slot *sl = &t->slot[i];
	if (!sl->used) {
		if (t->count + 1 > (t->mask + 1) / 4 * 3)
			return -ENOSPC;
		sl->used = 1;
		sl->rlen = (uint8_t)rlen;
		for (size_t k = 0; k < rlen; k++)
			sl->realm[k] = lower(realm[k]);
		t->count++;
	}
	memcpy(sl->account, account, alen);
	sl->alen = (uint8_t)alen;
	return 0;
}

int edge_realms_remove(struct edge_realms *t, const char *realm, size_t rlen)
{
	if (!t || !valid_realm(realm, rlen))
		return -EINVAL;
	uint32_t hole = find(t, realm, rlen);
	if (!t->slot[hole].used)
		return -ENOENT;
	t->slot[hole].used = 0;
	t->count--;
	/* Backward shift: an entry further along the run moves into the hole when its home slot
	 * does not lie (cyclically) between the hole and itself. */
	for (uint32_t j = (hole + 1) & t->mask; t->slot[j].used; j = (j + 1) & t->mask) {
		const struct realm_slot *sl = &t->slot[j];
		uint32_t home = realm_hash(sl->realm, sl->rlen) & t->mask;
		if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
			t->slot[hole] = *sl;
			t->slot[j].used = 0;
			hole = j;
		}
	}
	return 0;
}

void edge_realms_clear(struct edge_realms *t)
{
	if (!t)
		return;
	memset(t->slot, 0, ((size_t)t->mask + 1) * sizeof(t->slot[0]));
	t->count = 0;
}

int edge_realms_lookup(const struct edge_realms *t, const char *realm, size_t rlen,
		       struct sip_str *account)
{
	if (!t || !valid_realm(realm, rlen))
		return -ENOENT;
	const struct realm_slot *sl = &t->slot[find(t, realm, rlen)];
	if (!sl->used)
		return -ENOENT;
	*account = (struct sip_str){ sl->account, sl->alen };
	return 0;
}

uint32_t edge_realms_count(const struct edge_realms *t)
{
	return t ? t->count : 0;
}
