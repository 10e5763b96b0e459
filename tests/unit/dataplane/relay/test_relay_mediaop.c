/* Media operations on a relay leg, driven through relay_media_op and relay_media_tick with a
 * test clock: a prompt arrives intact in the leg's codec and continues the leg's output stream
 * (SSRC, sequence numbers) before and after; relayed audio is replaced while it plays; RFC 4733
 * events from a leg are reported once per digit and stop a prompt; DTMF_SEND sends RFC 4733
 * (or in-band tones when the leg has no telephone-event); tones end after their duration;
 * recordings of one leg or both (two channels) match what was sent and end at the stop or with
 * the call; three conference members each hear the two others and not themselves, and a member
 * that leaves gets the relay back; in-band DTMF on a transcoded leg without telephone-event is
 * reported; bad requests are refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include <cmocka.h>
#include <math.h>
#include <sndfile.h>

#include "mc_codec.h"
#include "mc_dtmf_inband.h"
#include "mc_rfc4733.h"
#include "mc_wav.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_mediaop.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_capture.h"
#include "relay_test_util.h"

#define MS 1000000ull
#define PROMPT_SAMPLES 8000	/* 1 s at 8 kHz: 50 packets of 20 ms */

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_a, port_b;	/* where A sends, where B sends */
	char dir[256];
	int16_t prompt[PROMPT_SAMPLES];
	struct t_capture cap;	/* what the media operations sent and reported */
	struct relay_media_io io;
	uint64_t now;
};

static bugle_dp_SessionReply rep;
static char err[256];

static void make_session(struct fx *f, bool te_on_a)
{
	struct t_call c;
	t_call_init(&c, "call-media");
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	if (te_on_a)
		t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	if (te_on_a)
		t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 100, 8000);
	assert_int_equal(t_call_connect(f->r, &c, 0), 0);
	f->port_a = c.port_a;
	f->port_b = c.port_b;
}

static void write_prompt(struct fx *f)
{
	/* A chirp-like mix: a wrong offset or a reordered packet shows in the comparison. */
	for (int i = 0; i < PROMPT_SAMPLES; i++)
		f->prompt[i] = (int16_t)(6000 * sin(2 * M_PI * 440 * i / 8000.0) +
					 3000 * sin(2 * M_PI * (300 + i / 20.0) * i / 8000.0));
	char path[320];
	snprintf(path, sizeof(path), "%s/hello.wav", f->dir);
	char why[128];
	struct mc_recorder *rec = mc_recorder_open(path, 8000, 1, why, sizeof(why));
	assert_non_null(rec);
	assert_int_equal(mc_recorder_write(rec, f->prompt, NULL, PROMPT_SAMPLES), 0);
	assert_int_equal(mc_recorder_close(rec), 0);
}

static int setup_with(void **state, bool te)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/relay-mediaop-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(f->dir));
	write_prompt(f);
	struct relay_config cfg = t_config(30000, 30099, 4);
	cfg.media_dir = f->dir;
	f->r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f->r);
	f->ctr = relay_lcore_counters(f->r);
	f->io = t_capture_io(&f->cap);
	f->now = 10 * T_NS;
	make_session(f, te);
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true);
}

static int setup_no_te(void **state)
{
	return setup_with(state, false);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	char path[320];
	snprintf(path, sizeof(path), "%s/hello.wav", f->dir);
	unlink(path);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int op(struct fx *f, bugle_dp_MediaOpKind kind, const char *leg, const char *file,
	      const char *tone, const char *digits, uint32_t duration_ms, uint64_t op_id)
{
	bugle_dp_MediaOpRequest q = bugle_dp_MediaOpRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "call-media");
	snprintf(q.leg_tag, sizeof(q.leg_tag), "%s", leg);
	q.kind = kind;
	snprintf(q.file, sizeof(q.file), "%s", file);
	snprintf(q.tone, sizeof(q.tone), "%s", tone);
	snprintf(q.digits, sizeof(q.digits), "%s", digits);
	q.duration_ms = duration_ms;
	q.op_id = op_id;
	return relay_media_op(f->r, &q, f->now, err, sizeof(err));
}

