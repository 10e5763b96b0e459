/* In-dialog requests of an answered call: re-INVITEs outside the dialog (481) or with no data
 * plane to move the media (503); a re-INVITE without SDP relayed without SDP, the other side's
 * offer in its 2xx refused without a data plane (488 to the sender, ACK to the other side);
 * one offer at a time (500 with Retry-After from the same side, 491 from the other); UPDATE
 * (200 without SDP, an offer handled as a re-INVITE, 481 outside the dialog), from either side.
 * The stack's datagrams are captured through its send hook. */
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
#include <strings.h>

struct fixture {
	uv_loop_t loop;
	struct csip_stack *st;
	struct call_ctl ctl;
	struct call *call;
	char last[4096];		/* the last final response sent */
	char sent[4096];		/* the last request sent */
};

static int capture(void *arg, const char *buf, size_t len, const struct sockaddr_in *to)
{
	(void)to;
	struct fixture *f = arg;
	bool response = len > 8 && memcmp(buf, "SIP/2.0 ", 8) == 0;
	char *into = response ? f->last : f->sent;
	if (len < sizeof(f->last) && len > 12 && memcmp(buf, "SIP/2.0 1", 9) != 0) {
		memcpy(into, buf, len);
		into[len] = '\0';
	}
	return 0;
}

static void on_request(void *arg, struct csip_tx *tx, osip_message_t *req)
{
	struct fixture *f = arg;
	if (MSG_IS_INVITE(req))
		call_on_reinvite(&f->ctl, tx, req);
	else
		call_on_update(&f->ctl, tx, req);
}

/* An answered call: alice's dialog (our tag "ours", hers "a1") and bob's (ours "bt", his
 * "bob1"), no data plane. */
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
	struct call *c = call_new(&f->ctl);
	assert_non_null(c);
	snprintf(c->call_id, sizeof(c->call_id), "a-leg");
	c->a_state = CALL_A_ANSWERED;
	snprintf(c->a_dlg.local_tag, sizeof(c->a_dlg.local_tag), "ours");
	snprintf(c->a_dlg.remote_tag, sizeof(c->a_dlg.remote_tag), "a1");
	snprintf(c->a_dlg.call_id, sizeof(c->a_dlg.call_id), "a-leg");
	snprintf(c->a_dlg.local_uri, sizeof(c->a_dlg.local_uri), "sip:1002@acme.example");
	snprintf(c->a_dlg.remote_uri, sizeof(c->a_dlg.remote_uri), "sip:alice@acme.example");
	snprintf(c->a_dlg.remote_target, sizeof(c->a_dlg.remote_target), "sip:alice@192.0.2.10");
	struct call_bleg *b = calloc(1, sizeof(*b));
	assert_non_null(b);
	b->call = c;
	snprintf(b->call_id, sizeof(b->call_id), "b-leg");
	b->sent = b->answered = true;
	snprintf(b->dlg.local_tag, sizeof(b->dlg.local_tag), "bt");
	snprintf(b->dlg.remote_tag, sizeof(b->dlg.remote_tag), "bob1");
	snprintf(b->dlg.call_id, sizeof(b->dlg.call_id), "b-leg");
	snprintf(b->dlg.local_uri, sizeof(b->dlg.local_uri), "sip:alice@acme.example");
	snprintf(b->dlg.remote_uri, sizeof(b->dlg.remote_uri), "sip:1002@acme.example");
	snprintf(b->dlg.remote_target, sizeof(b->dlg.remote_target), "sip:bob@192.0.2.11:5071");
	c->blegs = c->winner = b;
	f->call = c;
	return f;
}

static void fixture_free(struct fixture *f)
{
	assert_null(f->call->reinvite);
	f->call->a_state = CALL_A_ENDED;
	call_maybe_retire(f->call);
	assert_null(f->ctl.calls);
	csip_stack_close(f->st);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
}

static const char sdp[] = "v=0\r\no=- 1 2 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
			  "t=0 0\r\nm=audio 6000 RTP/AVP 0\r\na=sendonly\r\n";

