/* Failed authentications counted per source address in a fixed table (open addressing with a
 * random hash seed so a sender cannot aim at one bucket). A source is reported once its count in
 * the window reaches the limit; a full neighbourhood evicts its oldest window.
 * Return convention: creators return a pointer or NULL; csip_auth_fail_hit returns the count.
 *
 * Threading: the loop thread only.
 */
#ifndef CSIP_AUTH_FAIL_H
#define CSIP_AUTH_FAIL_H

#include <stddef.h>
#include <stdint.h>

struct csip_auth_fail;

struct csip_auth_fail *csip_auth_fail_new(size_t slots, uint64_t window_s, uint64_t seed);
void csip_auth_fail_free(struct csip_auth_fail *t);

/* Counts one failure from source (an address without port) at now_s and returns how many
 * failures the source has in its current window (a window older than window_s restarts). */
unsigned csip_auth_fail_hit(struct csip_auth_fail *t, const char *source, uint64_t now_s);

/* Forget a source (after a success or after it was banned). */
void csip_auth_fail_clear(struct csip_auth_fail *t, const char *source);

/* Sources evicted to make room (counted drops of tracking state). */
uint64_t csip_auth_fail_evictions(const struct csip_auth_fail *t);

#endif