/* Runs the tick every millisecond for ms milliseconds of the test clock. */
static void run(struct fx *f, unsigned ms)
{
	for (unsigned i = 0; i < ms; i++) {
		relay_media_tick(f->r, f->now, &f->io);
		f->now += MS;
	}
}

/* B sends n PCMU packets toward A (relayed into the stream toward A); returns the verdicts
 * that forwarded, and the last forwarded header in last. */
static unsigned b_sends(struct fx *f, uint16_t seq0, unsigned n, uint8_t last[12])
{
	unsigned fwd_n = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b[200];
		struct relay_fwd fwd;
		uint16_t len = t_rtp(b, 0, (uint16_t)(seq0 + i), 1000u + 160u * (seq0 + i),
				     0xB0B0B0B0, 160);
		int v = relay_input(f->r, f->ctr, f->port_b, t_ip("192.0.2.11"), 5000, b, len, len,
				    f->now, &fwd);
		if (v == RELAY_FORWARD) {
			fwd_n++;
			memcpy(last, b, 12);
		}
		f->now += 20 * MS;
	}
	return fwd_n;
}

static void a_sends_event(struct fx *f, uint16_t seq, uint32_t ts, uint8_t event, bool end,
			  uint16_t duration)
{
	struct mc_tev ev = { .event = event, .end = end, .volume = 10, .duration = duration };
	uint8_t b[64];
	t_rtp(b, 101, seq, ts, 0xA0A0A0A0, 0);
	assert_int_equal(mc_rfc4733_build(&ev, b + 12, 4), 0);
	struct relay_fwd fwd;
	relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b, 16, 16, f->now, &fwd);
}

/* A whole digit as a phone sends it: updates, then the end packet three times. */
static void a_sends_digit(struct fx *f, uint16_t *seq, uint32_t ts, uint8_t event)
{
	for (uint16_t d = 160; d <= 800; d += 160)
		a_sends_event(f, (*seq)++, ts, event, false, d);
	for (int i = 0; i < 3; i++)
		a_sends_event(f, (*seq)++, ts, event, true, 960);
}

static double snr_db(const int16_t *ref, const int16_t *got, size_t n)
{
	double sig = 0, noise = 0;
	for (size_t i = 0; i < n; i++) {
		sig += (double)ref[i] * ref[i];
		noise += ((double)ref[i] - got[i]) * ((double)ref[i] - got[i]);
	}
	return 10 * log10(sig / (noise > 0 ? noise : 1e-9));
}

/* Leg tag sends n packets of PCMU-encoded pcm (160 samples each) from its SDP address. */
static void leg_sends_audio(struct fx *f, const char *leg, const int16_t *pcm, unsigned n,
			    uint16_t seq0)
{
	bool a = strcmp(leg, "a") == 0;
	struct mc_codec *enc = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_ENC);
	assert_non_null(enc);
	for (unsigned i = 0; i < n; i++) {
		uint8_t b[200];
		struct relay_fwd fwd;
		t_rtp(b, 0, (uint16_t)(seq0 + i), 160u * i, a ? 0xA1 : 0xB1, 0);
		assert_int_equal(mc_codec_encode(enc, pcm + 160 * i, 160, b + 12, 160), 160);
		relay_input(f->r, f->ctr, a ? f->port_a : f->port_b,
			    t_ip(a ? "192.0.2.10" : "192.0.2.11"), a ? 4000 : 5000, b, 172, 172,
			    f->now, &fwd);
	}
	mc_codec_destroy(enc);
}

/* Reads a recording: frames and channels, samples interleaved into pcm. */
static sf_count_t read_wav(struct fx *f, const char *name, int16_t *pcm, size_t cap,
			   int *channels)
{
	char path[320];
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	SF_INFO info;
	memset(&info, 0, sizeof(info));
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	assert_non_null(sf);
	assert_int_equal(info.samplerate, 8000);
	*channels = info.channels;
	sf_count_t n = sf_readf_short(sf, pcm, (sf_count_t)(cap / (size_t)info.channels));
	sf_close(sf);
	unlink(path);
	return n;
}