/* Feeds one request in a dialog and returns the final response's status line. */
static const char *request(struct fixture *f, const char *method, const char *call_id,
			   const char *from_tag, const char *to_tag, bool with_sdp)
{
	static unsigned branch;
	char msg[2048];
	int n = snprintf(msg, sizeof(msg),
			 "%s sip:127.0.0.1:5060 SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bK%s%u\r\n"
			 "From: <sip:alice@acme.example>;tag=%s\r\n"
			 "To: <sip:1002@acme.example>;tag=%s\r\n"
			 "Call-ID: %s\r\nCSeq: 3 %s\r\nMax-Forwards: 70\r\n"
			 "Contact: <sip:alice@192.0.2.10:5070>\r\n%s"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, method, ++branch, from_tag, to_tag, call_id, method,
			 with_sdp ? "Content-Type: application/sdp\r\n" : "",
			 with_sdp ? strlen(sdp) : 0, with_sdp ? sdp : "");
	assert_true(n > 0 && (size_t)n < sizeof(msg));
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5998) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->last[0] = '\0';
	csip_stack_input(f->st, msg, (size_t)n, &src);
	csip_stack_run(f->st);
	static char status[256];
	snprintf(status, sizeof(status), "%.*s", (int)strcspn(f->last, "\r"), f->last);
	return status;
}

/* A header line of the last request sent ("" when absent). */
static const char *sent_header(struct fixture *f, const char *name, char *out, size_t cap)
{
	out[0] = '\0';
	for (const char *p = f->sent; (p = strstr(p, "\r\n")) != NULL;) {
		p += 2;
		size_t n = strlen(name);
		if (strncasecmp(p, name, n) == 0 && p[n] == ':') {
			const char *e = strstr(p, "\r\n");
			snprintf(out, cap, "%.*s", (int)(e - p), p);
			break;
		}
	}
	return out;
}

/* The other side answers the request we sent it: code with SDP or without. */
static void answer_sent(struct fixture *f, int code, bool with_sdp)
{
	char via[512], from[256], to[256], cid[256], cseq[64], msg[2048];
	sent_header(f, "Via", via, sizeof(via));
	sent_header(f, "From", from, sizeof(from));
	sent_header(f, "To", to, sizeof(to));
	sent_header(f, "Call-ID", cid, sizeof(cid));
	sent_header(f, "CSeq", cseq, sizeof(cseq));
	int n = snprintf(msg, sizeof(msg),
			 "SIP/2.0 %d Answer\r\n%s\r\n%s\r\n%s\r\n%s\r\n%s\r\n"
			 "Contact: <sip:bob@192.0.2.11:5071>\r\n%sContent-Length: %zu\r\n\r\n%s",
			 code, via, from, to, cid, cseq,
			 with_sdp ? "Content-Type: application/sdp\r\n" : "",
			 with_sdp ? strlen(sdp) : 0, with_sdp ? sdp : "");
	assert_true(n > 0 && (size_t)n < sizeof(msg));
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5998) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->last[0] = f->sent[0] = '\0';
	csip_stack_input(f->st, msg, (size_t)n, &src);
	csip_stack_run(f->st);
}

