/* DTMF translation between a leg with telephone-event (A) and one without (B), driven through
 * relay_input and relay_media_tick with a test clock: RFC 4733 digits from A are not relayed to
 * B but played to it as in-band tones of the digit's length; in-band digits in B's audio reach
 * A as RFC 4733 events on A's payload type, in the stream A already receives; both are still
 * reported as DTMF events; nothing is translated when both or neither legs have
 * telephone-event; a tone playing to the target leg keeps it (counted drop); DTMF_SEND's
 * duration sets each digit's length within what one event train carries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "mc_dtmf_inband.h"
#include "mc_rfc4733.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_mediaop.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_capture.h"
#include "relay_test_util.h"

#define MS 1000000ull
#define A_IP "192.0.2.10"
#define B_IP "192.0.2.11"
#define A_SSRC 0xA0A0A0A0u
#define B_SSRC 0xB0B0B0B0u

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_a, port_b;	/* where A sends, where B sends */
	struct t_capture cap;	/* what the media operations sent and reported */
	struct relay_media_io io;
	uint64_t now;
	uint16_t seq_a, seq_b;
	uint32_t ts_a, ts_b;
};

static char err[256];

/* A session of PCMU on both legs; telephone-event on A and/or B as asked. */
static int setup_with(void **state, bool te_a, bool te_b)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	struct relay_config cfg = t_config(30000, 30099, 4);
	f->r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f->r);
	f->ctr = relay_lcore_counters(f->r);
	f->io = t_capture_io(&f->cap);
	f->now = 10 * T_NS;
	f->seq_a = 100;
	f->seq_b = 700;
	struct t_call c;
	t_call_init(&c, "call-tr");
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	if (te_a)
		t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	if (te_b)
		t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 96, 8000);
	assert_int_equal(t_call_connect(f->r, &c, 0), 0);
	f->port_a = c.port_a;
	f->port_b = c.port_b;
	*state = f;
	return 0;
}

static int setup_te_on_a(void **state)
{
	return setup_with(state, true, false);
}

static int setup_te_on_both(void **state)
{
	return setup_with(state, true, true);
}

static int setup_te_on_neither(void **state)
{
	return setup_with(state, false, false);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	free(f);
	return 0;
}

static int input(struct fx *f, bool from_a, uint8_t *b, uint16_t len)
{
	struct relay_fwd fwd;
	return relay_input(f->r, f->ctr, from_a ? f->port_a : f->port_b,
			   t_ip(from_a ? A_IP : B_IP), from_a ? 4000 : 5000, b, len, len, f->now,
			   &fwd);
}

/* One 20 ms PCMU packet of pcm from a leg; then 20 ms of the test clock with the tick run
 * every millisecond. Returns the relay's verdict. */
static int send_audio(struct fx *f, bool from_a, const int16_t pcm[160], struct mc_codec *enc)
{
	uint8_t b[200];
	uint16_t *seq = from_a ? &f->seq_a : &f->seq_b;
	uint32_t *ts = from_a ? &f->ts_a : &f->ts_b;
	t_rtp(b, 0, (*seq)++, *ts, from_a ? A_SSRC : B_SSRC, 0);
	*ts += 160;
	assert_int_equal(mc_codec_encode(enc, pcm, 160, b + 12, 160), 160);
	int v = input(f, from_a, b, 172);
	for (int i = 0; i < 20; i++) {
		relay_media_tick(f->r, f->now, &f->io);
		f->now += MS;
	}
	return v;
}

/* A digit from A as a phone sends it (120 ms): updates, then the end packet three times. */
static void a_sends_digit(struct fx *f, uint8_t event, int *verdicts_forwarded)
{
	*verdicts_forwarded = 0;
	for (int k = 1; k <= 8; k++) {
		struct mc_tev ev = { .event = event, .end = k > 5, .volume = 10,
				     .duration = (uint16_t)(k > 5 ? 960 : 160 * k) };
		uint8_t b[64];
		t_rtp(b, 101, f->seq_a++, f->ts_a, A_SSRC, 0);
		assert_int_equal(mc_rfc4733_build(&ev, b + 12, 4), 0);
		*verdicts_forwarded += input(f, true, b, 16) == RELAY_FORWARD;
		for (int i = 0; i < 20; i++) {
			relay_media_tick(f->r, f->now, &f->io);
			f->now += MS;
		}
	}
	f->ts_a += 960;
}

static void run(struct fx *f, unsigned ms)
{
	for (unsigned i = 0; i < ms; i++) {
		relay_media_tick(f->r, f->now, &f->io);
		f->now += MS;
	}
}

