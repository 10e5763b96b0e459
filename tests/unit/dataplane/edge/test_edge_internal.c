/* Messages from a control plane: responses pop our Via and go to received/rport; requests go
 * by our Path flow token, the next Route or the Request-URI; hidden Contacts come back. Every
 * public-bound output is scanned for internal addresses by edge_env_run(). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "edge_test_env.h"
#include "edge_topo.h"
#include "sip_msg.h"
#include "sip_uri.h"

static const char INVITE[] =
	"INVITE sip:bob@example.com SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKinv1;rport\r\n"
	"Max-Forwards: 70\r\n"
	"From: <sip:alice@example.com>;tag=a2\r\n"
	"To: <sip:bob@example.com>\r\n"
	"Call-ID: inv-1@10.0.0.5\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:alice@10.0.0.5:5060>\r\n"
	"Content-Length: 0\r\n\r\n";

/* The Via lines of the forwarded copy in e->out, concatenated with CRLFs, into buf. */
static void via_lines(struct edge_env *e, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (uint8_t h = e->parsed.first[SIP_HDR_VIA]; h != SIP_HDR_NONE; h = e->parsed.hdr[h].next) {
		const struct sip_hdr *l = &e->parsed.hdr[h];
		size_t len = l->line_end - l->line_start;
		assert_true(n + len < cap);
		memcpy(buf + n, e->out + l->line_start, len);
		n += len;
	}
	buf[n] = '\0';
}

/* Public request forwarded, then the control plane answers with `status` and extra lines. */
static void answer(struct edge_env *e, const char *req, const char *status, const char *extra)
{
	char vias[1024], path[512] = "", msg[4096];
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, req), EDGE_ACT_SEND);
	assert_int_equal(e->act.side, 1);
	uint32_t node = e->act.dst_ip;
	via_lines(e, vias, sizeof(vias));
	if (edge_env_header(e, "Path", path + 6, sizeof(path) - 8) == 0) {
		memcpy(path, "Path: ", 6);
		strcat(path, "\r\n");
	}
	char rr[256] = "";
	if (edge_env_header(e, "Record-Route", rr + 14, sizeof(rr) - 16) == 0) {
		memcpy(rr, "Record-Route: ", 14);
		strcat(rr, "\r\n");
	}
	assert_int_equal(sip_msg_parse_call_id(&e->parsed), 0);
	assert_int_equal(sip_msg_parse_cseq(&e->parsed), 0);
	snprintf(msg, sizeof(msg),
		 "SIP/2.0 %s\r\n%s%s%s"
		 "From: <sip:alice@example.com>;tag=a1\r\n"
		 "To: <sip:alice@example.com>;tag=cp1\r\n"
		 "Call-ID: %.*s\r\n"
		 "CSeq: %u %.*s\r\n%s"
		 "Content-Length: 0\r\n\r\n",
		 status, vias, path, rr, (int)e->parsed.call_id.len, e->parsed.call_id.s,
		 e->parsed.cseq.number, (int)e->parsed.cseq.method.len, e->parsed.cseq.method.s,
		 extra);
	assert_int_equal(edge_env_run(e, 1, node, T_NODE_PORT, msg), EDGE_ACT_SEND);
}

static void test_response_pops_via_to_rport(void **state)
{
	struct edge_env *e = *state;

	answer(e, T_REGISTER, "200 OK", "Contact: <sip:alice@10.0.0.5:5060>;expires=3600\r\n");
	assert_edge_sent_to(e, 0, T_PHONE_IP, T_PHONE_PORT);
	assert_int_equal(e->parsed.status, 200);
	assert_int_equal(sip_msg_parse_via(&e->parsed), 0);
	assert_int_equal(e->parsed.n_via, 1);
	assert_memory_equal(e->parsed.via[0].branch.s, "z9hG4bKreg1", 11);
	/* Our Path (internal address) does not go back to the phone. */
	assert_int_equal(e->parsed.count[SIP_HDR_PATH], 0);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_public), 1);
}

/* The answer to an INVITE: Record-Route names our public side, the control plane's Contact
 * is hidden; the phone's ACK to that Contact reaches the same control plane restored. */
