/* Conferences on the main lcore: one mc_mixer per named conference, created at the first join
 * and destroyed when the last member leaves. Members' payloads come from their workers over
 * the conference ring; every 20 ms of the main lcore's clock each mixer mixes, and each member
 * is sent the mix of the others, encoded in its own codec, on the stream toward it. */
#include "relay_mediaop.h"

#include <stdio.h>
#include <string.h>

#include <rte_ring.h>
#include <rte_ring_elem.h>

#include "mc_codec.h"
#include "mc_mixer.h"
#include "relay.h"
#include "relay_codecs.h"
#include "relay_counters.h"

#define TAP_BITS 12	/* RELAY_MEDIA_MAX_OPS = 1 << TAP_BITS */

_Static_assert(RELAY_MEDIA_MAX_OPS == 1u << TAP_BITS, "conference tap slot bits");

static struct relay_conference *find_or_create(struct relay_media *m, const char *name,
					       char *err, size_t err_cap)
{
	struct relay_conference *free_c = NULL;
	for (unsigned i = 0; i < RELAY_MEDIA_MAX_CONFS; i++) {
		struct relay_conference *c = &m->confs[i];
		if (c->used && strcmp(c->name, name) == 0)
			return c;
		if (!c->used && !free_c)
			free_c = c;
	}
	if (!free_c) {
		snprintf(err, err_cap, "too many conferences (%u)", RELAY_MEDIA_MAX_CONFS);
		return NULL;
	}
	free_c->mixer = mc_mixer_create(MC_MIXER_MAX_LEGS);
	if (!free_c->mixer) {
		snprintf(err, err_cap, "out of memory for conference '%s'", name);
		return NULL;
	}
	free_c->used = true;
	free_c->members = 0;
	free_c->next_ns = m->now_ns + RELAY_MEDIA_HANDOVER_NS;
	snprintf(free_c->name, sizeof(free_c->name), "%s", name);
	return free_c;
}

static void release_conference(struct relay_conference *c)
{
	if (c->members)
		return;
	mc_mixer_destroy(c->mixer);
	memset(c, 0, sizeof(*c));
}