static void make_tone(int16_t *pcm, size_t n, double hz, double amp)
{
	for (size_t i = 0; i < n; i++)
		pcm[i] = (int16_t)(amp * sin(2 * M_PI * hz * (double)i / 8000.0));
}

static void records_one_leg_as_sent(void **state)
{
	struct fx *f = *state;
	int16_t sent[8000];
	make_tone(sent, 8000, 523, 7000);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START, "b", "rec.wav", "", "",
			    0, 21), 0);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START, "b", "rec2.wav", "", "",
			    0, 22), bugle_dp_Status_STATUS_ALREADY_EXISTS);
	leg_sends_audio(f, "b", sent, 50, 100);
	run(f, 5);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_STOP, "b", "", "", "", 0, 0), 0);
	leg_sends_audio(f, "b", sent, 5, 150);	/* after the stop: not recorded */
	run(f, 150);
	assert_int_equal(f->cap.n_ev, 1);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_RECORD_FINISHED);
	assert_int_equal(f->cap.ev[0].op_id, 21);
	assert_int_equal(f->cap.ev[0].duration_ms, 1000);
	assert_string_equal(f->cap.ev[0].leg_tag, "b");
	int16_t got[16000];
	int ch;
	assert_int_equal(read_wav(f, "rec.wav", got, 16000, &ch), 8000);
	assert_int_equal(ch, 1);
	assert_true(snr_db(sent, got, 8000) > 30.0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_record_chunks), 50);
}

static void records_both_legs_on_two_channels(void **state)
{
	struct fx *f = *state;
	int16_t a[8000], b[8000];
	make_tone(a, 8000, 440, 6000);
	make_tone(b, 8000, 1210, 6000);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START, "*", "both.wav", "", "",
			    0, 23), 0);
	/* Interleaved as the two workers would deliver them: B a few packets behind A. */
	leg_sends_audio(f, "a", a, 10, 1);
	for (unsigned i = 0; i < 40; i++) {
		leg_sends_audio(f, "a", a + 1600 + 160 * i, 1, (uint16_t)(11 + i));
		leg_sends_audio(f, "b", b + 160 * i, 1, (uint16_t)(1 + i));
		run(f, 1);
	}
	leg_sends_audio(f, "b", b + 6400, 10, 41);
	run(f, 1);
	/* The call ends: the recording is finished and reported. */
	bugle_dp_SessionDeleteRequest d = bugle_dp_SessionDeleteRequest_init_zero;
	snprintf(d.call_id, sizeof(d.call_id), "call-media");
	assert_int_equal(relay_session_delete(f->r, &d, f->now, &rep, err, sizeof(err)), 0);
	run(f, 150);
	assert_int_equal(f->cap.n_ev, 1);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_RECORD_FINISHED);
	assert_string_equal(f->cap.ev[0].leg_tag, "*");
	int16_t got[16000], left[8000], right[8000];
	int ch;
	assert_int_equal(read_wav(f, "both.wav", got, 16000, &ch), 8000);
	assert_int_equal(ch, 2);
	for (int i = 0; i < 8000; i++) {
		left[i] = got[2 * i];
		right[i] = got[2 * i + 1];
	}
	assert_true(snr_db(a, left, 8000) > 30.0);
	assert_true(snr_db(b, right, 8000) > 30.0);
}

static void record_ring_overflow_is_counted(void **state)
{
	struct fx *f = *state;
	static int16_t pcm[160 * (RELAY_MEDIA_REC_RING + 50)];
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START, "a", "big.wav", "", "",
			    0, 24), 0);
	leg_sends_audio(f, "a", pcm, RELAY_MEDIA_REC_RING + 50, 1);	/* no tick in between */
	assert_true(relay_counter_sum(f->r, RELAY_CTR_drop_record_ring_full) >= 50);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_STOP, "a", "", "", "", 0, 0), 0);
	run(f, 150);
	assert_int_equal(f->cap.n_ev, 1);
	char path[320];
	snprintf(path, sizeof(path), "%s/big.wav", f->dir);
	unlink(path);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_RECORD_START, "a", "../x.wav", "", "",
			    0, 25), bugle_dp_Status_STATUS_INVALID_ARGUMENT);
}

