/* The per-datagram relay decision: forwarding both ways, payload-type mapping, latching and its
 * hijack guard, SSRC/seq/ts continuity across a re-INVITE, RTCP, counted drops of bad RTP, SSRC
 * storms, and dead-media timeouts reported as events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "relay.h"
#include "relay_addr.h"
#include "relay_counters.h"
#include "relay_rtp.h"
#include "relay_session.h"
#include "relay_test_util.h"

struct fx {
	struct relay *r;
	struct relay_counters *ctr;
	uint16_t port_a, port_b;	/* where A sends, where B sends */
	uint32_t ip_a, ip_b;
};

static bugle_dp_SessionReply rep;
static char err[256];

static void make_offer(struct fx *f, bool answer)
{
	struct t_call c;
	t_call_init(&c, "call-rtp");
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&c.offer.from_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	assert_int_equal(t_call_offer(f->r, &c, 0), 0);
	f->port_b = c.port_b;
	if (!answer)
		return;
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&c.answer.to_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 100, 8000);
	assert_int_equal(t_call_answer(f->r, &c, 0), 0);
	f->port_a = c.port_a;
}

static int setup(void **state)
{
	static struct fx f;
	struct relay_config cfg = t_config(30000, 30099, 4);
	f.r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(f.r);
	f.ctr = relay_lcore_counters(f.r);
	f.ip_a = t_ip("192.0.2.10");
	f.ip_b = t_ip("192.0.2.11");
	make_offer(&f, true);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	relay_free(f->r);
	return 0;
}

static uint64_t ctr(struct fx *f, enum relay_counter_id id)
{
	return relay_counter_sum(f->r, id);
}

/* A sends one packet from ip:port; returns the relay's verdict. */
static int send_a(struct fx *f, uint32_t ip, uint16_t port, uint8_t *b, uint16_t len, uint64_t now,
		  struct relay_fwd *fwd)
{
	return relay_input(f->r, f->ctr, f->port_a, ip, port, b, len, len, now, fwd);
}

static void forwards_both_ways_intact(void **state)
{
	struct fx *f = *state;
	uint8_t b[200], orig[200];
	struct relay_fwd fwd;
	for (uint16_t i = 0; i < 10; i++) {
		uint16_t len = t_rtp(b, 0, (uint16_t)(100 + i), 8000u + 160u * i, 0xAAAA0001, 160);
		memcpy(orig, b, len);
		assert_int_equal(send_a(f, f->ip_a, 4000, b, len, (1 + i) * 20000000ull, &fwd), 1);
		assert_memory_equal(b, orig, len);	/* pass-through: nothing to rewrite */
		assert_int_equal(fwd.dst_ip, f->ip_b);
		assert_int_equal(fwd.dst_port, 5000);
		assert_int_equal(fwd.src_port, f->port_b);
		assert_int_equal(fwd.src_ip, t_ip(T_PUBLIC_IP));
	}
	uint16_t len = t_rtp(b, 0, 7, 1234, 0xBBBB0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, f->ip_b, 5000, b, len, len, T_NS, &fwd), 1);
	assert_int_equal(fwd.dst_ip, f->ip_a);
	assert_int_equal(fwd.dst_port, 4000);
	assert_int_equal(fwd.src_port, f->port_a);
	assert_int_equal(ctr(f, RELAY_CTR_rtp_fwd), 11);

	bugle_dp_SessionQueryRequest q = bugle_dp_SessionQueryRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "call-rtp");
	assert_int_equal(relay_session_query(f->r, &q, &rep, err, sizeof(err)), 0);
	assert_int_equal(rep.legs[0].rx_packets, 10);
	assert_int_equal(rep.legs[0].rx_bytes, 10 * 172);
	assert_int_equal(rep.legs[0].tx_packets, 1);
	assert_int_equal(rep.legs[1].tx_packets, 10);
	assert_int_equal(rep.legs[0].lost, 0);
	assert_int_equal(rep.legs[0].ssrc, 0xAAAA0001);
	assert_true(rep.legs[0].mos_x100 > 400);
}

static void payload_types_are_mapped(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	uint16_t len = t_rtp(b, 101 | 0x80, 1, 0, 0xAAAA0001, 4);	/* marker + telephone-event */
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 1, &fwd), 1);
	assert_int_equal(b[1], 100 | 0x80);
	len = t_rtp(b, 8, 2, 160, 0xAAAA0001, 160);	/* PCMA: never negotiated */
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 2, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_payload_type), 1);
}

