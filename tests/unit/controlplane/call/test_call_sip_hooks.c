/* What the call controller needs from the SIP stack: INVITEs toward phones with their
 * provisional answers reported, CANCEL with the INVITE's branch and Route, the ACK for a 2xx
 * sent outside any transaction to the outbound proxy, and ACKs matching no transaction handed
 * to the controller. Datagrams are captured through the stack's send hook. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-dialog.h"
#include "call_test_sip.h"
#include "response.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROXY_PORT 5999

struct fixture {
	uv_loop_t loop;
	struct csip_stack *st;
	char sent[8][4096];		/* datagrams, in order */
	struct sockaddr_in to[8];
	int n_sent;
	int provisional, finals, final_status, acks;
};

static int capture(void *arg, const char *buf, size_t len, const struct sockaddr_in *to)
{
	struct fixture *f = arg;
	if (f->n_sent < 8 && len < sizeof(f->sent[0])) {
		memcpy(f->sent[f->n_sent], buf, len);
		f->sent[f->n_sent][len] = '\0';
		f->to[f->n_sent++] = *to;
	}
	return 0;
}

static void on_ack(void *arg, const osip_message_t *ack)
{
	(void)ack;
	((struct fixture *)arg)->acks++;
}

static struct fixture *fixture_new(bool ack_hook)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	char proxy[32];
	snprintf(proxy, sizeof(proxy), "127.0.0.1:%d", PROXY_PORT);
	struct csip_stack_options o = {
		.listen = "127.0.0.1:0",
		.outbound_proxy = proxy,
		.max_transactions = 16,
		.arg = f,
		.on_ack = ack_hook ? on_ack : NULL,
		.send = capture,
		.send_arg = f,
	};
	f->st = csip_stack_new(&f->loop, &o);
	assert_non_null(f->st);
	assert_int_equal(csip_stack_start(f->st), 0);
	return f;
}

static void fixture_free(struct fixture *f)
{
	csip_stack_close(f->st);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
}

static void provisional(void *arg, const osip_message_t *resp)
{
	struct fixture *f = arg;
	assert_int_equal(resp->status_code, 180);
	f->provisional++;
}

static void final(void *arg, int status, const osip_message_t *resp)
{
	(void)resp;
	struct fixture *f = arg;
	f->finals++;
	f->final_status = status;
}

/* The phone's answer to a captured request, fed back as if the proxy relayed it. */
static void answer(struct fixture *f, const char *request_text, int code, const char *reason)
{
	osip_message_t *req = parse(request_text);
	osip_message_t *resp = csip_response_new(req, code, reason, "phone-tag");
	assert_non_null(resp);
	if (code == 200) {
		osip_message_set_contact(resp, "<sip:bob@192.0.2.11:5071>");
		osip_message_set_record_route(resp, "<sip:198.51.100.1;lr>");
	}
	char *text = NULL;
	size_t len = 0;
	assert_int_equal(osip_message_to_str(resp, &text, &len), 0);
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(PROXY_PORT) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	csip_stack_input(f->st, text, len, &src);
	csip_stack_run(f->st);
	osip_free(text);
	osip_message_free(resp);
	osip_message_free(req);
}

static osip_message_t *invite_to_bob(void)
{
	static const char a[] = "INVITE sip:1002@acme.example SIP/2.0\r\n"
				"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKedge\r\n"
				"From: <sip:alice@acme.example>;tag=a1\r\n"
				"To: <sip:1002@acme.example>\r\n"
				"Call-ID: a-leg\r\nCSeq: 1 INVITE\r\nMax-Forwards: 70\r\n"
				"Contact: <sip:alice@192.0.2.10>\r\nContent-Length: 0\r\n\r\n";
	osip_message_t *ai = parse(a);
	struct call_b_invite o = { .target = "sip:bob@192.0.2.11:5071", .call_id = "b-leg",
				   .from_tag = "b1", .contact = "<sip:127.0.0.1:5060>" };
	osip_message_t *b = call_b_invite_new(ai, &o);
	osip_message_free(ai);
	assert_non_null(b);
	return b;
}

static const char *top_branch(const char *text, char *out, size_t cap)
{
	const char *b = strstr(text, "branch=");
	assert_non_null(b);
	size_t n = strcspn(b, ";\r\n");
	assert_true(n < cap);
	memcpy(out, b, n);
	out[n] = '\0';
	return out;
}

