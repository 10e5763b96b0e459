/* Requests from the public side: what the control plane receives, and the stateless answers
 * the edge gives itself (483, 503). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edge_dispatch.h"
#include "edge_test_env.h"
#include "edge_topo.h"
#include "sip_msg.h"
#include "sip_uri.h"

static const char INVITE_FMT[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKinv1;rport\r\n"
	"Max-Forwards: @@\r\n"
	"From: \"Alice\" <sip:alice@example.com>;tag=a2\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: inv-1@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:alice@10.0.0.5:5060>\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Length: 38\r\n\r\n"
	"v=0\r\nc=IN IP4 10.0.0.5\r\nm=audio 0 RTP\r\n";

/* The node rendezvous hashing must choose, recomputed from the dispatcher. */
static const struct edge_node *expected_node(struct edge_env *e, const char *call_id)
{
	return edge_dispatch_pick(&e->core, call_id, strlen(call_id), e->now_ms);
}

static void test_register_via_path_node(void **state)
{
	struct edge_env *e = *state;
	char path[512];

	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, T_REGISTER), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);
	const struct edge_node *n = expected_node(e, "reg-1@10.0.0.5");
	assert_non_null(n);
	assert_int_equal(e->act.dst_ip, n->ip);
	assert_int_equal(e->act.dst_port, T_NODE_PORT);

	struct sip_msg *m = &e->parsed;
	assert_int_equal(sip_msg_parse_via(m), 0);
	assert_int_equal(m->n_via, 2);
	assert_int_equal(m->via[0].host.len, 12);
	assert_memory_equal(m->via[0].host.s, "198.51.100.1", 12);
	assert_int_equal(m->via[0].port, 5060);
	assert_true(m->via[0].branch.len > strlen(EDGE_FWD_BRANCH));
	assert_memory_equal(m->via[0].branch.s, EDGE_FWD_BRANCH, strlen(EDGE_FWD_BRANCH));
	assert_int_equal(m->via[1].received.len, 11);
	assert_memory_equal(m->via[1].received.s, "203.0.113.5", 11);
	assert_int_equal(m->via[1].rport.len, 4);
	assert_memory_equal(m->via[1].rport.s, "5070", 4);
	assert_int_equal(sip_msg_parse_max_forwards(m), 0);
	assert_int_equal(m->max_forwards, 69);

	/* Path names our internal side and carries the phone's NAT address as a flow token. */
	assert_int_equal(edge_env_header(e, "Path", path, sizeof(path)), 0);
	const char *pre = "<sip:198.51.100.1:5060;lr;" EDGE_FLOW_PARAM "=";
	assert_int_equal(strncmp(path, pre, strlen(pre)), 0);
	char *tok = path + strlen(pre), *end = strchr(tok, '>');
	assert_non_null(end);
	char plain[64];
	int n2 = edge_topo_decode(e->core.key, tok, (size_t)(end - tok), plain, sizeof(plain));
	assert_int_equal(n2, 16);
	assert_memory_equal(plain, "203.0.113.5:5070", 16);
	/* No Record-Route on a REGISTER. */
	assert_int_equal(e->parsed.count[SIP_HDR_RECORD_ROUTE], 0);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_control), 1);

	/* A retransmission goes to the same node with the same branch. */
	char first[EDGE_MAX_DGRAM];
	memcpy(first, e->out, e->act.len + 1);
	uint32_t first_ip = e->act.dst_ip;
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, T_REGISTER), EDGE_ACT_SEND);
	assert_int_equal(e->act.dst_ip, first_ip);
	assert_string_equal(e->out, first);
}