static void loss_is_counted(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	for (uint16_t seq = 1; seq <= 20; seq++) {
		if (seq % 5 == 0)
			continue;	/* 4 of 20 lost */
		uint16_t len = t_rtp(b, 0, seq, 160u * seq, 0xAAAA0001, 160);
		assert_int_equal(send_a(f, f->ip_a, 4000, b, len, seq * 20000000ull, &fwd), 1);
	}
	bugle_dp_SessionQueryRequest q = bugle_dp_SessionQueryRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "call-rtp");
	assert_int_equal(relay_session_query(f->r, &q, &rep, err, sizeof(err)), 0);
	assert_int_equal(rep.legs[0].rx_packets, 16);
	assert_int_equal(rep.legs[0].lost, 3);	/* 20 was never followed: expected ends at 19 */
}

static void latches_to_the_observed_source(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	/* A is behind NAT: it sends from port 4444, not the 4000 of its SDP. */
	uint16_t len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, f->ip_a, 4444, b, len, 1, &fwd), 1);
	assert_int_equal(ctr(f, RELAY_CTR_latched), 1);
	len = t_rtp(b, 0, 1, 0, 0xBBBB0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, f->ip_b, 5000, b, len, len, 2, &fwd), 1);
	assert_int_equal(fwd.dst_port, 4444);
	assert_int_equal(fwd.dst_ip, f->ip_a);
}

static void hijack_guard(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	uint64_t now = T_NS;
	uint16_t seq = 1;
	for (; seq <= 10; seq++, now += 20000000ull) {	/* past the 5 latching packets */
		uint16_t len = t_rtp(b, 0, seq, 160u * seq, 0xAAAA0001, 160);
		assert_int_equal(send_a(f, f->ip_a, 4000, b, len, now, &fwd), 1);
	}
	uint32_t evil = t_ip("192.0.2.66");
	uint16_t len = t_rtp(b, 0, seq, 160u * seq, 0xAAAA0001, 160);	/* guessed SSRC */
	assert_int_equal(send_a(f, evil, 9999, b, len, now, &fwd), 0);
	len = t_rtp(b, 0, seq, 160u * seq, 0xEEEE0001, 160);
	assert_int_equal(send_a(f, evil, 9999, b, len, now, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_unlatched_source), 2);
	/* The real source goes quiet (2 s): a move with the established SSRC is accepted, not a
	 * stranger with another SSRC. */
	now += 3 * T_NS;
	len = t_rtp(b, 0, seq, 160u * seq, 0xEEEE0001, 160);
	assert_int_equal(send_a(f, evil, 9999, b, len, now, &fwd), 0);
	len = t_rtp(b, 0, seq, 160u * seq, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, t_ip("192.0.2.20"), 6000, b, len, now, &fwd), 1);
	len = t_rtp(b, 0, 1, 0, 0xBBBB0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, f->ip_b, 5000, b, len, len, now, &fwd), 1);
	assert_int_equal(fwd.dst_ip, t_ip("192.0.2.20"));
	assert_int_equal(fwd.dst_port, 6000);
}

static void continuity_across_reinvite(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	uint64_t now = T_NS;
	uint16_t len = 0;
	for (uint16_t i = 0; i < 10; i++, now += 20000000ull) {
		len = t_rtp(b, 0, (uint16_t)(65530 + i), 1000u + 160u * i, 0xAAAA0001, 160);
		assert_int_equal(send_a(f, f->ip_a, 4000, b, len, now, &fwd), 1);
	}
	uint16_t last_seq = t_seq(b);
	uint32_t last_ts = t_be32(b + 4);
	assert_int_equal(last_seq, 3);	/* wrapped */

	/* re-INVITE: A moves to another device with a new SSRC, seq and ts base. */
	bugle_dp_SessionUpdateRequest u;
	t_update(&u, "call-rtp", "a", "192.0.2.12", 7000);
	t_codec(&u.leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(relay_session_update(f->r, &u, now, &rep, err, sizeof(err)), 0);
	now += 40000000ull;	/* the first new packet comes 60 ms after the last one: 480 ticks */
	for (uint16_t i = 0; i < 3; i++, now += 20000000ull) {
		len = t_rtp(b, 0, (uint16_t)(5000 + i), 900000u + 160u * i, 0xCCCC0001, 160);
		assert_int_equal(send_a(f, t_ip("192.0.2.12"), 7000, b, len, now, &fwd), 1);
		assert_int_equal(t_be32(b + 8), 0xAAAA0001);
		assert_int_equal(t_seq(b), (uint16_t)(last_seq + 1 + i));
		assert_int_equal(t_be32(b + 4), last_ts + 480 + 160u * i);
	}
	/* and B's media now goes to the new device */
	len = t_rtp(b, 0, 1, 0, 0xBBBB0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, f->port_b, f->ip_b, 5000, b, len, len, now, &fwd), 1);
	assert_int_equal(fwd.dst_ip, t_ip("192.0.2.12"));
	assert_int_equal(fwd.dst_port, 7000);
}