static void invite_ringing_answered_and_acked(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(false);
	struct csip_tx *tx = NULL;
	osip_message_t *inv = invite_to_bob();
	osip_message_t *copy = NULL;
	assert_int_equal(osip_message_clone(inv, &copy), 0);
	assert_int_equal(csip_stack_send_invite(f->st, inv, "<sip:198.51.100.1;lr;flow=x>",
						provisional, final, f, &tx),
			 0);
	assert_non_null(tx);
	assert_int_equal(f->n_sent, 1);
	assert_int_equal(ntohs(f->to[0].sin_port), PROXY_PORT);
	assert_non_null(strstr(f->sent[0], "INVITE sip:bob@192.0.2.11:5071 SIP/2.0\r\n"));
	assert_non_null(strstr(f->sent[0], "Route: <sip:198.51.100.1;lr;flow=x>"));

	answer(f, f->sent[0], 180, "Ringing");
	assert_int_equal(f->provisional, 1);
	assert_int_equal(f->finals, 0);
	answer(f, f->sent[0], 200, "OK");
	assert_int_equal(f->finals, 1);
	assert_int_equal(f->final_status, 200);
	/* Too late to cancel an answered INVITE. */
	assert_int_equal(csip_stack_cancel(f->st, tx, NULL, NULL), -EALREADY);

	/* The ACK for the 200, from the dialog the 200 made. */
	osip_message_t *ok = parse(f->sent[0]);
	osip_message_t *resp = csip_response_new(ok, 200, "OK", "phone-tag");
	osip_message_set_contact(resp, "<sip:bob@192.0.2.11:5071>");
	struct call_dialog d;
	assert_int_equal(call_dialog_from_response(copy, resp, &d), 0);
	int before = f->n_sent;
	assert_int_equal(csip_stack_send_ack(f->st, call_ack_new(&d, copy), NULL), 0);
	assert_int_equal(f->n_sent, before + 1);
	const char *ack = f->sent[before];
	assert_non_null(strstr(ack, "ACK sip:bob@192.0.2.11:5071 SIP/2.0\r\n"));
	assert_non_null(strstr(ack, "CSeq: 1 ACK"));
	assert_non_null(strstr(ack, "Via: SIP/2.0/UDP 127.0.0.1:"));
	assert_int_equal(ntohs(f->to[before].sin_port), PROXY_PORT);
	/* Only an ACK can be sent that way. */
	assert_int_equal(csip_stack_send_ack(f->st, copy, NULL), -EINVAL);
	osip_message_free(resp);
	osip_message_free(ok);
	csip_tx_unref(tx);
	fixture_free(f);
}

static void cancel_keeps_the_invite_branch_and_route(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(false);
	struct csip_tx *tx = NULL;
	assert_int_equal(csip_stack_send_invite(f->st, invite_to_bob(), "<sip:198.51.100.1;lr>",
						provisional, final, f, &tx),
			 0);
	answer(f, f->sent[0], 180, "Ringing");
	int cancel_finals = f->finals;
	assert_int_equal(csip_stack_cancel(f->st, tx, NULL, NULL), 0);
	assert_int_equal(f->n_sent, 2);
	const char *c = f->sent[1];
	char b1[128], b2[128];
	assert_non_null(strstr(c, "CANCEL sip:bob@192.0.2.11:5071 SIP/2.0\r\n"));
	assert_string_equal(top_branch(f->sent[0], b1, sizeof(b1)), top_branch(c, b2, sizeof(b2)));
	assert_non_null(strstr(c, "CSeq: 1 CANCEL"));
	assert_non_null(strstr(c, "Route: <sip:198.51.100.1;lr>"));
	assert_null(strstr(c, "To: <sip:1002@acme.example>;tag"));	/* no tag from the 180 */
	assert_int_equal(ntohs(f->to[1].sin_port), PROXY_PORT);
	answer(f, f->sent[1], 200, "OK");	/* to the CANCEL */
	answer(f, f->sent[0], 487, "Request Terminated");
	assert_int_equal(f->finals, cancel_finals + 1);
	assert_int_equal(f->final_status, 487);
	csip_tx_unref(tx);
	fixture_free(f);
}

static void stray_acks_go_to_the_hook(void **state)
{
	(void)state;
	static const char ack[] = "ACK sip:cp@127.0.0.1 SIP/2.0\r\n"
				  "Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKack1\r\n"
				  "From: <sip:alice@acme.example>;tag=a1\r\n"
				  "To: <sip:1002@acme.example>;tag=cp1\r\n"
				  "Call-ID: a-leg\r\nCSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
				  "Content-Length: 0\r\n\r\n";
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(PROXY_PORT) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	struct csip_stack_counters c;

	struct fixture *f = fixture_new(true);
	csip_stack_input(f->st, ack, strlen(ack), &src);
	assert_int_equal(f->acks, 1);
	csip_stack_counters(f->st, &c);
	assert_int_equal(c.rx_stray, 0);
	fixture_free(f);

	f = fixture_new(false);
	csip_stack_input(f->st, ack, strlen(ack), &src);
	assert_int_equal(f->acks, 0);
	csip_stack_counters(f->st, &c);
	assert_int_equal(c.rx_stray, 1);
	fixture_free(f);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(invite_ringing_answered_and_acked),
		cmocka_unit_test(cancel_keeps_the_invite_branch_and_route),
		cmocka_unit_test(stray_acks_go_to_the_hook),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