static void test_invite_record_route_max_forwards(void **state)
{
	struct edge_env *e = *state;
	char msg[2048], rr[128];

	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "70");
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, msg), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);
	assert_int_equal(e->act.dst_ip, expected_node(e, "inv-1@10.0.0.5")->ip);
	assert_int_equal(edge_env_header(e, "Record-Route", rr, sizeof(rr)), 0);
	assert_string_equal(rr, "<sip:198.51.100.1:5060;lr>");
	assert_int_equal(sip_msg_parse_max_forwards(&e->parsed), 0);
	assert_int_equal(e->parsed.max_forwards, 69);
	/* The body is forwarded untouched. */
	assert_int_equal(e->parsed.body.len, 38);
	assert_memory_equal(e->parsed.body.s, "v=0\r\nc=IN IP4 10.0.0.5\r\n", 24);

	/* Max-Forwards 1 still goes (as 0); 0 is answered 483 to the sender. */
	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "1");
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, msg), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);
	assert_int_equal(sip_msg_parse_max_forwards(&e->parsed), 0);
	assert_int_equal(e->parsed.max_forwards, 0);

	edge_env_subst(msg, sizeof(msg), INVITE_FMT, "0");
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, msg), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 0, T_PHONE_IP, T_PHONE_PORT);
	assert_int_equal(e->parsed.type, SIP_RESPONSE);
	assert_int_equal(e->parsed.status, 483);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_control), 2);
}

/* An in-dialog request (To tag) gets no Record-Route. */
static void test_in_dialog_no_record_route(void **state)
{
	struct edge_env *e = *state;
	static const char bye[] =
		"BYE sip:bob@203.0.113.7:5062 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKbye1\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@example.com>;tag=a2\r\n"
		"To: <sip:bob@example.com>;tag=b2\r\n"
		"Call-ID: inv-1@10.0.0.5\r\n"
		"CSeq: 2 BYE\r\n"
		"Content-Length: 0\r\n\r\n";

	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, bye), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);
	assert_int_equal(e->parsed.count[SIP_HDR_RECORD_ROUTE], 0);
	/* No rport asked: received only. */
	assert_int_equal(sip_msg_parse_via(&e->parsed), 0);
	assert_true(e->parsed.via[1].has_received);
	assert_false(e->parsed.via[1].has_rport);
}

static void test_no_healthy_node_503(void **state)
{
	struct edge_env *e = *state;

	/* Nothing answered the probes for longer than dead_after_ms. */
	e->now_ms += 5000;
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, T_REGISTER), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 0);
	assert_int_equal(e->act.dst_ip, T_PHONE_IP);
	assert_int_equal(e->parsed.status, 503);
	assert_int_equal(edge_env_counter(e, EDGE_C_no_node), 1);
}

/* A response on the public side that does not carry our Via is dropped and counted. */
static void test_foreign_response_dropped(void **state)
{
	struct edge_env *e = *state;
	static const char resp[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKnotours\r\n"
		"From: <sip:a@example.com>;tag=1\r\n"
		"To: <sip:b@example.com>;tag=2\r\n"
		"Call-ID: x@y\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, resp), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_not_our_via), 1);
}

/* A Request-URI with ?headers is forwarded without them. */
static void test_ruri_headers_stripped(void **state)
{
	struct edge_env *e = *state;
	static const char opt[] =
		"OPTIONS sip:bob@example.com?Subject=x SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKopt1\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:alice@example.com>;tag=a3\r\n"
		"To: <sip:bob@example.com>\r\n"
		"Call-ID: opt-1@10.0.0.5\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	int kind = edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, opt);
	if (kind == EDGE_ACT_SEND && e->act.side == 1) {
		assert_int_equal(e->parsed.ruri.len, strlen("sip:bob@example.com"));
		assert_memory_equal(e->parsed.ruri.s, "sip:bob@example.com", e->parsed.ruri.len);
	} else {
		/* The sanity check may refuse it instead: then with a 400 to the sender. */
		assert_int_equal(kind, EDGE_ACT_SEND);
		assert_int_equal(e->parsed.status, 400);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EDGE_ENV_TEST(test_register_via_path_node),
		EDGE_ENV_TEST(test_invite_record_route_max_forwards),
		EDGE_ENV_TEST(test_in_dialog_no_record_route),
		EDGE_ENV_TEST(test_no_healthy_node_503),
		EDGE_ENV_TEST(test_foreign_response_dropped),
		EDGE_ENV_TEST(test_ruri_headers_stripped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