static void bad_rtp_is_a_counted_drop(void **state)
{
	struct fx *f = *state;
	uint8_t b[2000];
	struct relay_fwd fwd;
	memset(b, 0, sizeof(b));
	uint16_t len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, f->ip_a, 4000, b, 11, 1, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_short), 1);
	b[0] = 0x40;	/* version 1 */
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 1, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_version), 1);
	b[0] = 0x8f;	/* 15 CSRCs do not fit in 20 bytes */
	assert_int_equal(send_a(f, f->ip_a, 4000, b, 20, 1, &fwd), 0);
	b[0] = 0x90;	/* extension header past the end */
	b[12 + 2] = 0xff;
	assert_int_equal(send_a(f, f->ip_a, 4000, b, 20, 1, &fwd), 0);
	b[0] = 0xa0;	/* padding longer than the packet */
	b[19] = 200;
	assert_int_equal(send_a(f, f->ip_a, 4000, b, 20, 1, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_short), 4);
	len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 1500);
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 1, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_oversized), 1);
	len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(relay_input(f->r, f->ctr, 30098, f->ip_a, 4000, b, len, len, 1, &fwd), 0);
	assert_int_equal(relay_input(f->r, f->ctr, 12345, f->ip_a, 4000, b, len, len, 1, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_drop_unknown_port), 2);
	assert_int_equal(ctr(f, RELAY_CTR_rtp_fwd), 0);
}

static void ssrc_storm_is_cut(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	int passed = 0;
	for (uint32_t i = 0; i < 20; i++) {
		uint16_t len = t_rtp(b, 0, 1, 0, 0x1000 + i, 160);
		passed += send_a(f, f->ip_a, 4000, b, len, T_NS + i * 1000, &fwd);
	}
	assert_int_equal(passed, 1 + RELAY_SSRC_CHANGES_PER_S);
	assert_int_equal(ctr(f, RELAY_CTR_drop_ssrc_storm), 20 - 1 - RELAY_SSRC_CHANGES_PER_S);
}

static void rtcp_follows_rtp(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	uint16_t len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 1, &fwd), 1);
	uint8_t sr[28] = { 0x80, 200, 0, 6, 0xAA, 0xAA, 0x00, 0x01 };
	assert_int_equal(relay_input(f->r, f->ctr, (uint16_t)(f->port_a + 1), f->ip_a, 4001, sr,
				     sizeof(sr), sizeof(sr), 2, &fwd), 1);
	assert_int_equal(fwd.dst_ip, f->ip_b);
	assert_int_equal(fwd.dst_port, 5001);
	assert_int_equal(fwd.src_port, f->port_b + 1);
	/* from another host: refused */
	assert_int_equal(relay_input(f->r, f->ctr, (uint16_t)(f->port_a + 1), t_ip("192.0.2.66"),
				     4001, sr, sizeof(sr), sizeof(sr), 3, &fwd), 0);
	assert_int_equal(relay_input(f->r, f->ctr, (uint16_t)(f->port_a + 1), f->ip_a, 4001, sr, 4, 4,
				     3, &fwd), 0);
	assert_int_equal(ctr(f, RELAY_CTR_rtcp_fwd), 1);
}

struct events {
	int n;
	char tags[8][RELAY_TAG_MAX];
};

static void on_event(void *arg, uint8_t kind, const char *call_id, const char *tag)
{
	struct events *e = arg;
	assert_int_equal(kind, bugle_dp_EventKind_EVENT_MEDIA_TIMEOUT);
	assert_string_equal(call_id, "call-rtp");
	if (e->n < 8)
		snprintf(e->tags[e->n], RELAY_TAG_MAX, "%s", tag);
	e->n++;
}

