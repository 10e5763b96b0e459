/* In-band DTMF detection on legs without telephone-event that are transcoded or whose digits
 * are translated: such a leg sends its digits as tones, which only decoded audio reveals. The
 * detector decodes the leg's packets a second time at 8 kHz (the transcoder keeps its PCM to
 * itself); digits go to the main lcore on the DTMF ring like RFC 4733 ones. A re-negotiation
 * that changes the leg's audio codec or payload type, or gives it telephone-event, replaces the
 * detector (or removes it); the old one is unpublished and freed after a grace period. */
#include "relay_mediaop.h"

#include <stdlib.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_codec.h"
#include "mc_decode_path.h"
#include "mc_dtmf_inband.h"
#include "relay_codecs.h"
#include "relay_counters.h"

#define INBAND_RATE 8000

struct relay_inband_dtmf {
	struct mc_decode_path *dec;
	struct mc_dtmf_detector *det;
	uint8_t pt;			/* RO once published: what the detector decodes */
	uint8_t codec;
	uint32_t clock_rate;
	/* MAIN, once unpublished: freed after this time; next retired detector of the leg. */
	uint64_t free_after_ns;
	struct relay_inband_dtmf *next;
};

static void destroy(struct relay_inband_dtmf *ib)
{
	mc_decode_path_destroy(ib->dec);
	mc_dtmf_detector_destroy(ib->det);
	free(ib);
}

void relay_media_inband_free(struct relay_leg *l)
{
	if (l->inband)
		destroy(l->inband);
	l->inband = NULL;
	while (l->inband_retired) {
		struct relay_inband_dtmf *next = l->inband_retired->next;
		destroy(l->inband_retired);
		l->inband_retired = next;
	}
}

void relay_media_inband_reap(struct relay_leg *l, uint64_t now_ns)
{
	struct relay_inband_dtmf **p = &l->inband_retired;
	while (*p) {
		struct relay_inband_dtmf *ib = *p;
		if (now_ns >= ib->free_after_ns) {
			*p = ib->next;
			destroy(ib);
		} else {
			p = &ib->next;
		}
	}
}

static struct relay_inband_dtmf *create(const struct relay_codec *audio)
{
	struct relay_inband_dtmf *ib = calloc(1, sizeof(*ib));
	if (!ib)
		return NULL;
	struct mc_decode_path_cfg dc = {
		.codec = mc_codec_find(relay_codec_name(audio->codec), audio->clock_rate),
		.out_rate = INBAND_RATE, .resample_quality = -1 };
	ib->dec = dc.codec ? mc_decode_path_create(&dc) : NULL;
	ib->det = mc_dtmf_detector_create(INBAND_RATE);
	ib->pt = audio->pt;
	ib->codec = audio->codec;
	ib->clock_rate = audio->clock_rate;
	if (!ib->dec || !ib->det) {
		destroy(ib);
		return NULL;
	}
	return ib;
}

void relay_media_inband_setup(struct relay_leg *l, const struct relay_codec *codecs, uint8_t n,
			      const struct relay_codec *audio, uint64_t now_ns)
{
	for (uint8_t i = 0; audio && i < n; i++)
		if (codecs[i].codec == bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			audio = NULL;	/* its digits come as RFC 4733 events */
	struct relay_inband_dtmf *cur = l->inband;
	if (cur && audio && cur->pt == audio->pt && cur->codec == audio->codec &&
	    cur->clock_rate == audio->clock_rate)
		return;		/* same audio: the detector keeps its state */
	if (!cur && !audio)
		return;
	if (cur) {
		/* release: pairs with the worker's acquire load; the worker may still hold the old
		 * detector for the packet in hand, so it is freed only after the grace period. */
		__atomic_store_n(&l->inband, NULL, __ATOMIC_RELEASE);
		cur->free_after_ns = now_ns + RELAY_MEDIA_TAP_GRACE_NS;
		cur->next = l->inband_retired;
		l->inband_retired = cur;
	}
	struct relay_inband_dtmf *ib = audio ? create(audio) : NULL;
	if (ib)	/* release: the worker that loads the pointer with acquire sees it complete. */
		__atomic_store_n(&l->inband, ib, __ATOMIC_RELEASE);
}

void relay_media_rx_inband(struct relay *r, struct relay_counters *ctr, struct relay_leg *l,
			   const uint8_t *rtp, uint16_t hdr_len, uint16_t len)
{
	/* acquire: pairs with relay_media_inband_setup's release. */
	struct relay_inband_dtmf *ib = __atomic_load_n(&l->inband, __ATOMIC_ACQUIRE);
	if (!ib || (rtp[1] & 0x7f) != ib->pt)
		return;
	int16_t pcm[MC_DECODE_PATH_MAX_OUT];
	uint32_t skip = 0;
	uint16_t seq = (uint16_t)(rtp[2] << 8 | rtp[3]);
	uint32_t ts = (uint32_t)rtp[4] << 24 | (uint32_t)rtp[5] << 16 | (uint32_t)rtp[6] << 8 | rtp[7];
	int n = mc_decode_path_push(ib->dec, rtp + hdr_len, (size_t)(len - hdr_len), seq, ts, pcm,
				    MC_DECODE_PATH_MAX_OUT, &skip);
	if (n <= 0)
		return;
	struct mc_dtmf_report rep[MC_DTMF_INBAND_QUEUE];
	int k = mc_dtmf_detector_push(ib->det, pcm, (size_t)n, rep, MC_DTMF_INBAND_QUEUE);
	const struct relay_leg *first = l - l->index;
	const struct relay_session *s = RTE_PTR_SUB(first, offsetof(struct relay_session, leg));
	uint32_t leg_id = (uint32_t)(s - r->sessions) * RELAY_LEGS + l->index;
	for (int i = 0; i < k; i++) {
		struct relay_media_report m = { .leg_id = leg_id, .duration_ms = rep[i].duration_ms,
						.digit = rep[i].digit };
		/* Multi-producer: any worker; the main lcore is the only consumer. */
		if (rte_ring_mp_enqueue_elem(r->media->ring, &m, sizeof(m)) != 0)
			relay_ctr_inc(ctr, RELAY_CTR_drop_dtmf_ring_full);
		else
			relay_ctr_inc(ctr, RELAY_CTR_dtmf_events);
	}
}