/* A second session whose leg a is at ip:port; returns the port leg a sends to. */
static uint16_t make_party(struct fx *f, const char *call_id, const char *ip, uint32_t port)
{
	struct t_call c;
	t_call_init(&c, call_id);
	t_leg(&c.offer.from_leg, "a", ip, port);
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_leg(&c.answer.to_leg, "b", "192.0.2.99", 9000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(t_call_connect(f->r, &c, 0), 0);
	return c.port_a;
}

static int conf_op(struct fx *f, const char *call_id, bugle_dp_MediaOpKind kind, const char *room)
{
	bugle_dp_MediaOpRequest q = bugle_dp_MediaOpRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "%s", call_id);
	snprintf(q.leg_tag, sizeof(q.leg_tag), "a");
	q.kind = kind;
	snprintf(q.conference, sizeof(q.conference), "%s", room);
	return relay_media_op(f->r, &q, f->now, err, sizeof(err));
}

/* Goertzel power of one frequency in 8 kHz audio. */
static double power_at(const int16_t *x, size_t n, double hz)
{
	double w = 2 * M_PI * hz / 8000.0, c = 2 * cos(w), s1 = 0, s2 = 0;
	for (size_t i = 0; i < n; i++) {
		double s0 = x[i] + c * s1 - s2;
		s2 = s1;
		s1 = s0;
	}
	return s1 * s1 + s2 * s2 - c * s1 * s2;
}

/* Decodes what went to dst_port after skip packets. */
static size_t heard(struct fx *f, uint16_t dst_port, unsigned skip, int16_t *pcm, size_t cap)
{
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_DEC);
	size_t n = 0;
	unsigned seen = 0;
	for (unsigned i = 0; i < f->cap.n_pkt; i++) {
		if (f->cap.pkt[i].fwd.dst_port != dst_port || seen++ < skip || n + 160 > cap)
			continue;
		assert_int_equal(mc_codec_decode(dec, f->cap.pkt[i].b + 12, f->cap.pkt[i].len - 12, pcm + n,
						 160), 160);
		n += 160;
	}
	mc_codec_destroy(dec);
	return n;
}

