/* Session set-up and tear-down: offer/answer replies, clear errors for unknown sessions,
 * impossible codecs, a full table and exhausted ports; delete frees ports after the grace. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "relay.h"
#include "relay_session.h"
#include "relay_test_util.h"

static bugle_dp_SessionReply rep;
static char err[256];

static int offer(struct relay *r, const char *call_id, uint64_t now)
{
	bugle_dp_SessionOfferRequest req = bugle_dp_SessionOfferRequest_init_zero;
	snprintf(req.call_id, sizeof(req.call_id), "%s", call_id);
	req.has_from_leg = true;
	t_leg(&req.from_leg, "a", "192.0.2.10", 4000);
	t_codec(&req.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	t_codec(&req.from_leg, bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101, 8000);
	err[0] = '\0';
	return relay_session_offer(r, &req, now, &rep, err, sizeof(err));
}

static int answer(struct relay *r, const char *call_id, bugle_dp_Codec codec, uint32_t pt)
{
	bugle_dp_SessionAnswerRequest req = bugle_dp_SessionAnswerRequest_init_zero;
	snprintf(req.call_id, sizeof(req.call_id), "%s", call_id);
	req.has_to_leg = true;
	t_leg(&req.to_leg, "b", "192.0.2.11", 5000);
	t_codec(&req.to_leg, codec, pt, 0);
	err[0] = '\0';
	return relay_session_answer(r, &req, 0, &rep, err, sizeof(err));
}

static void offer_then_answer(void **state)
{
	(void)state;
	struct relay_config cfg = t_config(30000, 30099, 8);
	struct relay *r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(offer(r, "call-1", 0), 0);
	assert_string_equal(rep.call_id, "call-1");
	assert_string_equal(rep.local_ip, T_PUBLIC_IP);
	assert_int_equal(rep.legs_count, 2);
	uint16_t port_a = (uint16_t)rep.legs[0].local_port, port_b = (uint16_t)rep.legs[1].local_port;
	assert_int_equal(port_a % 2, 0);
	assert_int_equal(port_b % 2, 0);
	assert_int_not_equal(port_a, port_b);
	assert_int_equal(rep.local_port, port_b);	/* toward the answerer */
	assert_int_equal(rep.codecs_count, 2);
	assert_int_equal(relay_sessions_active(r), 1);

	assert_int_equal(answer(r, "call-1", bugle_dp_Codec_CODEC_PCMU, 0), 0);
	assert_int_equal(rep.local_port, port_a);	/* toward the offerer */
	assert_int_equal(rep.codecs_count, 1);		/* only what both legs have */
	assert_int_equal(rep.codecs[0].codec, bugle_dp_Codec_CODEC_PCMU);
	assert_string_equal(rep.legs[1].leg_tag, "b");
	assert_string_equal(rep.legs[1].remote_ip, "192.0.2.11");
	assert_int_equal(rep.legs[1].remote_port, 5000);
	relay_free(r);
}