/* The in-band digits in the PCMU packets sent to B, with their lengths. */
static unsigned inband_digits_to_b(struct fx *f, char *digits, size_t cap,
				   uint32_t *first_ms)
{
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_DEC);
	struct mc_dtmf_detector *det = mc_dtmf_detector_create(8000);
	assert_non_null(dec);
	assert_non_null(det);
	unsigned nd = 0, audio = 0;
	int16_t pcm[160];
	struct mc_dtmf_report drep[4];
	for (unsigned i = 0; i < f->cap.n_pkt + 10; i++) {
		memset(pcm, 0, sizeof(pcm));
		if (i < f->cap.n_pkt) {
			const struct t_sent *s = &f->cap.pkt[i];
			assert_int_equal(s->fwd.dst_ip, t_ip(B_IP));
			assert_int_equal(s->fwd.dst_port, 5000);
			assert_int_equal(s->b[1] & 0x7f, 0);	/* B's audio codec, never an event */
			assert_int_equal(mc_codec_decode(dec, s->b + 12, 160, pcm, 160), 160);
			audio++;
		}
		int n = mc_dtmf_detector_push(det, pcm, 160, drep, 4);
		for (int k = 0; k < n && nd + 1 < cap; k++) {
			if (nd == 0)
				*first_ms = drep[k].duration_ms;
			digits[nd++] = drep[k].digit;
		}
	}
	digits[nd] = '\0';
	mc_dtmf_detector_destroy(det);
	mc_codec_destroy(dec);
	return audio;
}

static void rfc4733_from_a_reaches_b_in_band(void **state)
{
	struct fx *f = *state;
	struct mc_codec *enc = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_ENC);
	int16_t silence[160] = { 0 };
	for (int i = 0; i < 3; i++)	/* both streams are up */
		assert_int_equal(send_audio(f, true, silence, enc), RELAY_FORWARD);
	int fwd;
	a_sends_digit(f, 5, &fwd);
	assert_int_equal(fwd, 0);	/* B negotiated no telephone-event: not relayed */
	run(f, 400);
	a_sends_digit(f, 11, &fwd);	/* '#' */
	run(f, 400);

	char digits[8];
	uint32_t first_ms = 0;
	assert_true(inband_digits_to_b(f, digits, sizeof(digits), &first_ms) >= 12);
	assert_string_equal(digits, "5#");
	assert_true(first_ms >= 100 && first_ms <= 140);	/* A's digit lasted 120 ms */
	/* The tones continue the stream B receives from A (A's SSRC, passed through). */
	assert_int_equal(t_be32(f->cap.pkt[0].b + 8), A_SSRC);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_dtmf_translated), 2);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_dtmf_translate), 0);
	/* A's digits are still reported. */
	assert_int_equal(f->cap.n_ev, 2);
	assert_string_equal(f->cap.ev[0].leg_tag, "a");
	assert_string_equal(f->cap.ev[0].digit, "5");
	assert_string_equal(f->cap.ev[1].digit, "#");
	/* The relay has the stream toward B back: B hears A's audio again. */
	assert_int_equal(send_audio(f, true, silence, enc), RELAY_FORWARD);
	mc_codec_destroy(enc);
}

static void inband_from_b_reaches_a_as_rfc4733(void **state)
{
	struct fx *f = *state;
	assert_null(f->r->sessions[0].leg[0].inband);	/* A sends events, not tones */
	assert_non_null(f->r->sessions[0].leg[1].inband);
	struct mc_codec *enc = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_ENC);
	struct mc_dtmf_generator *g = mc_dtmf_generator_create(8000);
	assert_int_equal(mc_dtmf_generator_queue(g, "58", 100, 100), 0);
	for (unsigned i = 0; i < 40; i++) {
		int16_t pcm[160] = { 0 };
		mc_dtmf_generator_read(g, pcm, 160);
		send_audio(f, false, pcm, enc);
	}
	run(f, 500);
	mc_dtmf_generator_destroy(g);
	mc_codec_destroy(enc);

	char digits[8] = "";
	unsigned nd = 0, ends = 0;
	assert_true(f->cap.n_pkt > 0);
	for (unsigned i = 0; i < f->cap.n_pkt; i++) {
		const uint8_t *p = f->cap.pkt[i].b;
		assert_int_equal(f->cap.pkt[i].fwd.dst_ip, t_ip(A_IP));
		assert_int_equal(f->cap.pkt[i].fwd.dst_port, 4000);
		assert_int_equal(p[1] & 0x7f, 101);		/* A's telephone-event PT */
		assert_int_equal(t_be32(p + 8), B_SSRC);	/* the stream A receives */
		struct mc_tev ev;
		assert_int_equal(mc_rfc4733_parse(p + 12, f->cap.pkt[i].len - 12, &ev), 0);
		if (ev.end && ++ends % 3 == 1) {
			assert_true(ev.duration >= 640 && ev.duration <= 960);	/* ~100 ms */
			if (nd + 1 < sizeof(digits))
				digits[nd++] = mc_dtmf_digit_from_event(ev.event);
		}
	}
	assert_string_equal(digits, "58");
	assert_int_equal(ends, 6);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_dtmf_translated), 2);
	assert_int_equal(f->cap.n_ev, 2);
	assert_string_equal(f->cap.ev[0].leg_tag, "b");
	assert_string_equal(f->cap.ev[0].digit, "5");
	assert_string_equal(f->cap.ev[1].digit, "8");
}

