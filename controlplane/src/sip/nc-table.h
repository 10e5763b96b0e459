/* Replay protection for digest nonces: the highest nonce-count seen per nonce, in a fixed table
 * of slots (open addressing, bounded probing). A slot whose nonce has expired is free again, so
 * the table never grows; when no slot is free the nonce is refused, never forgotten early
 * (forgetting would let a replay through).
 * Return convention: creators return a pointer or NULL, the rest 0 or a negative errno.
 *
 * Threading: the loop thread only.
 */
#ifndef CSIP_NC_TABLE_H
#define CSIP_NC_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct csip_nc_table;

struct csip_nc_table *csip_nc_table_new(size_t slots);
void csip_nc_table_free(struct csip_nc_table *t);

/* nonce: a nonce already verified (csip_nonce_check), issued at issued_s. 0 when nc is higher
 * than any nc seen with this nonce (recorded); -EALREADY for a replayed or lower nc; -ENOSPC
 * when the table has no free slot near the nonce's hash. */
int csip_nc_table_use(struct csip_nc_table *t, const char *nonce, uint64_t issued_s,
		      uint32_t nc, uint64_t now_s, uint64_t ttl_s);

/* Slots in use (including expired ones not reused yet). */
size_t csip_nc_table_used(const struct csip_nc_table *t);

#endif
