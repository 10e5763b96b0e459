/* Worker side of the media operations: RFC 4733 events received from a leg become one report
 * per digit (the detector ignores the redundant end packets) queued for the main lcore, and a
 * recorded leg's audio is decoded and queued in chunks for the main lcore to write. */
#include "relay_mediaop.h"

#include <stddef.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_decode_path.h"
#include "mc_rfc4733.h"
#include "relay_counters.h"

void relay_media_rx_arm(struct relay_leg *l)
{
	l->dtmf_pt = RELAY_PT_NONE;
	for (uint8_t i = 0; i < l->n_codecs; i++) {
		if (l->codecs[i].codec == bugle_dp_Codec_CODEC_TELEPHONE_EVENT) {
			l->dtmf_pt = l->codecs[i].pt;
			mc_rfc4733_detector_init(&l->dtmf, l->codecs[i].clock_rate
								   ? l->codecs[i].clock_rate
								   : 8000);
			return;
		}
	}
}

void relay_media_rx_tev(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			const uint8_t *payload, uint16_t len, uint32_t ts)
{
	struct mc_dtmf_report rep[2];
	int n = mc_rfc4733_detector_push(&l->dtmf, payload, len, ts, rep);
	if (n < 0) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_dtmf_bad);
		return;
	}
	/* The leg's place in the table names it without a pointer the main lcore must trust. */
	const struct relay_leg *first = l - l->index;
	const struct relay_session *s =
		RTE_PTR_SUB(first, offsetof(struct relay_session, leg));
	uint32_t leg_id = (uint32_t)(s - r->sessions) * RELAY_LEGS + l->index;
	for (int i = 0; i < n; i++) {
		struct relay_media_report m = { .leg_id = leg_id, .duration_ms = rep[i].duration_ms,
						.digit = rep[i].digit };
		/* Multi-producer: any worker; release by the ring, acquire by the main lcore. */
		if (!r->media || rte_ring_mp_enqueue_elem(r->media->ring, &m, sizeof(m)) != 0)
			relay_ctr_inc(ctr, RELAY_CTR_drop_dtmf_ring_full);
		else
			relay_ctr_inc(ctr, RELAY_CTR_dtmf_events);
	}
}

void relay_media_rx_record(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			   const uint8_t *rtp, uint16_t hdr_len, uint16_t len)
{
	/* acquire: pairs with the main lcore's release store of the tap. */
	struct relay_rec_tap *tap = __atomic_load_n(&l->rec_tap, __ATOMIC_ACQUIRE);
	if (!tap || (rtp[1] & 0x7f) != tap->pt)
		return;
	/* Decoding may conceal a gap: the buffer holds the longest concealment plus a packet. */
	int16_t pcm[MC_DECODE_PATH_MAX_OUT];
	uint32_t skip = 0;
	uint16_t seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	uint32_t ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 | rtp[7];
	int n = mc_decode_path_push(tap->dec, rtp + hdr_len, (size_t)(len - hdr_len), seq, ts, pcm,
				    MC_DECODE_PATH_MAX_OUT, &skip);
	if (n < 0) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_record_decode);
		return;
	}
	for (int off = 0; off < n; off += RELAY_MEDIA_REC_CHUNK) {
		struct relay_media_chunk c = { .rec_id = tap->rec_id, .channel = tap->channel };
		c.n = (uint16_t)RTE_MIN(n - off, RELAY_MEDIA_REC_CHUNK);
		memcpy(c.pcm, pcm + off, c.n * sizeof(c.pcm[0]));
		/* Multi-producer: any worker; the main lcore is the only consumer. */
		if (rte_ring_mp_enqueue_elem(r->media->rec_ring, &c, sizeof(c)) != 0)
			relay_ctr_inc(ctr, RELAY_CTR_drop_record_ring_full);
		else
			relay_ctr_inc(ctr, RELAY_CTR_record_chunks);
	}
}

void relay_media_rx_conf(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			 const uint8_t *rtp, uint16_t hdr_len, uint16_t len)
{
	/* acquire: pairs with the main lcore's release store of the tap. */
	struct relay_conf_tap *tap = __atomic_load_n(&l->conf_tap, __ATOMIC_ACQUIRE);
	if (!tap || (rtp[1] & 0x7f) != tap->pt)
		return;
	uint16_t n = (uint16_t)(len - hdr_len);
	if (n > RELAY_MEDIA_CONF_PAYLOAD) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_conf_oversized);
		return;
	}
	struct relay_media_packet p = { .tap_id = tap->id, .len = n };
	p.seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	p.ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 | rtp[7];
	memcpy(p.payload, rtp + hdr_len, n);
	/* Multi-producer: any worker; the main lcore is the only consumer. */
	if (rte_ring_mp_enqueue_elem(r->media->conf_ring, &p, sizeof(p)) != 0)
		relay_ctr_inc(ctr, RELAY_CTR_drop_conf_ring_full);
	else
		relay_ctr_inc(ctr, RELAY_CTR_conf_packets);
}