static void conference_members_hear_the_others_not_themselves(void **state)
{
	struct fx *f = *state;
	static const double hz[3] = { 450, 1100, 1900 };
	static const char *call[3] = { "call-media", "call-c2", "call-c3" };
	static const char *ip[3] = { "192.0.2.10", "192.0.2.20", "192.0.2.30" };
	static const uint16_t rport[3] = { 4000, 4002, 4004 };
	uint16_t to[3] = { f->port_a, make_party(f, "call-c2", ip[1], rport[1]),
			   make_party(f, "call-c3", ip[2], rport[2]) };
	for (int k = 0; k < 3; k++)
		assert_int_equal(conf_op(f, call[k], bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_JOIN,
					 "room1"), 0);
	assert_int_equal(conf_op(f, "call-c2", bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_JOIN, ""),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	struct mc_codec *enc = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_ENC);
	int16_t tone[3][8000];
	for (int k = 0; k < 3; k++)
		make_tone(tone[k], 8000, hz[k], 5000);
	for (unsigned i = 0; i < 50; i++) {
		for (int k = 0; k < 3; k++) {
			uint8_t b[200];
			struct relay_fwd fwd;
			t_rtp(b, 0, (uint16_t)(1 + i), 160u * i, 0xC0 + (uint32_t)k, 0);
			assert_int_equal(mc_codec_encode(enc, tone[k] + 160 * i, 160, b + 12, 160), 160);
			relay_input(f->r, f->ctr, to[k], t_ip(ip[k]), rport[k], b, 172, 172, f->now,
				    &fwd);
		}
		run(f, 20);
	}
	mc_codec_destroy(enc);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_conf_packets), 150);
	for (int k = 0; k < 3; k++) {
		int16_t pcm[8000];
		size_t n = heard(f, rport[k], 10, pcm, 8000);
		assert_true(n >= 160 * 30);
		double own = power_at(pcm, n, hz[k]);
		for (int o = 0; o < 3; o++)
			if (o != k)	/* each other member at least 30 dB above its own voice */
				assert_true(power_at(pcm, n, hz[o]) > 1000 * own);
	}
	/* Member 3 leaves: nothing more is mixed toward it and the relay has the stream back. */
	assert_int_equal(conf_op(f, "call-c3", bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_LEAVE, ""),
			 0);
	run(f, 5);
	unsigned before = 0, after = 0;
	for (unsigned i = 0; i < f->cap.n_pkt; i++)
		before += f->cap.pkt[i].fwd.dst_port == rport[2];
	run(f, 100);
	for (unsigned i = 0; i < f->cap.n_pkt; i++)
		after += f->cap.pkt[i].fwd.dst_port == rport[2];
	assert_int_equal(before, after);
	assert_int_equal(f->r->sessions[2].leg[0].media_out, 0);
	/* The last members leave: the conference is gone. */
	assert_int_equal(conf_op(f, "call-media", bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_LEAVE, ""),
			 0);
	assert_int_equal(conf_op(f, "call-c2", bugle_dp_MediaOpKind_MEDIA_OP_CONFERENCE_LEAVE, ""),
			 0);
	run(f, 5);
	assert_int_equal(f->r->media->n_ops, 0);
	assert_false(f->r->media->confs[0].used);
}

static void inband_dtmf_on_a_transcoded_leg_is_reported(void **state)
{
	struct fx *f = *state;
	/* A third session: a speaks PCMU, b G.722, neither has telephone-event. */
	struct t_call c;
	t_call_init(&c, "call-xcode");
	t_leg(&c.offer.from_leg, "x", "192.0.2.40", 4040);
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_leg(&c.answer.to_leg, "y", "192.0.2.41", 5040);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_G722, 9, 8000);
	assert_int_equal(t_call_connect(f->r, &c, 0), 0);
	uint16_t to_x = c.port_a;
	/* Legs with telephone-event (the fixture's) get no in-band detector. */
	assert_null(f->r->sessions[0].leg[0].inband);

	struct mc_dtmf_generator *g = mc_dtmf_generator_create(8000);
	struct mc_codec *enc = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_ENC);
	assert_int_equal(mc_dtmf_generator_queue(g, "58", 100, 100), 0);
	for (unsigned i = 0; i < 40; i++) {
		int16_t pcm[160] = { 0 };
		mc_dtmf_generator_read(g, pcm, 160);
		uint8_t b[200];
		struct relay_fwd fwd;
		t_rtp(b, 0, (uint16_t)(1 + i), 160u * i, 0xD1, 0);
		assert_int_equal(mc_codec_encode(enc, pcm, 160, b + 12, 160), 160);
		relay_input(f->r, f->ctr, to_x, t_ip("192.0.2.40"), 4040, b, 172, 172, f->now, &fwd);
		run(f, 20);
	}
	mc_codec_destroy(enc);
	mc_dtmf_generator_destroy(g);
	assert_int_equal(f->cap.n_ev, 2);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_DTMF);
	assert_string_equal(f->cap.ev[0].call_id, "call-xcode");
	assert_string_equal(f->cap.ev[0].leg_tag, "x");
	assert_string_equal(f->cap.ev[0].digit, "5");
	assert_string_equal(f->cap.ev[1].digit, "8");
	assert_true(f->cap.ev[0].duration_ms >= 80 && f->cap.ev[0].duration_ms <= 120);
}