static void a_running_tone_keeps_the_target_leg(void **state)
{
	struct fx *f = *state;
	/* A tone playing to B: A's digit is reported but not played over it. */
	bugle_dp_MediaOpRequest q = bugle_dp_MediaOpRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "call-tr");
	snprintf(q.leg_tag, sizeof(q.leg_tag), "b");
	q.kind = bugle_dp_MediaOpKind_MEDIA_OP_TONE;
	snprintf(q.tone, sizeof(q.tone), "ringback");
	q.op_id = 9;
	assert_int_equal(relay_media_op(f->r, &q, f->now, err, sizeof(err)), 0);
	int fwd;
	a_sends_digit(f, 7, &fwd);
	run(f, 100);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_dtmf_translated), 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_dtmf_translate), 1);
	assert_int_equal(f->cap.n_ev, 1);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_DTMF);
	const struct relay_mediaop *op = relay_media_find(f->r, 0, 1);
	assert_non_null(op);
	assert_int_equal(op->kind, RELAY_MEDIAOP_TONE);
}

/* The duration of the final packets of the first digit sent to A (its telephone-event). */
static uint16_t first_end_duration(const struct fx *f)
{
	for (unsigned i = 0; i < f->cap.n_pkt; i++) {
		struct mc_tev ev;
		assert_int_equal(f->cap.pkt[i].b[1] & 0x7f, 101);
		assert_int_equal(mc_rfc4733_parse(f->cap.pkt[i].b + 12, f->cap.pkt[i].len - 12, &ev), 0);
		if (ev.end)
			return ev.duration;
	}
	fail_msg("no end packet");
	return 0;
}

/* DTMF_SEND's duration_ms is each digit's length; a length one train cannot carry at the leg's
 * ptime (61 updates of 20 ms) is cut to what it can. */
static void dtmf_send_duration_sets_the_digit_length(void **state)
{
	struct fx *f = *state;
	const uint32_t asked[] = { 250, 5000, 10 };
	const uint16_t ticks[] = { 2000, 61 * 160, 40 * 8 };
	for (unsigned k = 0; k < 3; k++) {
		bugle_dp_MediaOpRequest q = bugle_dp_MediaOpRequest_init_zero;
		snprintf(q.call_id, sizeof(q.call_id), "call-tr");
		snprintf(q.leg_tag, sizeof(q.leg_tag), "a");
		q.kind = bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND;
		snprintf(q.digits, sizeof(q.digits), "1");
		q.duration_ms = asked[k];
		assert_int_equal(relay_media_op(f->r, &q, f->now, err, sizeof(err)), 0);
		f->cap.n_pkt = 0;
		run(f, 1500);
		assert_int_equal(first_end_duration(f), ticks[k]);
	}
}

/* Both or neither legs have telephone-event: digits are reported, nothing is generated. */
static void nothing_to_translate(void **state)
{
	struct fx *f = *state;
	bool te = relay_media_leg_has_te(&f->r->sessions[0].leg[0]);
	assert_null(f->r->sessions[0].leg[0].inband);
	assert_null(f->r->sessions[0].leg[1].inband);
	int fwd;
	a_sends_digit(f, 3, &fwd);
	assert_int_equal(fwd, te ? 8 : 0);	/* relayed as events when B has them too */
	run(f, 500);
	assert_int_equal(f->cap.n_pkt, 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_dtmf_translated), 0);
	assert_int_equal(f->cap.n_ev, te ? 1 : 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rfc4733_from_a_reaches_b_in_band, setup_te_on_a,
						teardown),
		cmocka_unit_test_setup_teardown(inband_from_b_reaches_a_as_rfc4733, setup_te_on_a,
						teardown),
		cmocka_unit_test_setup_teardown(a_running_tone_keeps_the_target_leg, setup_te_on_a,
						teardown),
		cmocka_unit_test_setup_teardown(dtmf_send_duration_sets_the_digit_length,
						setup_te_on_a, teardown),
		cmocka_unit_test_setup_teardown(nothing_to_translate, setup_te_on_both, teardown),
		cmocka_unit_test_setup_teardown(nothing_to_translate, setup_te_on_neither,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
