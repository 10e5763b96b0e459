/* The in-band DTMF detector of a leg follows re-negotiations (answer, update): a re-INVITE that
 * moves the leg without telephone-event to another audio codec gets its digits detected in the
 * new codec; one that gives it telephone-event (both legs then have it) takes the detector
 * away; an update that changes nothing keeps the detector; a replaced detector is freed once
 * its grace period has passed. Driven through relay_input and relay_media_tick with a test
 * clock, like test_relay_dtmf_translate.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_dtmf_inband.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_mediaop.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_util.h"

#define MS 1000000ull
#define MAX_EVENTS 16
#define A_IP "192.0.2.10"
#define B_IP "192.0.2.11"
#define B_SSRC 0xB0B0B0B0u
#define PT_PCMU 0
#define PT_PCMA 8
#define PT_TE_A 101
#define PT_TE_B 96

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_b;	/* where B sends */
	bugle_dp_Event ev[MAX_EVENTS];
	unsigned n_ev;
	struct relay_media_io io;
	uint64_t now;
	uint16_t seq_b;
	uint32_t ts_b;
};

static bugle_dp_SessionReply rep;
static char err[256];

static void on_send(void *arg, const struct relay_fwd *fwd, const uint8_t *pkt, uint16_t len)
{
	(void)arg;
	(void)fwd;
	(void)pkt;
	(void)len;
}

static int on_event(void *arg, const bugle_dp_Event *ev)
{
	struct fx *f = arg;
	if (ev->kind != bugle_dp_EventKind_EVENT_DTMF)
		return 0;
	assert_true(f->n_ev < MAX_EVENTS);
	f->ev[f->n_ev++] = *ev;
	return 0;
}

/* A leg spec of the given audio codecs (PT order = preference), with telephone-event if te_pt
 * is not RELAY_PT_NONE. */
static void leg_spec(bugle_dp_LegSpec *l, const char *tag, const char *ip, uint32_t port,
		     const uint8_t *pts, unsigned n, uint8_t te_pt)
{
	t_leg(l, tag, ip, port);
	for (unsigned i = 0; i < n; i++)
		t_codec(l, pts[i] == PT_PCMA ? bugle_dp_Codec_CODEC_PCMA : bugle_dp_Codec_CODEC_PCMU,
			pts[i], 8000);
	if (te_pt != RELAY_PT_NONE)
		t_codec(l, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, te_pt, 8000);
}

static void update(struct fx *f, const char *tag, const uint8_t *pts, unsigned n, uint8_t te_pt)
{
	bugle_dp_SessionUpdateRequest u = bugle_dp_SessionUpdateRequest_init_zero;
	snprintf(u.call_id, sizeof(u.call_id), "call-ib");
	u.has_leg = true;
	bool a = !strcmp(tag, "a");
	leg_spec(&u.leg, tag, a ? A_IP : B_IP, a ? 4000 : 5000, pts, n, te_pt);
	assert_int_equal(relay_session_update(f->r, &u, f->now, &rep, err, sizeof(err)), 0);
}

/* A offers audio_a (+ telephone-event), B answers audio_b (+ telephone-event when te_b). */
static struct fx *start(const uint8_t *audio_a, unsigned na, const uint8_t *audio_b, unsigned nb,
			bool te_b)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	struct relay_config cfg = t_config(30000, 30099, 4);
	f->r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f->r);
	f->ctr = relay_lcore_counters(f->r);
	f->io = (struct relay_media_io){ .send = on_send, .send_arg = f, .emit = on_event,
					 .emit_arg = f };
	f->now = 10 * T_NS;
	f->seq_b = 700;
	struct t_call c;
	t_call_init(&c, "call-ib");
	leg_spec(&c.offer.from_leg, "a", A_IP, 4000, audio_a, na, PT_TE_A);
	leg_spec(&c.answer.to_leg, "b", B_IP, 5000, audio_b, nb, te_b ? PT_TE_B : RELAY_PT_NONE);
	assert_int_equal(t_call_connect(f->r, &c, f->now), 0);
	f->port_b = c.port_b;
	return f;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	free(f);
	return 0;
}

/* B sends digits as tones in the codec of payload type pt, 20 ms packets, the media tick run
 * every millisecond; returns how many DTMF events were reported for B meanwhile. */
static unsigned b_sends_tones(struct fx *f, uint8_t pt, const char *digits)
{
	struct mc_codec *enc = mc_codec_create(mc_codec_find(pt == PT_PCMA ? "PCMA" : "PCMU", 8000),
					       NULL, MC_CODEC_ENC);
	struct mc_dtmf_generator *g = mc_dtmf_generator_create(8000);
	assert_non_null(enc);
	assert_non_null(g);
	assert_int_equal(mc_dtmf_generator_queue(g, digits, 100, 100), 0);
	unsigned before = f->n_ev;
	for (unsigned i = 0; i < 10 * strlen(digits) + 10; i++) {
		int16_t pcm[160] = { 0 };
		mc_dtmf_generator_read(g, pcm, 160);
		uint8_t b[200];
		t_rtp(b, pt, f->seq_b++, f->ts_b, B_SSRC, 0);
		f->ts_b += 160;
		assert_int_equal(mc_codec_encode(enc, pcm, 160, b + 12, 160), 160);
		struct relay_fwd fwd;
		relay_input(f->r, f->ctr, f->port_b, t_ip(B_IP), 5000, b, 172, 172, f->now, &fwd);
		for (int t = 0; t < 20; t++) {
			relay_media_tick(f->r, f->now, &f->io);
			f->now += MS;
		}
	}
	for (int t = 0; t < 300; t++) {
		relay_media_tick(f->r, f->now, &f->io);
		f->now += MS;
	}
	mc_dtmf_generator_destroy(g);
	mc_codec_destroy(enc);
	unsigned n = 0;
	for (unsigned i = before; i < f->n_ev; i++)
		n += !strcmp(f->ev[i].leg_tag, "b");
	return n;
}