static void prompt_arrives_intact_and_continues_the_stream(void **state)
{
	struct fx *f = *state;
	uint8_t last[12];
	assert_int_equal(b_sends(f, 500, 5, last), 5);
	uint16_t last_seq = t_seq(last);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "hello.wav", "", "", 0, 7),
			 0);
	/* Nothing is generated during the handover; relayed audio toward A is replaced. */
	relay_media_tick(f->r, f->now, &f->io);
	assert_int_equal(f->cap.n_pkt, 0);
	assert_int_equal(b_sends(f, 505, 1, last), 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_media_replaced), 1);
	run(f, 1200);
	assert_int_equal(f->cap.n_pkt, PROMPT_SAMPLES / 160);
	int16_t got[PROMPT_SAMPLES];
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_DEC);
	assert_non_null(dec);
	for (unsigned i = 0; i < f->cap.n_pkt; i++) {
		const uint8_t *p = f->cap.pkt[i].b;
		assert_int_equal(f->cap.pkt[i].len, 12 + 160);
		assert_int_equal(p[1] & 0x7f, 0);
		assert_int_equal(t_be32(p + 8), 0xB0B0B0B0);	/* the stream's SSRC */
		assert_int_equal(t_seq(p), (uint16_t)(last_seq + 1 + i));
		if (i > 0)
			assert_int_equal(t_be32(p + 4) - t_be32(f->cap.pkt[i - 1].b + 4), 160);
		assert_int_equal(f->cap.pkt[i].fwd.dst_ip, t_ip("192.0.2.10"));
		assert_int_equal(f->cap.pkt[i].fwd.dst_port, 4000);
		assert_int_equal(f->cap.pkt[i].fwd.src_port, f->port_a);
		assert_int_equal(mc_codec_decode(dec, p + 12, 160, got + 160 * i, 160), 160);
	}
	mc_codec_destroy(dec);
	assert_true(snr_db(f->prompt, got, PROMPT_SAMPLES) > 30.0);
	assert_int_equal(f->cap.n_ev, 1);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_PLAYBACK_FINISHED);
	assert_false(f->cap.ev[0].interrupted);
	assert_int_equal(f->cap.ev[0].op_id, 7);
	assert_string_equal(f->cap.ev[0].leg_tag, "a");
	/* Relay resumes after the prompt, continuing its sequence numbers. */
	uint16_t prompt_last = t_seq(f->cap.pkt[f->cap.n_pkt - 1].b);
	assert_int_equal(b_sends(f, 506, 2, last), 2);
	assert_int_equal(t_seq(last), (uint16_t)(prompt_last + 2));
	assert_int_equal(t_be32(last + 8), 0xB0B0B0B0);
}

static void dtmf_event_reported_once_per_digit(void **state)
{
	struct fx *f = *state;
	uint16_t seq = 10;
	a_sends_digit(f, &seq, 8000, 5);
	a_sends_digit(f, &seq, 9600, 11);
	run(f, 2);
	assert_int_equal(f->cap.n_ev, 2);
	assert_int_equal(f->cap.ev[0].kind, bugle_dp_EventKind_EVENT_DTMF);
	assert_string_equal(f->cap.ev[0].digit, "5");
	assert_int_equal(f->cap.ev[0].duration_ms, 120);
	assert_string_equal(f->cap.ev[0].leg_tag, "a");
	assert_string_equal(f->cap.ev[0].call_id, "call-media");
	assert_string_equal(f->cap.ev[1].digit, "#");
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_dtmf_events), 2);
}

static void stop_digit_interrupts_the_prompt(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "hello.wav", "", "#*", 0,
			    9), 0);
	run(f, 200);
	uint16_t seq = 1;
	a_sends_digit(f, &seq, 8000, 1);	/* '1' does not stop it */
	run(f, 2);
	assert_int_equal(f->cap.n_ev, 1);
	assert_string_equal(f->cap.ev[0].digit, "1");
	a_sends_digit(f, &seq, 9600, 11);	/* '#' does */
	run(f, 2);
	assert_int_equal(f->cap.n_ev, 3);
	assert_string_equal(f->cap.ev[1].digit, "#");
	assert_int_equal(f->cap.ev[2].kind, bugle_dp_EventKind_EVENT_PLAYBACK_FINISHED);
	assert_true(f->cap.ev[2].interrupted);
	assert_int_equal(f->cap.ev[2].op_id, 9);
	unsigned n = f->cap.n_pkt;
	assert_true(n > 5 && n < PROMPT_SAMPLES / 160);
	run(f, 100);
	assert_int_equal(f->cap.n_pkt, n);
}