static void clear_errors(void **state)
{
	(void)state;
	struct relay_config cfg = t_config(30000, 30099, 8);
	struct relay *r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(answer(r, "nope", bugle_dp_Codec_CODEC_PCMU, 0),
			 bugle_dp_Status_STATUS_NOT_FOUND);
	assert_non_null(strstr(err, "nope"));
	assert_int_equal(offer(r, "call-1", 0), 0);
	/* telephone-event alone: no audio at all, nothing to transcode to */
	assert_int_equal(answer(r, "call-1", bugle_dp_Codec_CODEC_TELEPHONE_EVENT, 101),
			 bugle_dp_Status_STATUS_FAILED_PRECONDITION);
	assert_non_null(strstr(err, "no audio codec in common"));

	bugle_dp_SessionQueryRequest q = bugle_dp_SessionQueryRequest_init_zero;
	snprintf(q.call_id, sizeof(q.call_id), "missing");
	assert_int_equal(relay_session_query(r, &q, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_NOT_FOUND);
	bugle_dp_SessionDeleteRequest d = bugle_dp_SessionDeleteRequest_init_zero;
	snprintf(d.call_id, sizeof(d.call_id), "missing");
	assert_int_equal(relay_session_delete(r, &d, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_NOT_FOUND);

	bugle_dp_SessionUpdateRequest u;
	t_update(&u, "call-1", "zz", "192.0.2.12", 6000);
	t_codec(&u.leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(relay_session_update(r, &u, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_NOT_FOUND);
	assert_non_null(strstr(err, "no leg 'zz'"));

	bugle_dp_SessionOfferRequest bad = bugle_dp_SessionOfferRequest_init_zero;
	snprintf(bad.call_id, sizeof(bad.call_id), "call-2");
	bad.has_from_leg = true;
	t_leg(&bad.from_leg, "a", "not-an-ip", 4000);
	t_codec(&bad.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(relay_session_offer(r, &bad, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_INVALID_ARGUMENT);
	assert_non_null(strstr(err, "not-an-ip"));
	assert_int_equal(relay_sessions_active(r), 1);
	relay_free(r);
}

static void full_table_and_exhausted_ports(void **state)
{
	(void)state;
	/* 2 sessions, 6 port pairs: the table fills first. */
	struct relay_config cfg = t_config(30000, 30011, 2);
	struct relay *r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(offer(r, "c1", 0), 0);
	assert_int_equal(offer(r, "c2", 0), 0);
	assert_int_equal(offer(r, "c3", 0), bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED);
	assert_non_null(strstr(err, "session table full"));
	relay_free(r);

	/* 8 sessions, 3 port pairs: one session (2 pairs) fits, then the ports run out. */
	cfg = t_config(30000, 30005, 8);
	r = relay_new(&cfg, err, sizeof(err));
	assert_non_null(r);
	assert_int_equal(offer(r, "c1", 0), 0);
	assert_int_equal(offer(r, "c2", 0), bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED);
	assert_non_null(strstr(err, "RTP ports exhausted"));
	assert_int_equal(relay_counter_sum(r, RELAY_CTR_offers_refused_no_ports), 1);

	/* delete: the ports come back only after the grace period */
	bugle_dp_SessionDeleteRequest d = bugle_dp_SessionDeleteRequest_init_zero;
	snprintf(d.call_id, sizeof(d.call_id), "c1");
	assert_int_equal(relay_session_delete(r, &d, 10 * T_NS, &rep, err, sizeof(err)), 0);
	assert_int_equal(relay_sessions_active(r), 0);
	relay_tick(r, 10 * T_NS + RELAY_GRACE_NS / 2, NULL, NULL);
	assert_int_equal(offer(r, "c2", 0), bugle_dp_Status_STATUS_RESOURCE_EXHAUSTED);
	relay_tick(r, 10 * T_NS + RELAY_GRACE_NS, NULL, NULL);
	assert_int_equal(offer(r, "c2", 0), 0);
	relay_free(r);
}

static void repeated_offer_is_idempotent_other_leg_conflicts(void **state)
{
	(void)state;
	struct relay_config cfg = t_config(30000, 30099, 8);
	struct relay *r = relay_new(&cfg, err, sizeof(err));
	assert_int_equal(offer(r, "c1", 0), 0);
	uint32_t port = rep.local_port;
	assert_int_equal(offer(r, "c1", 0), 0);
	assert_int_equal(rep.local_port, port);
	assert_int_equal(relay_sessions_active(r), 1);
	bugle_dp_SessionOfferRequest req = bugle_dp_SessionOfferRequest_init_zero;
	snprintf(req.call_id, sizeof(req.call_id), "c1");
	req.has_from_leg = true;
	t_leg(&req.from_leg, "x", "192.0.2.10", 4000);
	t_codec(&req.from_leg, bugle_dp_Codec_CODEC_PCMU, 0, 8000);
	assert_int_equal(relay_session_offer(r, &req, 0, &rep, err, sizeof(err)),
			 bugle_dp_Status_STATUS_ALREADY_EXISTS);
	relay_free(r);
}

static void bad_config_is_refused(void **state)
{
	(void)state;
	struct relay_config cfg = t_config(30001, 30001, 8);
	assert_null(relay_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "rtp_port"));
	cfg = t_config(30000, 30010, 0);
	assert_null(relay_new(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "max_sessions"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(offer_then_answer),
		cmocka_unit_test(clear_errors),
		cmocka_unit_test(full_table_and_exhausted_ports),
		cmocka_unit_test(repeated_offer_is_idempotent_other_leg_conflicts),
		cmocka_unit_test(bad_config_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