int relay_media_conf_join(struct relay *r, struct relay_mediaop *op, struct relay_leg *l,
			  const bugle_dp_MediaOpRequest *req, char *err, size_t err_cap)
{
	struct relay_media *m = r->media;
	if (!req->conference[0]) {
		snprintf(err, err_cap, "CONFERENCE_JOIN needs a conference name");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	const struct relay_codec *c = NULL;
	for (uint8_t i = 0; i < l->n_codecs && !c; i++)
		if (l->codecs[i].codec != bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			c = &l->codecs[i];
	const struct mc_codec_desc *d =
		c ? mc_codec_find(relay_codec_name(c->codec), c->clock_rate) : NULL;
	if (!d) {
		snprintf(err, err_cap, "leg %s has no audio codec to mix", l->tag);
		return bugle_dp_Status_STATUS_FAILED_PRECONDITION;
	}
	uint32_t slot = 0;
	while (slot < RELAY_MEDIA_MAX_OPS &&
	       (m->conf_taps[slot].used || m->conf_taps[slot].free_after_ns > m->now_ns))
		slot++;
	if (slot == RELAY_MEDIA_MAX_OPS) {
		snprintf(err, err_cap, "too many conference members");
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	struct relay_conference *conf = find_or_create(m, req->conference, err, err_cap);
	if (!conf)
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	op->ptime_ms = c->ptime_ms ? c->ptime_ms : 20;
	struct mc_mixer_leg_cfg mc = { .codec = d, .ptime_ms = op->ptime_ms };
	int ml = mc_mixer_join(conf->mixer, &mc);
	if (ml < 0) {
		release_conference(conf);
		snprintf(err, err_cap, "conference '%s' is full (%u members)", req->conference,
			 MC_MIXER_MAX_LEGS);
		return bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED;
	}
	conf->members++;
	struct relay_conf_tap *tap = &m->conf_taps[slot];
	*tap = (struct relay_conf_tap){ .id = slot | (++m->conf_serial << TAP_BITS), .pt = c->pt,
					.used = true, .conf = (uint16_t)(conf - m->confs),
					.mixer_leg = ml };
	op->kind = RELAY_MEDIAOP_CONFERENCE;
	op->tap = slot;
	op->st.pt = c->pt;
	op->st.clock_rate = c->clock_rate;
	op->st.ticks_per_packet = c->clock_rate * op->ptime_ms / 1000;
	/* release: the worker that loads the tap sees it complete. */
	__atomic_store_n(&l->conf_tap, tap, __ATOMIC_RELEASE);
	return bugle_dp_Status_STATUS_OK;
}

void relay_media_conf_leave(struct relay *r, struct relay_mediaop *op)
{
	struct relay_media *m = r->media;
	struct relay_conf_tap *tap = &m->conf_taps[op->tap];
	struct relay_leg *l = &r->sessions[op->session].leg[op->leg];
	/* Unpublished now (unless a new conference of the leg already replaced it), reused after
	 * the grace period: a worker may still hold it. */
	if (l->conf_tap == tap)
		__atomic_store_n(&l->conf_tap, NULL, __ATOMIC_RELEASE);
	struct relay_conference *conf = &m->confs[tap->conf];
	mc_mixer_leave(conf->mixer, tap->mixer_leg);
	conf->members--;
	release_conference(conf);
	tap->used = false;
	tap->free_after_ns = m->now_ns + RELAY_MEDIA_TAP_GRACE_NS;
}

static unsigned collect(struct relay *r)
{
	struct relay_media *m = r->media;
	struct relay_media_packet p[8];
	unsigned work = 0;
	/* Bounded: at most 64 bursts a tick; the rest waits in the ring. */
	for (unsigned burst = 0; burst < 64; burst++) {
		unsigned n = rte_ring_sc_dequeue_burst_elem(m->conf_ring, p, sizeof(p[0]), 8, NULL);
		for (unsigned i = 0; i < n; i++) {
			struct relay_conf_tap *tap = &m->conf_taps[p[i].tap_id & (RELAY_MEDIA_MAX_OPS - 1)];
			if (!tap->used || tap->id != p[i].tap_id)
				continue;	/* the member left meanwhile */
			if (mc_mixer_put(m->confs[tap->conf].mixer, tap->mixer_leg, p[i].payload,
					 p[i].len, p[i].seq, p[i].ts) < 0)
				relay_ctr_inc(relay_lcore_counters(r), RELAY_CTR_drop_conf_mix);
		}
		work += n;
		if (n < 8)
			break;
	}
	return work;
}

static void send_mix(struct relay *r, struct relay_conference *conf, uint64_t now,
		     const struct relay_media_io *io)
{
	struct relay_media *m = r->media;
	for (uint32_t i = 0; i < m->n_ops; i++) {
		struct relay_mediaop *op = &m->ops[i];
		if (op->kind != RELAY_MEDIAOP_CONFERENCE || op->stop_requested ||
		    &m->confs[m->conf_taps[op->tap].conf] != conf)
			continue;
		struct mc_encoded_frame f[MC_MIXER_OUT_QUEUE];
		int n = mc_mixer_take(conf->mixer, m->conf_taps[op->tap].mixer_leg, f,
				      MC_MIXER_OUT_QUEUE);
		if (now < op->next_ns)
			continue;	/* still in the handover: the mix is dropped */
		if (!op->adopted)
			relay_media_adopt(r, op, now);
		for (int k = 0; k < n; k++) {
			op->st.ts += op->st.ticks_per_packet;
			relay_media_send_rtp(r, op, op->st.pt, !op->marker_sent, op->st.ts,
					     f[k].payload, f[k].len, now, io);
			op->marker_sent = true;
		}
	}
}

void relay_media_conf_free(struct relay *r)
{
	for (unsigned i = 0; r->media->confs && i < RELAY_MEDIA_MAX_CONFS; i++)
		mc_mixer_destroy(r->media->confs[i].mixer);
}

unsigned relay_media_conf_tick(struct relay *r, uint64_t now_ns, const struct relay_media_io *io)
{
	struct relay_media *m = r->media;
	unsigned work = collect(r);
	for (unsigned i = 0; i < RELAY_MEDIA_MAX_CONFS; i++) {
		struct relay_conference *conf = &m->confs[i];
		if (!conf->used || now_ns < conf->next_ns)
			continue;
		if (now_ns - conf->next_ns > RELAY_MEDIA_LAG_NS)
			conf->next_ns = now_ns;	/* the main lcore stalled: do not burst */
		conf->next_ns += (uint64_t)MC_MIXER_TICK_MS * 1000000u;
		mc_mixer_tick(conf->mixer);
		send_mix(r, conf, now_ns, io);
		work++;
	}
	return work;
}