static void reinvite_outside_the_dialog_is_481(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	assert_string_equal(request(f, "INVITE", "nobody", "a1", "ours", true),
			    "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_string_equal(request(f, "INVITE", "a-leg", "a1", "not-ours", true),
			    "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_string_equal(request(f, "INVITE", "a-leg", "stranger", "ours", true),
			    "SIP/2.0 481 Call/Transaction Does Not Exist");
	/* bob's dialog has his tags, not alice's */
	assert_string_equal(request(f, "INVITE", "b-leg", "a1", "ours", true),
			    "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_int_equal(f->ctl.c.reinvites, 4);
	assert_int_equal(f->ctl.c.reinvite_failed, 4);
	fixture_free(f);
}

static void reinvite_without_sdp_or_data_plane_is_refused(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	assert_string_equal(request(f, "INVITE", "a-leg", "a1", "ours", true),
			    "SIP/2.0 503 Service Unavailable");
	assert_string_equal(request(f, "INVITE", "b-leg", "bob1", "bt", true),
			    "SIP/2.0 503 Service Unavailable");
	assert_int_equal(f->ctl.c.media_failed, 2);
	assert_int_equal(f->ctl.c.reinvite_failed, 2);
	/* the refused re-INVITE left nothing behind: the next is not glare */
	assert_int_equal(f->ctl.c.reinvite_glare, 0);
	/* the Contact of a re-INVITE refreshes the dialog's target even when refused later */
	assert_string_equal(f->call->a_dlg.remote_target, "sip:alice@192.0.2.10:5070");
	fixture_free(f);
}

static void reinvite_without_sdp_is_relayed_without_sdp(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	char line[512];
	/* no final answer yet: the re-INVITE went on to bob without a body */
	assert_string_equal(request(f, "INVITE", "a-leg", "a1", "ours", false), "");
	assert_int_equal(f->ctl.c.reinvite_late, 1);
	assert_true(strncmp(f->sent, "INVITE sip:bob@192.0.2.11:5071 SIP/2.0", 38) == 0);
	assert_string_equal(sent_header(f, "Content-Length", line, sizeof(line)),
			    "Content-Length: 0");
	assert_null(strstr(f->sent, "application/sdp"));
	assert_string_equal(sent_header(f, "To", line, sizeof(line)),
			    "To: <sip:1002@acme.example>;tag=bob1");
	/* one offer at a time: alice again is told to retry, bob's crossing one is glare */
	assert_string_equal(request(f, "INVITE", "a-leg", "a1", "ours", false),
			    "SIP/2.0 500 Server Internal Error");
	assert_non_null(strstr(f->last, "Retry-After: "));
	assert_string_equal(request(f, "INVITE", "b-leg", "bob1", "bt", true),
			    "SIP/2.0 491 Request Pending");
	assert_string_equal(request(f, "UPDATE", "b-leg", "bob1", "bt", true),
			    "SIP/2.0 491 Request Pending");
	assert_int_equal(f->ctl.c.reinvite_glare, 3);
	assert_int_equal(f->ctl.c.reinvite_late, 1);
	/* bob's 2xx offers; without a data plane alice gets 488 and bob his ACK */
	answer_sent(f, 200, true);
	assert_true(strncmp(f->sent, "ACK sip:bob@192.0.2.11:5071 SIP/2.0", 35) == 0);
	f->last[strcspn(f->last, "\r")] = '\0';
	assert_string_equal(f->last, "SIP/2.0 488 Not Acceptable Here");
	assert_int_equal(f->ctl.c.media_failed, 1);
	assert_null(f->call->reinvite);
	fixture_free(f);
}

static void refusals_from_the_other_side_come_back(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	/* bob's late re-INVITE goes on to alice; her 491 comes back to bob as it is */
	assert_string_equal(request(f, "INVITE", "b-leg", "bob1", "bt", false), "");
	assert_true(strncmp(f->sent, "INVITE sip:alice@192.0.2.10 SIP/2.0", 35) == 0);
	answer_sent(f, 491, false);
	f->last[strcspn(f->last, "\r")] = '\0';
	assert_string_equal(f->last, "SIP/2.0 491 Answer");
	assert_null(f->call->reinvite);
	/* and the next one is taken again */
	assert_string_equal(request(f, "INVITE", "b-leg", "bob1", "bt", false), "");
	answer_sent(f, 488, false);
	assert_null(f->call->reinvite);
	assert_int_equal(f->ctl.c.reinvite_late, 2);
	assert_int_equal(f->ctl.c.reinvite_glare, 0);
	fixture_free(f);
}

static void update_without_sdp_is_answered_in_the_dialog(void **state)
{
	(void)state;
	struct fixture *f = fixture_new();
	assert_string_equal(request(f, "UPDATE", "a-leg", "a1", "ours", false), "SIP/2.0 200 OK");
	assert_string_equal(request(f, "UPDATE", "b-leg", "bob1", "bt", false), "SIP/2.0 200 OK");
	/* an offer in UPDATE moves the media as a re-INVITE does: no data plane here */
	assert_string_equal(request(f, "UPDATE", "a-leg", "a1", "ours", true),
			    "SIP/2.0 503 Service Unavailable");
	assert_int_equal(f->ctl.c.update_offers, 1);
	assert_string_equal(request(f, "UPDATE", "gone", "a1", "ours", false),
			    "SIP/2.0 481 Call/Transaction Does Not Exist");
	assert_int_equal(f->ctl.c.updates, 2);
	fixture_free(f);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reinvite_outside_the_dialog_is_481),
		cmocka_unit_test(reinvite_without_sdp_or_data_plane_is_refused),
		cmocka_unit_test(reinvite_without_sdp_is_relayed_without_sdp),
		cmocka_unit_test(refusals_from_the_other_side_come_back),
		cmocka_unit_test(update_without_sdp_is_answered_in_the_dialog),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
