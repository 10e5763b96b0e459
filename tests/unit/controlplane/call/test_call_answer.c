/* Answers toward the caller: our tag, Contact and the INVITE's Record-Route on the 200, and
 * the 200 resent (T1, doubling) until the caller's ACK (RFC 3261 §13.3.1.4). The stack's
 * datagrams are captured through its send hook; the INVITE is fed as the edge relays it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-int.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
	uv_loop_t loop;
	struct csip_stack *st;
	struct call_ctl ctl;
	struct call *call;
	int oks;			/* 200s sent */
	char last[4096];
};

static int capture(void *arg, const char *buf, size_t len, const struct sockaddr_in *to)
{
	(void)to;
	struct fixture *f = arg;
	if (len > 12 && memcmp(buf, "SIP/2.0 200 ", 12) == 0)
		f->oks++;
	if (len < sizeof(f->last)) {
		memcpy(f->last, buf, len);
		f->last[len] = '\0';
	}
	return 0;
}

/* The INVITE becomes a call answering from the loop later, as the controller does. */
static void on_request(void *arg, struct csip_tx *tx, osip_message_t *req)
{
	struct fixture *f = arg;
	f->call = call_new(&f->ctl);
	assert_non_null(f->call);
	csip_tx_ref(tx);
	f->call->a_tx = tx;
	assert_int_equal(osip_message_clone(req, &f->call->a_inv), 0);
	snprintf(f->call->call_id, sizeof(f->call->call_id), "a-leg");
	f->call->a_state = CALL_A_ROUTING;
}

static const char invite[] =
	"INVITE sip:1002@acme.example SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bKedge1\r\n"
	"Record-Route: <sip:198.51.100.1;lr;r=x>\r\n"
	"From: <sip:alice@acme.example>;tag=a1\r\nTo: <sip:1002@acme.example>\r\n"
	"Call-ID: a-leg\r\nCSeq: 2 INVITE\r\nMax-Forwards: 70\r\n"
	"Contact: <sip:alice@192.0.2.10:5070>\r\nContent-Length: 0\r\n\r\n";

static void run_for(struct fixture *f, int ms)
{
	for (int i = 0; i < ms; i += 5) {
		uv_run(&f->loop, UV_RUN_NOWAIT);
		usleep(5000);
	}
}

static struct fixture *fixture_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	struct csip_stack_options o = { .listen = "127.0.0.1:0", .outbound_proxy = "127.0.0.1:5998",
					.max_transactions = 8, .on_request = on_request, .arg = f,
					.send = capture, .send_arg = f };
	f->st = csip_stack_new(&f->loop, &o);
	assert_non_null(f->st);
	assert_int_equal(csip_stack_start(f->st), 0);
	f->ctl.loop = &f->loop;
	f->ctl.stack = f->st;
	snprintf(f->ctl.contact, sizeof(f->ctl.contact), "<sip:127.0.0.1:5060>");
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5998) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	csip_stack_input(f->st, invite, strlen(invite), &src);
	csip_stack_run(f->st);
	assert_non_null(f->call);
	return f;
}

static void fixture_free(struct fixture *f)
{
	f->call->a_state = CALL_A_ENDED;
	call_maybe_retire(f->call);
	assert_null(f->ctl.calls);
	csip_stack_close(f->st);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
}

static void ok_is_resent_until_the_ack(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	assert_int_equal(call_a_respond(f->call, 200, "OK", "v=0\r\n"), 0);
	assert_int_equal(f->oks, 1);
	assert_int_equal(f->call->a_state, CALL_A_ANSWERED);
	assert_non_null(strstr(f->last, "Contact: <sip:127.0.0.1:5060>"));
	assert_non_null(strstr(f->last, "Record-Route: <sip:198.51.100.1;lr;r=x>"));
	assert_non_null(strstr(f->last, "To: <sip:1002@acme.example>;tag="));
	/* A final answer goes once: the second is refused. */
	assert_int_equal(call_a_respond(f->call, 486, "Busy Here", NULL), -EALREADY);

	run_for(f, 1700);	/* resent at 0.5 s and 1.5 s */
	assert_int_equal(f->oks, 3);
	call_a_acked(f->call);
	run_for(f, 2200);	/* the 3.5 s one never goes */
	assert_int_equal(f->oks, 3);
	fixture_free(f);
}

static void refusal_is_sent_once(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	assert_int_equal(call_a_respond(f->call, 486, "Busy Here", NULL), 0);
	assert_non_null(strstr(f->last, "SIP/2.0 486 Busy Here"));
	assert_null(strstr(f->last, "Record-Route"));
	assert_int_equal(f->call->a_state, CALL_A_ENDED);
	assert_int_equal(f->oks, 0);
	fixture_free(f);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ok_is_resent_until_the_ack),
		cmocka_unit_test(refusal_is_sent_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
