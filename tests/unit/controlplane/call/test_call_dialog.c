/* Dialogs from an INVITE and from its 2xx, and the B-leg INVITE, ACK and BYE built in them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-dialog.h"
#include "call_test_sip.h"

#include <osipparser2/osip_parser.h>
#include <stdlib.h>
#include <string.h>

/* As the edge proxy passes a phone's INVITE on: its Via and Record-Route on top. */
static const char a_invite[] =
	"INVITE sip:1002@acme.example SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKedge1\r\n"
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKphone1;received=192.0.2.10;rport=5060\r\n"
	"Record-Route: <sip:198.51.100.1;lr;r=abc>\r\n"
	"Max-Forwards: 69\r\n"
	"From: \"Alice\" <sip:user1@acme.example>;tag=atag\r\n"
	"To: <sip:1002@acme.example>\r\n"
	"Call-ID: a-leg-call@192.0.2.10\r\n"
	"CSeq: 2 INVITE\r\n"
	"Contact: <sip:user1@192.0.2.10:5060>\r\n"
	"Content-Length: 0\r\n\r\n";

static const char b_ok[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 198.51.100.2:5060;branch=z9hG4bKcp1\r\n"
	"Record-Route: <sip:198.51.100.1;lr;r=in>\r\n"
	"Record-Route: <sip:192.0.2.1;lr;r=out>\r\n"
	"From: <sip:user1@acme.example>;tag=btag\r\n"
	"To: <sip:1002@acme.example>;tag=calleetag\r\n"
	"Call-ID: b-leg-call\r\n"
	"CSeq: 1 INVITE\r\n"
	"Contact: <sip:user2@192.0.2.11:5061>\r\n"
	"Content-Length: 0\r\n\r\n";

static void uas_dialog_from_the_invite(void **state)
{
	(void)state;
	osip_message_t *inv = parse(a_invite);
	struct call_dialog d;
	assert_int_equal(call_dialog_from_request(inv, "ourtag", &d), 0);
	assert_string_equal(d.call_id, "a-leg-call@192.0.2.10");
	assert_string_equal(d.remote_tag, "atag");
	assert_string_equal(d.local_tag, "ourtag");
	assert_string_equal(d.remote_target, "sip:user1@192.0.2.10:5060");
	assert_int_equal(d.n_routes, 1);
	assert_non_null(strstr(d.routes[0], "r=abc"));

	/* BYE toward the caller: its Contact, its tag in To, our tag in From, the route set. */
	osip_message_t *bye = call_in_dialog_new(&d, "BYE", NULL);
	assert_non_null(bye);
	char *s = text_of(bye);
	assert_non_null(strstr(s, "BYE sip:user1@192.0.2.10:5060 SIP/2.0\r\n"));
	assert_non_null(strstr(s, "tag=ourtag"));
	assert_non_null(strstr(s, "tag=atag"));
	assert_non_null(strstr(s, "Route: <sip:198.51.100.1;lr;r=abc>"));
	assert_non_null(strstr(s, "CSeq: 1 BYE"));
	assert_int_equal(d.local_cseq, 1);
	osip_free(s);
	osip_message_free(bye);

	/* A caller without a From tag cannot form a dialog. */
	osip_message_t *bad = parse(a_invite);
	osip_uri_param_freelist(&bad->from->gen_params);
	assert_int_not_equal(call_dialog_from_request(bad, "t", &d), 0);
	osip_message_free(bad);
	osip_message_free(inv);
}

static void b_invite_ack_and_bye(void **state)
{
	(void)state;
	osip_message_t *a = parse(a_invite);
	struct call_b_invite o = {
		.target = "sip:user2@192.0.2.11:5061",
		.call_id = "b-leg-call",
		.from_tag = "btag",
		.contact = "<sip:bugle@198.51.100.2:5060>",
		.caller_name = "Front Desk",
		.caller_number = "1001",
		.sdp = "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 20000 RTP/AVP 0\r\n",
	};
	osip_message_t *b = call_b_invite_new(a, &o);
	assert_non_null(b);
	char *s = text_of(b);
	assert_non_null(strstr(s, "INVITE sip:user2@192.0.2.11:5061 SIP/2.0\r\n"));
	assert_non_null(strstr(s, "\"Front Desk\" <sip:1001@acme.example>;tag=btag"));
	assert_null(strstr(s, "atag"));			/* A's tag stays on A's leg */
	assert_null(strstr(s, "a-leg-call"));		/* a new Call-ID */
	assert_non_null(strstr(s, "Max-Forwards: 68"));
	assert_non_null(strstr(s, "application/sdp"));
	assert_non_null(strstr(s, "m=audio 20000"));
	assert_null(strstr(s, "Via:"));			/* the stack adds ours */
	osip_free(s);

	osip_message_t *ok = parse(b_ok);
	struct call_dialog d;
	assert_int_equal(call_dialog_from_response(b, ok, &d), 0);
	assert_string_equal(d.remote_tag, "calleetag");
	assert_string_equal(d.local_tag, "btag");
	assert_int_equal(d.n_routes, 2);
	/* The response's Record-Route reversed: the hop nearest us first. */
	assert_non_null(strstr(d.routes[0], "r=out"));
	assert_non_null(strstr(d.routes[1], "r=in"));

	osip_message_t *ack = call_ack_new(&d, b);
	assert_non_null(ack);
	s = text_of(ack);
	assert_non_null(strstr(s, "ACK sip:user2@192.0.2.11:5061 SIP/2.0\r\n"));
	assert_non_null(strstr(s, "CSeq: 1 ACK"));
	assert_non_null(strstr(s, "tag=calleetag"));
	osip_free(s);
	osip_message_free(ack);

	osip_message_t *bye = call_in_dialog_new(&d, "BYE", NULL);
	s = text_of(bye);
	assert_non_null(strstr(s, "CSeq: 2 BYE"));
	osip_free(s);
	osip_message_free(bye);
	osip_message_free(ok);
	osip_message_free(b);

	/* Max-Forwards exhausted: no B-leg (the caller gets 483). */
	osip_message_t *loop = parse(a_invite);
	osip_header_t *h = NULL;
	assert_true(osip_message_get_max_forwards(loop, 0, &h) >= 0);
	osip_free(h->hvalue);
	h->hvalue = osip_strdup("0");
	assert_null(call_b_invite_new(loop, &o));
	osip_message_free(loop);
	osip_message_free(a);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(uas_dialog_from_the_invite),
		cmocka_unit_test(b_invite_ack_and_bye),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
