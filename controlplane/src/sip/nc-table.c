/* The nonce-count table. Nonces end in an HMAC the client cannot choose, so their last 16 hex
 * digits hash well without a seed. */
#include "nc-table.h"
#include "slot-hash.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#define KEY_LEN 64
#define PROBES 16

struct nc_slot {
	char nonce[KEY_LEN];
	uint64_t issued_s;
	uint32_t nc;
	bool used;
};

struct csip_nc_table {
	size_t cap;
	size_t used;
	struct nc_slot slots[];
};

struct csip_nc_table *csip_nc_table_new(size_t slots)
{
	/* One allocation for the table and its slots; 0 slots or a size past SIZE_MAX: none. */
	if (slots == 0 ||
	    slots > (SIZE_MAX - sizeof(struct csip_nc_table)) / sizeof(struct nc_slot))
		return NULL;
	struct csip_nc_table *t = calloc(1, sizeof(*t) + slots * sizeof(t->slots[0]));
	if (t)
		t->cap = slots;
	return t;
}

void csip_nc_table_free(struct csip_nc_table *t)
{
	free(t);
}

int csip_nc_table_use(struct csip_nc_table *t, const char *nonce, uint64_t issued_s,
		      uint32_t nc, uint64_t now_s, uint64_t ttl_s)
{
	if (strlen(nonce) != KEY_LEN || nc == 0)
		return nc == 0 ? -EALREADY : -EINVAL;
	size_t start = (size_t)(csip_slot_hash(0, nonce, KEY_LEN) % t->cap);
	struct nc_slot *free_slot = NULL;
	for (size_t i = 0; i < PROBES && i < t->cap; i++) {
		struct nc_slot *s = &t->slots[(start + i) % t->cap];
		if (s->used && memcmp(s->nonce, nonce, KEY_LEN) == 0) {
			if (nc <= s->nc)
				return -EALREADY;
			s->nc = nc;
			return 0;
		}
		bool expired = s->used && s->issued_s + ttl_s < now_s;
		if (!free_slot && (!s->used || expired))
			free_slot = s;
	}
	if (!free_slot)
		return -ENOSPC;
	if (!free_slot->used)
		t->used++;
	memcpy(free_slot->nonce, nonce, KEY_LEN);
	free_slot->issued_s = issued_s;
	free_slot->nc = nc;
	free_slot->used = true;
	return 0;
}

size_t csip_nc_table_used(const struct csip_nc_table *t)
{
	return t->used;
}