static void test_dialog_contact_hidden_and_restored(void **state)
{
	struct edge_env *e = *state;
	char rr[128], contact[512], ack[2048];

	answer(e, INVITE, "200 OK", "Contact: <sip:bob@198.51.100.2:5080;transport=udp>\r\n");
	assert_int_equal(e->act.side, 0);
	assert_int_equal(edge_env_header(e, "Record-Route", rr, sizeof(rr)), 0);
	assert_string_equal(rr, "<sip:192.0.2.1:5060;lr>");
	assert_int_equal(edge_env_header(e, "Contact", contact, sizeof(contact)), 0);
	const char *pre = "<sip:192.0.2.1:5060;" EDGE_CONTACT_PARAM "=";
	assert_int_equal(strncmp(contact, pre, strlen(pre)), 0);
	*strchr(contact, '>') = '\0';

	/* ACK with Request-URI = hidden Contact and Route = our public Record-Route. */
	snprintf(ack, sizeof(ack),
		 "ACK %s SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bKack1;rport\r\n"
		 "Route: <sip:192.0.2.1:5060;lr>\r\n"
		 "Max-Forwards: 70\r\n"
		 "From: <sip:alice@example.com>;tag=a2\r\n"
		 "To: <sip:bob@example.com>;tag=cp1\r\n"
		 "Call-ID: inv-1@10.0.0.5\r\n"
		 "CSeq: 1 ACK\r\n"
		 "Content-Length: 0\r\n\r\n",
		 contact + 1);
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, ack), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 1, T_NODE1_IP, T_NODE_PORT);
	const char *want = "sip:bob@198.51.100.2:5080;transport=udp";
	assert_int_equal(e->parsed.ruri.len, strlen(want));
	assert_memory_equal(e->parsed.ruri.s, want, strlen(want));
	/* Our own Route entry is consumed. */
	assert_int_equal(e->parsed.count[SIP_HDR_ROUTE], 0);

	/* The same ACK with one character of the token changed is refused and counted. */
	char *tok = strstr(ack, EDGE_CONTACT_PARAM "=") + strlen(EDGE_CONTACT_PARAM) + 1;
	tok[3] = tok[3] == 'A' ? 'B' : 'A';
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, ack), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_topo_bad_token), 1);
}

/* The flow token of the Path the phone registered with: the control plane's INVITE to the
 * phone comes back with it as the top Route and goes to the phone's NAT address. */
static void register_and_get_path(struct edge_env *e, char *path, size_t cap)
{
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, T_REGISTER), EDGE_ACT_SEND);
	assert_int_equal(edge_env_header(e, "Path", path, cap), 0);
}

static const char CP_INVITE[] =
	"INVITE sip:alice@10.0.0.5:5060 SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.2:5080;branch=z9hG4bKcp1;rport\r\n"
	"@@"
	"Max-Forwards: 70\r\n"
	"From: <sip:bob@example.com>;tag=cpb\r\n"
	"To: <sip:alice@example.com>\r\n"
	"Call-ID: cp-call-1\r\n"
	"CSeq: 10 INVITE\r\n"
	"Contact: <sip:bob@198.51.100.2:5080>\r\n"
	"Record-Route: <sip:198.51.100.1:5060;lr>\r\n"
	"Content-Length: 0\r\n\r\n";

static void test_cp_request_by_path_flow(void **state)
{
	struct edge_env *e = *state;
	char path[512], route[600], msg[4096];

	register_and_get_path(e, path, sizeof(path));
	snprintf(route, sizeof(route), "Route: %s\r\n", path);
	edge_env_subst(msg, sizeof(msg), CP_INVITE, route);
	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, msg), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 0, T_PHONE_IP, T_PHONE_PORT);
	assert_int_equal(e->parsed.count[SIP_HDR_ROUTE], 0);
	assert_int_equal(sip_msg_parse_via(&e->parsed), 0);
	assert_int_equal(e->parsed.n_via, 1);
	assert_int_equal(sip_msg_parse_max_forwards(&e->parsed), 0);
	assert_int_equal(e->parsed.max_forwards, 69);
	char rr[128];
	assert_int_equal(edge_env_header(e, "Record-Route", rr, sizeof(rr)), 0);
	assert_string_equal(rr, "<sip:192.0.2.1:5060;lr>");

	/* The phone answers 180 through our public Via: the control plane's Via comes back. */
	char vias[1024], resp[4096];
	snprintf(vias, sizeof(vias), "Via: %.*s\r\n", (int)e->parsed.via[0].whole.len,
		 e->parsed.via[0].whole.s);
	snprintf(resp, sizeof(resp),
		 "SIP/2.0 180 Ringing\r\n%s"
		 "From: <sip:bob@example.com>;tag=cpb\r\n"
		 "To: <sip:alice@example.com>;tag=ph1\r\n"
		 "Call-ID: cp-call-1\r\n"
		 "CSeq: 10 INVITE\r\n"
		 "Content-Length: 0\r\n\r\n",
		 vias);
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, resp), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 1, T_NODE1_IP, T_NODE_PORT);
	assert_int_equal(sip_msg_parse_via(&e->parsed), 0);
	assert_int_equal(e->parsed.n_via, 1);
	assert_memory_equal(e->parsed.via[0].branch.s, "z9hG4bKcp1", 10);

	/* The same answer with a tampered branch token is refused and counted. */
	char *b = strstr(resp, EDGE_VIA_BRANCH) + strlen(EDGE_VIA_BRANCH) + 5;
	*b = *b == 'x' ? 'y' : 'x';
	assert_int_equal(edge_env_run(e, 0, T_PHONE_IP, T_PHONE_PORT, resp), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_topo_bad_token), 1);
}