static void silent_leg_times_out_once(void **state)
{
	struct fx *f = *state;
	uint8_t b[200];
	struct relay_fwd fwd;
	struct events ev = { 0 };
	/* B keeps talking, A is silent after its first packet at t = 1 s. */
	uint16_t len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, T_NS, &fwd), 1);
	for (uint64_t t = 2; t <= 70; t++) {
		len = t_rtp(b, 0, (uint16_t)t, 0, 0xBBBB0001, 160);
		relay_input(f->r, f->ctr, f->port_b, f->ip_b, 5000, b, len, len, t * T_NS, &fwd);
		relay_tick(f->r, t * T_NS, on_event, &ev);
	}
	assert_int_equal(ev.n, 1);
	assert_string_equal(ev.tags[0], "a");
	assert_int_equal(ctr(f, RELAY_CTR_media_timeouts), 1);
	bugle_dp_SessionQueryRequest q = bugle_dp_SessionQueryRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "call-rtp");
	assert_int_equal(relay_session_query(f->r, &q, &rep, err, sizeof(err)), 0);
	assert_true(rep.legs[0].timed_out);
	assert_false(rep.legs[1].timed_out);
	/* media resumes: the flag clears and a new silence would be reported again */
	len = t_rtp(b, 0, 2, 160, 0xAAAA0001, 160);
	assert_int_equal(send_a(f, f->ip_a, 4000, b, len, 71 * T_NS, &fwd), 1);
	relay_tick(f->r, 72 * T_NS, on_event, &ev);
	assert_int_equal(relay_session_query(f->r, &q, &rep, err, sizeof(err)), 0);
	assert_false(rep.legs[0].timed_out);
}

static void held_leg_gets_the_long_timeout(void **state)
{
	struct fx *f = *state;
	struct events ev = { 0 };
	bugle_dp_SessionUpdateRequest u;
	t_update(&u, "call-rtp", "b", "192.0.2.11", 5000);
	u.leg.direction = bugle_dp_MediaDirection_DIRECTION_SENDONLY;
	t_codec(&u.leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(relay_session_update(f->r, &u, 0, &rep, err, sizeof(err)), 0);
	relay_tick(f->r, 120 * T_NS, on_event, &ev);
	assert_int_equal(ev.n, 1);	/* only A (60 s); B is on hold */
	assert_string_equal(ev.tags[0], "a");
	relay_tick(f->r, 3601 * T_NS, on_event, &ev);
	assert_int_equal(ev.n, 2);
	assert_string_equal(ev.tags[1], "b");
}

static void nothing_goes_out_before_the_answer(void **state)
{
	(void)state;
	struct fx f = { 0 };
	struct relay_config cfg = t_config(30000, 30099, 4);
	f.r = relay_new(&cfg, err, sizeof(err));
	f.ctr = relay_lcore_counters(f.r);
	make_offer(&f, false);
	f.port_a = (uint16_t)rep.legs[0].local_port;
	uint8_t b[200];
	struct relay_fwd fwd;
	uint16_t len = t_rtp(b, 0, 1, 0, 0xAAAA0001, 160);
	assert_int_equal(send_a(&f, t_ip("192.0.2.10"), 4000, b, len, 1, &fwd), 0);
	assert_int_equal(relay_counter_sum(f.r, RELAY_CTR_drop_no_remote), 1);
	relay_free(f.r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(forwards_both_ways_intact, setup, teardown),
		cmocka_unit_test_setup_teardown(payload_types_are_mapped, setup, teardown),
		cmocka_unit_test_setup_teardown(loss_is_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(latches_to_the_observed_source, setup, teardown),
		cmocka_unit_test_setup_teardown(hijack_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(continuity_across_reinvite, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_rtp_is_a_counted_drop, setup, teardown),
		cmocka_unit_test_setup_teardown(ssrc_storm_is_cut, setup, teardown),
		cmocka_unit_test_setup_teardown(rtcp_follows_rtp, setup, teardown),
		cmocka_unit_test_setup_teardown(silent_leg_times_out_once, setup, teardown),
		cmocka_unit_test_setup_teardown(held_leg_gets_the_long_timeout, setup, teardown),
		cmocka_unit_test(nothing_goes_out_before_the_answer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
