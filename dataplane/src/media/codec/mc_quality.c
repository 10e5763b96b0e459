/* RFC 3550 sequence validation, loss and jitter, and the ITU-T G.107 E-model (simplified). */
#include "mc_quality.h"

#define SEQ_MOD (1u << 16)
#define MIN_SEQUENTIAL 2
#define MAX_DROPOUT 3000
#define MAX_MISORDER 100

static void seq_restart(struct mc_seq_state *s, uint16_t seq)
{
	s->base_seq = seq;
	s->max_seq = seq;
	s->bad_seq = SEQ_MOD + 1; /* so seq == bad_seq is false */
	s->cycles = 0;
	s->received = 0;
	s->received_prior = 0;
	s->expected_prior = 0;
	s->seen = 1; /* seq itself */
}

void mc_seq_init(struct mc_seq_state *s, uint16_t seq)
{
	*s = (struct mc_seq_state){0};
	seq_restart(s, seq);
	s->max_seq = (uint16_t)(seq - 1);
	s->seen = 0;
	s->probation = MIN_SEQUENTIAL;
}

int mc_seq_update(struct mc_seq_state *s, uint16_t seq)
{
	uint16_t udelta = (uint16_t)(seq - s->max_seq);

	if (s->probation) {
		if (seq == (uint16_t)(s->max_seq + 1)) {
			s->probation--;
			s->max_seq = seq;
			if (s->probation == 0) {
				seq_restart(s, seq);
				s->received++;
				return 1;
			}
		} else {
			s->probation = MIN_SEQUENTIAL - 1;
			s->max_seq = seq;
		}
		s->invalid++;
		return 0;
	}
	if (udelta == 0) {
		s->duplicates++;
		return 0;
	}
	if (udelta < MAX_DROPOUT) {
		/* In order, with a permissible gap. */
		if (seq < s->max_seq)
			s->cycles += SEQ_MOD;
		s->max_seq = seq;
		s->seen = udelta >= 64 ? 1 : (s->seen << udelta) | 1;
	} else if (udelta <= SEQ_MOD - MAX_MISORDER) {
		/* A very large jump: accept it only when two packets in a row agree (the sender
		 * restarted), as A.1 does. */
		if (seq == s->bad_seq) {
			seq_restart(s, seq);
		} else {
			s->bad_seq = (seq + 1) & (SEQ_MOD - 1);
			s->invalid++;
			return 0;
		}
	} else {
		/* Reordered (or a duplicate of a recent packet). */
		uint16_t back = (uint16_t)(s->max_seq - seq);
		if (back < 64) {
			if (s->seen & (1ull << back)) {
				s->duplicates++;
				return 0;
			}
			s->seen |= 1ull << back;
		}
	}
	s->received++;
	return 1;
}

uint32_t mc_seq_extended_max(const struct mc_seq_state *s)
{
	return s->cycles + s->max_seq;
}

uint32_t mc_seq_expected(const struct mc_seq_state *s)
{
	if (s->probation)
		return 0;
	return mc_seq_extended_max(s) - s->base_seq + 1;
}

int32_t mc_seq_cumulative_lost(const struct mc_seq_state *s)
{
	int64_t lost = (int64_t)mc_seq_expected(s) - (int64_t)s->received;
	if (lost > 0x7fffff)
		lost = 0x7fffff;
	if (lost < -0x800000)
		lost = -0x800000;
	return (int32_t)lost;
}

uint8_t mc_seq_fraction_lost(struct mc_seq_state *s)
{
	uint32_t expected = mc_seq_expected(s);
	uint32_t expected_interval = expected - s->expected_prior;
	uint32_t received_interval = s->received - s->received_prior;
	s->expected_prior = expected;
	s->received_prior = s->received;
	int64_t lost_interval = (int64_t)expected_interval - (int64_t)received_interval;
	if (expected_interval == 0 || lost_interval <= 0)
		return 0;
	return (uint8_t)((lost_interval << 8) / expected_interval);
}

void mc_jitter_init(struct mc_jitter_state *j)
{
	*j = (struct mc_jitter_state){0};
}

void mc_jitter_update(struct mc_jitter_state *j, uint32_t arrival, uint32_t rtp_ts)
{
	int32_t transit = (int32_t)(arrival - rtp_ts);
	if (!j->started) {
		j->started = 1;
		j->last_transit = transit;
		return;
	}
	int32_t d = transit - j->last_transit;
	j->last_transit = transit;
	if (d < 0)
		d = -d;
	/* A.8: J += (|D| - J) / 16, kept scaled by 16 to stay in integers. */
	j->jitter_q4 += (uint32_t)d - ((j->jitter_q4 + 8) >> 4);
}

uint32_t mc_jitter_value(const struct mc_jitter_state *j)
{
	return j->jitter_q4 >> 4;
}

uint32_t mc_jitter_ns_to_ticks(uint64_t ns, uint32_t clock_rate)
{
	/* Split to avoid overflowing 64 bits for long uptimes. */
	uint64_t sec = ns / 1000000000ull, rem = ns % 1000000000ull;
	return (uint32_t)(sec * clock_rate + rem * clock_rate / 1000000000ull);
}

double mc_emodel_r(const struct mc_emodel_input *in)
{
	double d = in->delay_ms < 0 ? 0 : in->delay_ms;
	double ppl = in->loss_pct < 0 ? 0 : (in->loss_pct > 100 ? 100 : in->loss_pct);
	double burst_r = in->burst_r > 0 ? in->burst_r : 1.0;
	/* Delay impairment: the usual linearisation of G.107's Idd (Cole and Rosenbluth). */
	double id = 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0.0);
	/* Effective equipment impairment with loss, G.107 (7-29). */
	double ie_eff = in->ie + (95.0 - in->ie) * ppl / (ppl / burst_r + in->bpl);
	/* 93.2 is R0 - Is with all G.107 defaults. */
	return 93.2 - id - ie_eff;
}

double mc_emodel_mos(double r)
{
	if (r <= 0)
		return 1.0;
	if (r >= 100)
		return 4.5;
	return 1.0 + 0.035 * r + r * (r - 60.0) * (100.0 - r) * 7e-6;
}