static void stop_ends_a_tone_and_duration_bounds_it(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_TONE, "b", "", "ringback", "", 0, 3),
			 0);
	run(f, 505);
	assert_int_equal(f->cap.n_pkt, 25);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_STOP, "b", "", "", "", 0, 0), 0);
	run(f, 100);
	assert_int_equal(f->cap.n_pkt, 25);
	assert_int_equal(f->cap.n_ev, 1);
	assert_true(f->cap.ev[0].interrupted);
	assert_int_equal(f->cap.pkt[0].fwd.dst_port, 5000);	/* toward B */

	f->cap.n_pkt = f->cap.n_ev = 0;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_TONE, "a", "", "400+450/100/50", "",
			    200, 4), 0);
	run(f, 400);
	assert_int_equal(f->cap.n_pkt, 10);
	assert_int_equal(f->cap.n_ev, 1);
	assert_false(f->cap.ev[0].interrupted);
	/* Energy in the first packet (tone on). */
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_DEC);
	int16_t pcm[160];
	assert_int_equal(mc_codec_decode(dec, f->cap.pkt[0].b + 12, 160, pcm, 160), 160);
	mc_codec_destroy(dec);
	int peak = 0;
	for (int i = 0; i < 160; i++)
		peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
	assert_true(peak > 3000);
}

static void dtmf_send_as_rfc4733(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND, "b", "", "", "4#", 0, 5),
			 0);
	run(f, 1000);
	char digits[8] = "";
	unsigned nd = 0, ends = 0;
	for (unsigned i = 0; i < f->cap.n_pkt; i++) {
		const uint8_t *p = f->cap.pkt[i].b;
		assert_int_equal(p[1] & 0x7f, 100);	/* B's telephone-event PT */
		assert_int_equal(f->cap.pkt[i].fwd.dst_port, 5000);
		if (i > 0)
			assert_int_equal(t_seq(p), (uint16_t)(t_seq(f->cap.pkt[i - 1].b) + 1));
		struct mc_tev ev;
		assert_int_equal(mc_rfc4733_parse(p + 12, f->cap.pkt[i].len - 12, &ev), 0);
		if (ev.end) {
			ends++;
			if (ends % 3 == 1 && nd < sizeof(digits) - 1)
				digits[nd++] = mc_dtmf_digit_from_event(ev.event);
		}
	}
	assert_string_equal(digits, "4#");
	assert_int_equal(ends, 6);
	assert_int_equal(f->cap.n_ev, 0);	/* DTMF_SEND reports no playback event */
}

static void dtmf_send_inband_without_telephone_event(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND, "a", "", "", "73", 0, 0),
			 0);
	run(f, 1000);
	assert_true(f->cap.n_pkt >= 10);
	struct mc_codec *dec = mc_codec_create(mc_codec_find("PCMU", 8000), NULL, MC_CODEC_DEC);
	struct mc_dtmf_detector *det = mc_dtmf_detector_create(8000);
	char digits[8] = "";
	unsigned nd = 0;
	int16_t pcm[160];
	struct mc_dtmf_report drep[4];
	for (unsigned i = 0; i < f->cap.n_pkt + 10; i++) {
		if (i < f->cap.n_pkt) {
			assert_int_equal(f->cap.pkt[i].b[1] & 0x7f, 0);
			assert_int_equal(mc_codec_decode(dec, f->cap.pkt[i].b + 12, 160, pcm, 160), 160);
		} else {
			memset(pcm, 0, sizeof(pcm));
		}
		int n = mc_dtmf_detector_push(det, pcm, 160, drep, 4);
		for (int k = 0; k < n && nd < sizeof(digits) - 1; k++)
			digits[nd++] = drep[k].digit;
	}
	mc_dtmf_detector_destroy(det);
	mc_codec_destroy(dec);
	assert_string_equal(digits, "73");
}

