/* Ban table; see ban-table.h. */
#include "ban-table.h"

#include <errno.h>
#include <string.h>

#include "flt-hash.h"

#define NS_PER_SEC 1000000000ull

int flt_ban_table_init(struct flt_ban_table *t, const struct flt_mem *m, uint32_t capacity,
		       uint64_t seed)
{
	memset(t, 0, sizeof(*t));
	if (capacity < FLT_BAN_WAYS || (capacity & (capacity - 1)))
		return -EINVAL;
	t->sets = flt_mem_zalloc(m, (size_t)(capacity / FLT_BAN_WAYS) * sizeof(*t->sets));
	if (!t->sets)
		return -ENOMEM;
	t->set_mask = capacity / FLT_BAN_WAYS - 1;
	t->seed = seed;
	return 0;
}

void flt_ban_table_fini(struct flt_ban_table *t, const struct flt_mem *m)
{
	flt_mem_free(m, t->sets);
	t->sets = NULL;
}

static struct flt_ban_set *set_of(const struct flt_ban_table *t, uint32_t ip)
{
	return &t->sets[(uint32_t)flt_hash_ip(ip, t->seed) & t->set_mask];
}

void flt_ban_table_prefetch(const struct flt_ban_table *t, uint32_t ip)
{
	__builtin_prefetch(set_of(t, ip), 0);
}

static int find_way(const struct flt_ban_set *set, uint32_t ip)
{
	for (int w = 0; w < FLT_BAN_WAYS; w++)
		if ((set->used & (1u << w)) && set->ip[w] == ip)
			return w;
	return -1;
}

static void clear_way(struct flt_ban_table *t, struct flt_ban_set *set, int w)
{
	set->used &= (uint8_t)~(1u << w);
	t->count--;
}

int flt_ban_table_add(struct flt_ban_table *t, uint32_t ip, uint64_t now_ns, uint64_t expires_ns,
		      enum flt_ban_reason reason)
{
	struct flt_ban_set *set = set_of(t, ip);
	int w = find_way(set, ip);

	if (w < 0) {
		/* A free way, or failing that one whose ban has run out. */
		for (int i = 0; i < FLT_BAN_WAYS && w < 0; i++)
			if (!(set->used & (1u << i)))
				w = i;
		for (int i = 0; i < FLT_BAN_WAYS && w < 0; i++)
			if (now_ns >= set->expires_ns[i]) {
				clear_way(t, set, i);
				w = i;
			}
		if (w < 0)
			return -ENOSPC;
		set->used |= (uint8_t)(1u << w);
		set->ip[w] = ip;
		t->count++;
	} else if (reason == FLT_BAN_DENSITY && set->reason[w] == FLT_BAN_OPERATOR &&
		   now_ns < set->expires_ns[w]) {
		/* A density ban shared by another worker never cuts short an operator's ban. */
		return 0;
	}
	set->reason[w] = (uint8_t)reason;
	set->expires_ns[w] = expires_ns;
	return 0;
}

int flt_ban_table_remove(struct flt_ban_table *t, uint32_t ip)
{
	struct flt_ban_set *set = set_of(t, ip);
	int w = find_way(set, ip);

	if (w < 0)
		return -ENOENT;
	clear_way(t, set, w);
	return 0;
}

bool flt_ban_table_banned(struct flt_ban_table *t, uint32_t ip, uint64_t now_ns)
{
	struct flt_ban_set *set = set_of(t, ip);
	int w;

	if (!set->used)
		return false;
	w = find_way(set, ip);
	if (w < 0)
		return false;
	if (now_ns < set->expires_ns[w])
		return true;
	clear_way(t, set, w);
	return false;
}

size_t flt_ban_table_sweep(struct flt_ban_table *t, uint64_t now_ns, uint32_t max_slots)
{
	uint32_t slots = (t->set_mask + 1) * FLT_BAN_WAYS;
	size_t removed = 0;

	if (max_slots > slots)
		max_slots = slots;
	for (uint32_t n = 0; n < max_slots; n++) {
		uint32_t slot = t->sweep_cursor;
		struct flt_ban_set *set = &t->sets[slot / FLT_BAN_WAYS];
		int w = (int)(slot % FLT_BAN_WAYS);

		if ((set->used & (1u << w)) && now_ns >= set->expires_ns[w]) {
			clear_way(t, set, w);
			removed++;
		}
		t->sweep_cursor = (slot + 1) & (slots - 1);
	}
	return removed;
}

static uint32_t seconds_left(uint64_t expires_ns, uint64_t now_ns)
{
	uint64_t left;

	if (expires_ns == FLT_BAN_PERMANENT)
		return UINT32_MAX;
	left = (expires_ns - now_ns + NS_PER_SEC - 1) / NS_PER_SEC;
	return left >= UINT32_MAX ? UINT32_MAX - 1 : (uint32_t)left;
}

size_t flt_ban_table_list(const struct flt_ban_table *t, uint64_t now_ns, struct flt_ban_info *out,
			  size_t max, uint32_t *cursor)
{
	uint32_t slots = (t->set_mask + 1) * FLT_BAN_WAYS;
	uint32_t slot = *cursor;
	size_t n = 0;

	for (; slot < slots && n < max; slot++) {
		const struct flt_ban_set *set = &t->sets[slot / FLT_BAN_WAYS];
		unsigned w = slot % FLT_BAN_WAYS;

		if (!(set->used & (1u << w)) || now_ns >= set->expires_ns[w])
			continue;
		out[n].ip = set->ip[w];
		out[n].reason = (enum flt_ban_reason)set->reason[w];
		out[n].expires_ns = set->expires_ns[w];
		out[n].seconds_left = seconds_left(set->expires_ns[w], now_ns);
		n++;
	}
	*cursor = slot < slots ? slot : 0;
	return n;
}
