/* Per-account calls-per-second limits pushed by the control plane: account id (1..63 bytes) ->
 * a token bucket of cps tokens per second and a burst of one second's worth. Open addressing
 * with linear probing and backward-shift deletion (no tombstones), filled to at most 3/4.
 *
 * Owned and written by one lcore only.
 *
 * Return convention: init, set and remove return 0 or a negative errno; admit returns true when
 * the call may proceed (also when the account has no limit).
 */
#ifndef BUGLE_FLT_ACCOUNT_TABLE_H
#define BUGLE_FLT_ACCOUNT_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flt-mem.h"
#include "flt-t.h"

struct flt_account {
	uint64_t hash;
	uint64_t units;			/* token bucket, see token-bucket.h */
	uint64_t last_ns;
	uint32_t cps;			/* 0 marks a free slot */
	uint8_t len;
	char id[FLT_ACCOUNT_ID_MAX];
};

struct flt_account_table {
	struct flt_account *slots;
	uint32_t mask;
	uint32_t count;
	uint64_t seed;
};

int flt_account_table_init(struct flt_account_table *t, const struct flt_mem *m, uint32_t capacity,
			   uint64_t seed);
void flt_account_table_fini(struct flt_account_table *t, const struct flt_mem *m);

/* Sets or changes the limit; a new account starts with a full bucket. cps 1..FLT_RATE_MAX. */
int flt_account_table_set(struct flt_account_table *t, const char *id, size_t len, uint32_t cps,
			  uint64_t now_ns);
int flt_account_table_remove(struct flt_account_table *t, const char *id, size_t len);
/* Forgets every limit (the table keeps its memory). */
void flt_account_table_clear(struct flt_account_table *t);
bool flt_account_table_admit(struct flt_account_table *t, const char *id, size_t len,
			     uint64_t now_ns);

#endif
