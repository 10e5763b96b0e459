/* SDES SRTP on one leg, checked against libsrtp2 (the reference implementation): what the SRTP
 * side protects with its key is relayed as plain RTP, what the plain side sends reaches the
 * SRTP side protected with the key the relay announced, bad tags and replays are counted
 * drops, and a live leg's keys cannot be changed under the workers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <srtp2/srtp.h>

#include "relay.h"
#include "relay_counters.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_util.h"

static const uint8_t key_a[30] = { 0xe1, 0xf9, 0x7a, 0x0d, 0x3e, 0x01, 0x8b, 0xe0, 0xd6, 0x4f,
				   0xa3, 0x2c, 0x06, 0xde, 0x41, 0x39, 0x0e, 0xc6, 0x75, 0xad,
				   0x49, 0x8a, 0xfe, 0xeb, 0xb6, 0x96, 0x0b, 0x3a, 0xab, 0xe6 };

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_a, port_b;
	srtp_t a_tx, a_rx;	/* A's own SRTP sessions (libsrtp2) */
};

static bugle_dp_SessionReply rep;
static char err[256];

static srtp_t make_srtp(const uint8_t *key, bool outbound)
{
	srtp_policy_t pol;
	memset(&pol, 0, sizeof(pol));
	srtp_crypto_policy_set_rtp_default(&pol.rtp);	/* AES_CM_128_HMAC_SHA1_80 */
	srtp_crypto_policy_set_rtcp_default(&pol.rtcp);
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.key = (unsigned char *)key;
	pol.window_size = 128;
	srtp_t s = NULL;
	assert_int_equal(srtp_create(&s, &pol), srtp_err_status_ok);
	return s;
}

static void srtp_leg(bugle_dp_LegSpec *l, const uint8_t *key, size_t len)
{
	l->has_srtp_in = true;
	l->srtp_in.suite = bugle_dp_SrtpSuite_SRTP_AES_CM_128_HMAC_SHA1_80;
	l->srtp_in.master_key_salt.size = (pb_size_t)len;
	memcpy(l->srtp_in.master_key_salt.bytes, key, len);
}

static int setup(void **state)
{
	static struct fx f;
	srtp_init();
	struct relay_config cfg = t_config(30000, 30099, 4);
	f.r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f.r);
	f.ctr = relay_lcore_counters(f.r);
	static struct t_call c;
	t_call_init(&c, "srtp");
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	srtp_leg(&c.offer.from_leg, key_a, sizeof(key_a));
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);	/* B: plain RTP */
	assert_int_equal(t_call_connect(f.r, &c, 0), 0);
	f.port_a = c.port_a;
	f.port_b = c.port_b;
	/* The answer toward A carries the key the relay sends to A with. */
	assert_true(c.rep.has_srtp);
	assert_int_equal(c.rep.srtp.suite, bugle_dp_SrtpSuite_SRTP_AES_CM_128_HMAC_SHA1_80);
	assert_int_equal(c.rep.srtp.master_key_salt.size, 30);
	assert_memory_not_equal(c.rep.srtp.master_key_salt.bytes, key_a, 30);
	f.a_tx = make_srtp(key_a, true);
	f.a_rx = make_srtp(c.rep.srtp.master_key_salt.bytes, false);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	srtp_dealloc(f->a_tx);
	srtp_dealloc(f->a_rx);
	relay_free(f->r);
	srtp_shutdown();
	return 0;
}

static void srtp_to_plain_and_back(void **state)
{
	struct fx *f = *state;
	uint8_t b[256], plain[256];
	struct relay_fwd fwd;
	for (uint16_t i = 0; i < 20; i++) {
		int len = t_rtp(b, 0, (uint16_t)(10 + i), 160u * i, 0xAAAA0001, 160);
		memcpy(plain, b, (size_t)len);
		assert_int_equal(srtp_protect(f->a_tx, b, &len), srtp_err_status_ok);
		assert_int_equal(len, 172 + 10);
		assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b,
					     (uint16_t)len, sizeof(b), (1 + i) * 20000000ull, &fwd), 1);
		assert_int_equal(fwd.len, 172);
		assert_true(fwd.body_changed);
		assert_memory_equal(b, plain, 172);
	}
	for (uint16_t i = 0; i < 20; i++) {
		uint16_t len = t_rtp(b, 0, (uint16_t)(500 + i), 160u * i, 0xBBBB0001, 160);
		memcpy(plain, b, len);
		assert_int_equal(relay_input(f->r, f->ctr, f->port_b, t_ip("192.0.2.11"), 5000, b,
					     len, sizeof(b), (1 + i) * 20000000ull, &fwd), 1);
		assert_int_equal(fwd.len, 182);
		int n = fwd.len;
		assert_int_equal(srtp_unprotect(f->a_rx, b, &n), srtp_err_status_ok);
		assert_int_equal(n, 172);
		assert_memory_equal(b, plain, 172);
	}
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_srtp_unprotected), 20);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_srtp_protected), 20);
}

static void bad_tags_and_replays_are_dropped(void **state)
{
	struct fx *f = *state;
	uint8_t b[256], copy[256];
	struct relay_fwd fwd;
	int len = t_rtp(b, 0, 77, 0, 0xAAAA0001, 160);
	assert_int_equal(srtp_protect(f->a_tx, b, &len), srtp_err_status_ok);
	memcpy(copy, b, (size_t)len);
	b[40] ^= 1;	/* tampered payload */
	assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b,
				     (uint16_t)len, sizeof(b), 1, &fwd), 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_srtp_auth), 1);
	memcpy(b, copy, (size_t)len);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b,
				     (uint16_t)len, sizeof(b), 2, &fwd), 1);
	memcpy(b, copy, (size_t)len);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b,
				     (uint16_t)len, sizeof(b), 3, &fwd), 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_srtp_replay), 1);
	/* Plain RTP on the SRTP leg is not authentic either. */
	uint16_t plen = t_rtp(b, 0, 78, 160, 0xAAAA0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_a, t_ip("192.0.2.10"), 4000, b, plen,
				     sizeof(b), 4, &fwd), 0);
	assert_int_equal(relay_counter_sum(f->r, RELAY_CTR_drop_srtp_auth), 2);
}

static void live_keys_cannot_change(void **state)
{
	struct fx *f = *state;
	bugle_dp_SessionUpdateRequest u;
	t_update(&u, "srtp", "a", "192.0.2.10", 4100);
	t_codec(&u.leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	srtp_leg(&u.leg, key_a, sizeof(key_a));
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)), 0);
	uint8_t other[30];
	memcpy(other, key_a, 30);
	other[0] ^= 0xff;
	srtp_leg(&u.leg, other, sizeof(other));
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_FAILED_PRECONDITION);
	assert_non_null(strstr(err, "SRTP keys of a live leg"));
	srtp_leg(&u.leg, key_a, 16);
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	assert_non_null(strstr(err, "30-byte"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(srtp_to_plain_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_tags_and_replays_are_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(live_keys_cannot_change, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