static void bad_requests_are_refused(void **state)
{
	struct fx *f = *state;
	const char *bad[] = { "../etc/passwd", "a/b.wav", "..", ".hidden.wav", "", "x\\y.wav" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(relay_media_file_ok(bad[i]));
		assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", bad[i], "", "", 0, 1),
				 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	}
	assert_true(relay_media_file_ok("hello.wav"));
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "missing.wav", "", "", 0, 1),
			 bugle_dp_Status_STATUS_NOT_FOUND);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "zz", "hello.wav", "", "", 0, 1),
			 bugle_dp_Status_STATUS_NOT_FOUND);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_TONE, "a", "", "nonsense", "", 0, 1),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_DTMF_SEND, "a", "", "", "12x", 0, 1),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "hello.wav", "", "q", 0, 1),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	run(f, 50);
	assert_int_equal(f->cap.n_pkt, 0);
	/* Nothing was taken over: relay toward A still works. */
	uint8_t b[200];
	struct relay_fwd fwd;
	uint16_t len = t_rtp(b, 0, 1, 160, 0xB1, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, t_ip("192.0.2.11"), 5000, b, len,
				     len, f->now, &fwd),
			 RELAY_FORWARD);
}

static void deleted_session_ends_the_prompt(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "hello.wav", "", "", 0, 1),
			 0);
	run(f, 100);
	unsigned n = f->cap.n_pkt;
	assert_true(n > 0);
	bugle_dp_SessionDeleteRequest d = bugle_dp_SessionDeleteRequest_init_zero;
	snprintf(d.call_id, sizeof(d.call_id), "call-media");
	assert_int_equal(relay_session_delete(f->r, &d, f->now, &rep, err, sizeof(err)), 0);
	run(f, 100);
	assert_int_equal(f->cap.n_pkt, n);
	assert_int_equal(f->r->media->n_ops, 0);
}

static void new_op_replaces_the_running_one(void **state)
{
	struct fx *f = *state;
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_PLAY, "a", "hello.wav", "", "", 0, 1),
			 0);
	run(f, 100);
	assert_int_equal(op(f, bugle_dp_MediaOpKind_MEDIA_OP_TONE, "a", "", "beep", "", 0, 2), 0);
	run(f, 400);
	assert_int_equal(f->cap.n_ev, 2);
	assert_int_equal(f->cap.ev[0].op_id, 1);
	assert_true(f->cap.ev[0].interrupted);
	assert_int_equal(f->cap.ev[1].op_id, 2);
	assert_false(f->cap.ev[1].interrupted);
	for (unsigned i = 1; i < f->cap.n_pkt; i++)
		assert_int_equal(t_seq(f->cap.pkt[i].b), (uint16_t)(t_seq(f->cap.pkt[i - 1].b) + 1));
	assert_int_equal(f->r->media->n_ops, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(prompt_arrives_intact_and_continues_the_stream, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dtmf_event_reported_once_per_digit, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_digit_interrupts_the_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(stop_ends_a_tone_and_duration_bounds_it, setup,
						teardown),
		cmocka_unit_test_setup_teardown(dtmf_send_as_rfc4733, setup, teardown),
		cmocka_unit_test_setup_teardown(dtmf_send_inband_without_telephone_event,
						setup_no_te, teardown),
		cmocka_unit_test_setup_teardown(bad_requests_are_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(deleted_session_ends_the_prompt, setup, teardown),
		cmocka_unit_test_setup_teardown(new_op_replaces_the_running_one, setup, teardown),
		cmocka_unit_test_setup_teardown(records_one_leg_as_sent, setup, teardown),
		cmocka_unit_test_setup_teardown(records_both_legs_on_two_channels, setup, teardown),
		cmocka_unit_test_setup_teardown(record_ring_overflow_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(conference_members_hear_the_others_not_themselves,
						setup, teardown),
		cmocka_unit_test_setup_teardown(inband_dtmf_on_a_transcoded_leg_is_reported, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
