/* SDES SRTP on a leg, on top of bsrtp_ (intel-ipsec-mb): engines per lcore, contexts set up
 * from the keys the control plane sends, and the calls the fast path makes.
 * Return convention: set-up calls return a bugle_dp_Status (0 = OK) with a reason in err, or
 * 0 / a negative errno for the engines; the fast-path calls return 1 when the packet may go on,
 * 0 when it was dropped (reason counted).
 */
#ifndef BUGLE_RELAY_SRTP_H
#define BUGLE_RELAY_SRTP_H

#include <stddef.h>
#include <stdint.h>

#include "dataplane.pb.h"
#include "relay-t.h"

/* Start-up: one engine per enabled EAL lcore and one for other threads. */
int relay_srtp_engines_init(struct relay *r, char *err, size_t err_cap);
void relay_srtp_engines_fini(struct relay *r);

/* Keys of a leg spec after validation: in = what the remote sends with, out = what we send
 * with (generated when the spec gives srtp_in only). */
struct relay_srtp_keys {
	uint8_t in_suite, out_suite;		/* bugle_dp_SrtpSuite; SRTP_NONE = plain */
	uint8_t in_key[BSRTP_MASTER_LEN_MAX], out_key[BSRTP_MASTER_LEN_MAX];
	uint8_t in_len, out_len;
};

/* Validates the spec's keys. cur (may be NULL) is the leg as it is: a live leg keeps its keys
 * (same keys: nothing to do; different ones: FAILED_PRECONDITION, re-keying is not supported
 * yet), and a missing srtp_out reuses the one generated before. */
int relay_srtp_parse(const bugle_dp_LegSpec *spec, const struct relay_leg *cur,
		     struct relay_srtp_keys *k, char *err, size_t err_cap);

/* Main lcore, before the generation release: sets the leg's contexts up from k (no-op for
 * keys already in place). INTERNAL when the engine refuses the key. */
int relay_srtp_apply(struct relay *r, struct relay_leg *l, const struct relay_srtp_keys *k,
		     char *err, size_t err_cap);

/* Fast path. rtcp selects SRTCP. *len is updated; cap is the room at buf. */
int relay_srtp_unprotect(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			 uint8_t *buf, uint16_t *len, bool rtcp);
int relay_srtp_protect(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
		       uint8_t *buf, uint16_t *len, uint16_t cap, bool rtcp);

#endif
