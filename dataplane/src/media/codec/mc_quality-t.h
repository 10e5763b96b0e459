/* Types of the per-leg quality maths: RTP sequence and jitter state, E-model inputs. */
#ifndef MC_QUALITY_T_H
#define MC_QUALITY_T_H

#include <stdint.h>

/* RFC 3550 A.1 receive-side sequence state plus a duplicate window. Written by the one worker
 * that receives the leg. */
struct mc_seq_state {
	uint16_t max_seq;        /* highest sequence number seen */
	uint32_t cycles;         /* shifted count of sequence number wraps */
	uint32_t base_seq;       /* first sequence number counted */
	uint32_t bad_seq;        /* last 'bad' sequence number + 1 */
	uint32_t probation;      /* sequential packets still needed before the source is valid */
	uint32_t received;       /* packets counted (duplicates excluded) */
	uint32_t expected_prior; /* expected at the last fraction computation */
	uint32_t received_prior; /* received at the last fraction computation */
	uint64_t seen;           /* bit i set: max_seq - i was received (duplicate detection) */
	uint32_t duplicates;     /* packets dropped from the count as duplicates */
	uint32_t invalid;        /* packets refused by validation (probation, big jumps) */
};

/* RFC 3550 A.8 interarrival jitter, in RTP clock units scaled by 16. */
struct mc_jitter_state {
	uint32_t jitter_q4;
	int32_t last_transit;
	uint8_t started;
};

/* Inputs to the simplified ITU-T G.107 E-model. */
struct mc_emodel_input {
	double delay_ms; /* one-way mouth-to-ear delay */
	double loss_pct; /* packet loss percentage, 0..100 */
	double burst_r;  /* burst ratio; 1 for random loss, 0 means 1 */
	double ie;       /* codec equipment impairment (G.113) */
	double bpl;      /* codec packet-loss robustness (G.113) */
};

#endif