static void tick(struct fx *f, uint64_t ns)
{
	f->now += ns;
	relay_tick(f->r, f->now, NULL, NULL);
}

/* PCMU -> PCMA by re-INVITE: B's digits in PCMA are detected, the old detector is freed after
 * its grace period. */
static void codec_change_moves_the_detector(void **state)
{
	static const uint8_t pcmu[] = { PT_PCMU }, pcma[] = { PT_PCMA },
			     a_reoffer[] = { PT_PCMA, PT_PCMU };
	struct fx *f = start(pcmu, 1, pcmu, 1, false);
	*state = f;
	struct relay_leg *lb = &f->r->sessions[0].leg[1];
	assert_non_null(lb->inband);
	assert_int_equal(b_sends_tones(f, PT_PCMU, "4"), 1);
	assert_string_equal(f->ev[f->n_ev - 1].digit, "4");

	const struct relay_inband_dtmf *old = lb->inband;
	update(f, "a", a_reoffer, 2, PT_TE_A);	/* A offers PCMA first, PCMU still allowed */
	update(f, "b", pcma, 1, RELAY_PT_NONE);	/* B answers PCMA */
	assert_non_null(lb->inband);
	assert_ptr_not_equal(lb->inband, old);
	assert_non_null(lb->inband_retired);
	assert_null(f->r->sessions[0].leg[0].inband);	/* A still sends events */
	tick(f, 0);
	assert_non_null(lb->inband_retired);	/* a worker may still hold it */
	tick(f, RELAY_MEDIA_TAP_GRACE_NS);
	assert_null(lb->inband_retired);

	assert_int_equal(b_sends_tones(f, PT_PCMA, "27"), 2);
	assert_string_equal(f->ev[f->n_ev - 2].digit, "2");
	assert_string_equal(f->ev[f->n_ev - 1].digit, "7");
	/* Tones in the old codec's payload type are no longer decoded as B's audio. */
	assert_int_equal(b_sends_tones(f, PT_PCMU, "9"), 0);
}

/* B gains telephone-event: its digits come as events now, the tones are not reported twice. */
static void telephone_event_removes_the_detector(void **state)
{
	static const uint8_t pcmu[] = { PT_PCMU };
	struct fx *f = start(pcmu, 1, pcmu, 1, false);
	*state = f;
	struct relay_leg *lb = &f->r->sessions[0].leg[1];
	assert_non_null(lb->inband);
	update(f, "b", pcmu, 1, PT_TE_B);
	assert_null(lb->inband);
	assert_null(f->r->sessions[0].leg[0].inband);
	assert_int_equal(b_sends_tones(f, PT_PCMU, "1"), 0);
	/* And back without it: detection resumes. */
	update(f, "b", pcmu, 1, RELAY_PT_NONE);
	assert_non_null(lb->inband);
	assert_int_equal(b_sends_tones(f, PT_PCMU, "3"), 1);
	assert_string_equal(f->ev[f->n_ev - 1].digit, "3");
}

/* An update that changes nothing keeps the detector (and whatever it was in the middle of). */
static void same_codec_keeps_the_detector(void **state)
{
	static const uint8_t pcmu[] = { PT_PCMU };
	struct fx *f = start(pcmu, 1, pcmu, 1, false);
	*state = f;
	struct relay_leg *lb = &f->r->sessions[0].leg[1];
	const struct relay_inband_dtmf *old = lb->inband;
	assert_non_null(old);
	update(f, "b", pcmu, 1, RELAY_PT_NONE);
	update(f, "a", pcmu, 1, PT_TE_A);
	assert_ptr_equal(lb->inband, old);
	assert_null(lb->inband_retired);
}

/* A transcoded session (PCMU <-> PCMA): telephone-event added to B on the same codecs takes
 * B's detector away and keeps A's. */
static void transcoded_leg_follows_telephone_event(void **state)
{
	static const uint8_t pcmu[] = { PT_PCMU }, pcma[] = { PT_PCMA };
	struct fx *f = start(pcmu, 1, pcma, 1, false);
	*state = f;
	struct relay_leg *la = &f->r->sessions[0].leg[0], *lb = &f->r->sessions[0].leg[1];
	assert_non_null(la->xcode);
	assert_null(la->inband);		/* A has telephone-event */
	assert_non_null(lb->inband);
	assert_int_equal(b_sends_tones(f, PT_PCMA, "6"), 1);
	update(f, "b", pcma, 1, PT_TE_B);
	assert_null(lb->inband);
	assert_null(la->inband);
	assert_non_null(la->xcode);		/* the transcoders stay */
	assert_int_equal(b_sends_tones(f, PT_PCMA, "6"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(codec_change_moves_the_detector, teardown),
		cmocka_unit_test_teardown(telephone_event_removes_the_detector, teardown),
		cmocka_unit_test_teardown(same_codec_keeps_the_detector, teardown),
		cmocka_unit_test_teardown(transcoded_leg_follows_telephone_event, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