static void test_cp_request_forged_flow_refused(void **state)
{
	struct edge_env *e = *state;
	char path[512], route[600], msg[4096];

	register_and_get_path(e, path, sizeof(path));
	char *tok = strstr(path, EDGE_FLOW_PARAM "=") + strlen(EDGE_FLOW_PARAM) + 1;
	tok[2] = tok[2] == 'Q' ? 'R' : 'Q';
	snprintf(route, sizeof(route), "Route: %s\r\n", path);
	edge_env_subst(msg, sizeof(msg), CP_INVITE, route);
	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, msg), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_topo_bad_token), 1);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_public), 0);
}

static void test_cp_request_by_route_and_ruri(void **state)
{
	struct edge_env *e = *state;
	char msg[4096];

	/* Our internal Route first, then a carrier: it goes to the carrier. */
	edge_env_subst(msg, sizeof(msg), CP_INVITE,
		       "Route: <sip:198.51.100.1;lr>, <sip:203.0.113.9:5064;lr>\r\n");
	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, msg), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 0, 0xCB007109u, 5064);
	char route[128];
	assert_int_equal(edge_env_header(e, "Route", route, sizeof(route)), 0);
	assert_string_equal(route, "<sip:203.0.113.9:5064;lr>");

	/* No Route: the Request-URI. */
	static const char opt[] =
		"OPTIONS sip:carrier@203.0.113.7:5062 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 198.51.100.3:5080;branch=z9hG4bKcp2\r\n"
		"Via: SIP/2.0/UDP 198.51.100.9:5090;branch=z9hG4bKcp3\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:pbx@example.com>;tag=cpo\r\n"
		"To: <sip:carrier@203.0.113.7>\r\n"
		"Call-ID: cp-opt-1\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";
	assert_int_equal(edge_env_run(e, 1, T_NODE2_IP, T_NODE_PORT, opt), EDGE_ACT_SEND);
	assert_edge_sent_to(e, 0, 0xCB007107u, 5062);
	assert_int_equal(sip_msg_parse_via(&e->parsed), 0);
	assert_int_equal(e->parsed.n_via, 1);

	/* A request naming an internal destination is not sent anywhere. */
	static const char loop[] =
		"OPTIONS sip:x@198.51.100.3:5080 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 198.51.100.2:5080;branch=z9hG4bKcp4\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:pbx@example.com>;tag=cpo\r\n"
		"To: <sip:x@example.com>\r\n"
		"Call-ID: cp-opt-2\r\n"
		"CSeq: 1 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";
	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, loop), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_no_route), 1);
}

/* Internal addresses in places the rewrites do not touch: the message is not sent. */
static void test_leak_in_body_dropped(void **state)
{
	struct edge_env *e = *state;
	static const char msg[] =
		"MESSAGE sip:carrier@203.0.113.7:5062 SIP/2.0\r\n"
		"Via: SIP/2.0/UDP 198.51.100.2:5080;branch=z9hG4bKcp5\r\n"
		"Max-Forwards: 70\r\n"
		"From: <sip:pbx@example.com>;tag=cpm\r\n"
		"To: <sip:carrier@203.0.113.7>\r\n"
		"Call-ID: cp-msg-1\r\n"
		"CSeq: 1 MESSAGE\r\n"
		"Content-Type: text/plain\r\n"
		"Content-Length: 18\r\n\r\n"
		"ask 198.51.100.44\n";

	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, msg), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_topo_leak_dropped), 1);
}

/* The answer to our health probe is consumed, not forwarded. */
static void test_probe_answer_consumed(void **state)
{
	struct edge_env *e = *state;
	static const char ok[] =
		"SIP/2.0 200 OK\r\n"
		"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKbglhc7\r\n"
		"From: <sip:edge@198.51.100.1>;tag=bglhc\r\n"
		"To: <sip:198.51.100.2:5080>;tag=x\r\n"
		"Call-ID: bglhc-7@198.51.100.1\r\n"
		"CSeq: 7 OPTIONS\r\n"
		"Content-Length: 0\r\n\r\n";

	assert_int_equal(edge_env_run(e, 1, T_NODE1_IP, T_NODE_PORT, ok), EDGE_ACT_DROP);
	assert_int_equal(edge_env_counter(e, EDGE_C_health_replies), 1);
	assert_int_equal(edge_env_counter(e, EDGE_C_forwarded_to_public), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		EDGE_ENV_TEST(test_response_pops_via_to_rport),
		EDGE_ENV_TEST(test_dialog_contact_hidden_and_restored),
		EDGE_ENV_TEST(test_cp_request_by_path_flow),
		EDGE_ENV_TEST(test_cp_request_forged_flow_refused),
		EDGE_ENV_TEST(test_cp_request_by_route_and_ruri),
		EDGE_ENV_TEST(test_leak_in_body_dropped),
		EDGE_ENV_TEST(test_probe_answer_consumed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
