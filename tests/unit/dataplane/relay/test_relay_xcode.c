/* Transcoding when the legs share no codec: PCMU from A reaches B as PCMA (and back), with the
 * audio preserved, B's payload type, one SSRC and continuous sequence numbers and timestamps;
 * a later codec change on a transcoded session is refused. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mc_codec.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_util.h"

static bugle_dp_SessionReply rep;
static char err[256];

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_a, port_b;
};

static int setup(void **state)
{
	static struct fx f;
	struct relay_config cfg = t_config(30000, 30099, 4);
	f.r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f.r);
	f.ctr = relay_lcore_counters(f.r);
	static struct t_call c;
	t_call_init(&c, "xc");
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMA, 8, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 100, 8000);
	assert_int_equal(t_call_connect(f.r, &c, 0), 0);
	f.port_a = c.port_a;
	f.port_b = c.port_b;
	/* The answer toward A keeps A's own codecs: A never learns B speaks PCMA. */
	assert_int_equal(c.rep.codecs_count, 2);
	assert_int_equal(c.rep.codecs[0].codec, bugle_dp_Codec_CODEC_PCMU);
	assert_int_equal(c.rep.codecs[1].payload_type, 101);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	return 0;
}

/* One 20 ms frame of a 1 kHz tone, encoded with codec. */
static void tone_frame(struct mc_codec *enc, unsigned frame, uint8_t *out)
{
	int16_t pcm[160];
	for (unsigned i = 0; i < 160; i++)
		pcm[i] = (int16_t)(8000 * sin(2 * M_PI * 1000 * (frame * 160 + i) / 8000.0));
	assert_int_equal(mc_codec_encode(enc, pcm, 160, out, 160), 160);
}

static void pcmu_to_pcma_and_back(void **state)
{
	struct fx *f = *state;
	struct mc_codec *ulaw = mc_codec_create(mc_codec_find("PCMU", 8000), NULL,
						MC_CODEC_ENC | MC_CODEC_DEC);
	struct mc_codec *alaw = mc_codec_create(mc_codec_find("PCMA", 8000), NULL,
						MC_CODEC_ENC | MC_CODEC_DEC);
	assert_non_null(ulaw);
	assert_non_null(alaw);
	uint8_t b[256], out[RELAY_XCODE_MAX_OUT][RELAY_XCODE_PKT];
	uint16_t out_len[RELAY_XCODE_MAX_OUT];
	struct relay_fwd fwd;
	unsigned got = 0, compared = 0;
	uint16_t last_seq = 0;
	uint32_t last_ts = 0;
	double err_energy = 0, sig_energy = 0;
	static int16_t sent[20][160];
	for (unsigned i = 0; i < 20; i++) {
		uint16_t len = t_rtp(b, 0, (uint16_t)(100 + i), 160u * i, 0xAAAA0001, 0);
		tone_frame(ulaw, i, b + 12);
		len = (uint16_t)(len + 160);
		assert_int_equal(mc_codec_decode(ulaw, b + 12, 160, sent[i], 160), 160);
		uint64_t now = (1 + i) * 20000000ull;
		assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b, len,
					     sizeof(b), now, &fwd), RELAY_TRANSCODE);
		assert_int_equal(fwd.dst_ip, t_ip("192.0.2.11"));
		unsigned n = relay_transcode(f->r, f->ctr, &fwd, b, fwd.len, now, out, out_len);
		for (unsigned k = 0; k < n; k++, got++) {
			const uint8_t *p = out[k];
			int16_t recv[160];
			assert_int_equal(out_len[k], 172);
			assert_int_equal(p[1] & 0x7f, 8);
			assert_int_equal(t_be32(p + 8), 0xAAAA0001);
			if (got) {
				assert_int_equal(t_seq(p), (uint16_t)(last_seq + 1));
				assert_int_equal(t_be32(p + 4), last_ts + 160);
			}
			last_seq = t_seq(p);
			last_ts = t_be32(p + 4);
			assert_int_equal(mc_codec_decode(alaw, p + 12, 160, recv, 160), 160);
			/* Same rate and ptime: output frame `got` carries input frame `got`. */
			for (unsigned s = 0; s < 160; s++) {
				double d = (double)recv[s] - sent[got][s];
				err_energy += d * d;
				sig_energy += (double)sent[got][s] * sent[got][s];
			}
			compared++;
		}
	}
	assert_int_equal(got, 20);
	assert_int_equal(compared, 20);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_xcode_in), 20);
	assert_true(sig_energy > 0);
	assert_true(err_energy < sig_energy / 100);	/* G.711 requantisation: > 20 dB SNR */
	/* telephone-event is not transcoded, only renumbered */
	uint16_t len = t_rtp(b, 101, 300, 3200, 0xAAAA0001, 4);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b, len,
				     sizeof(b), T_NS, &fwd), RELAY_FORWARD);
	assert_int_equal(b[1] & 0x7f, 100);
	/* and back: PCMA from B reaches A as PCMU */
	len = t_rtp(b, 8, 1, 0, 0xBBBB0001, 0);
	tone_frame(alaw, 0, b + 12);
	len = (uint16_t)(len + 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, t_ip("192.0.2.11"), 5000, b, len,
				     sizeof(b), T_NS, &fwd), RELAY_TRANSCODE);
	unsigned n = relay_transcode(f->r, f->ctr, &fwd, b, fwd.len, T_NS, out, out_len);
	assert_int_equal(n, 1);
	assert_int_equal(out[0][1] & 0x7f, 0);
	mc_codec_destroy(ulaw);
	mc_codec_destroy(alaw);
}

static void codec_change_is_refused(void **state)
{
	struct fx *f = *state;
	bugle_dp_SessionUpdateRequest u;
	t_update(&u, "xc", "b", "192.0.2.11", 5002);
	t_codec(&u.leg, bugle_dp_Codec_CODEC_PCMA, 8, 8000);	/* same codecs: fine */
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)), 0);
	t_leg(&u.leg, "b", "192.0.2.11", 5002);
	t_codec(&u.leg, bugle_dp_Codec_CODEC_G722, 9, 8000);
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_FAILED_PRECONDITION);
	assert_non_null(strstr(err, "transcoded"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pcmu_to_pcma_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(codec_change_is_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
