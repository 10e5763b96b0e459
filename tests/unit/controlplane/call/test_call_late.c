/* Delayed offer (an INVITE without SDP): the stand-in offer the callees are offered from, the
 * data plane's leg for the caller until its answer, our offer in the 200 to the caller; and
 * Require option tags (100rel refused, never passed on to a callee); the controller's answers to
 * such INVITEs through a SIP stack whose datagrams are captured. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-int.h"
#include "call_test_sip.h"
#include "sip-stack.h"

#include <arpa/inet.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char names[][16] = { "PCMA", "SPEEX", "PCMU" };

/* A G.722 phone's answer with DTMF events at 100. */
static const char g722_answer[] =
	SDP_SESSION("2", "192.0.2.11")
	"m=audio 7000 RTP/AVP 9 100\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:100 telephone-event/8000\r\n"
	"a=sendrecv\r\n";

/* An Opus phone's answer at a dynamic payload type, without DTMF events. */
static const char opus_answer[] =
	SDP_SESSION("3", "192.0.2.12")
	"m=audio 7002 RTP/AVP 101\r\n"
	"a=rtpmap:101 opus/48000/2\r\n";

static void stand_in_has_the_callers_codecs_and_no_address(void **state)
{
	(void)state;
	char out[2048];
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_late_placeholder(names, 3, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "m=audio 9 RTP/AVP 8 0 101\r\n"));
	assert_non_null(strstr(out, "c=IN IP4 0.0.0.0\r\n"));
	assert_non_null(strstr(out, "a=rtpmap:101 telephone-event/8000\r\n"));
	assert_null(strstr(out, "SPEEX")); /* the data plane does not know it */
	assert_int_equal(call_sdp_parse(out, strlen(out), &a), 0);
	assert_int_equal(a.n_codecs, 3); /* PCMA, PCMU, telephone-event */
	assert_string_equal(a.codecs[0].name, "PCMA");
	assert_string_equal(a.codecs[1].name, "PCMU");
	assert_int_equal(a.dtmf_pt, 101);

	/* nothing usable (or no list): the default list */
	assert_int_equal(call_sdp_late_placeholder(names + 1, 1, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "m=audio 9 RTP/AVP 0 8 9 101\r\n"));
	assert_int_equal(call_sdp_late_placeholder(NULL, 0, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "m=audio 9 RTP/AVP 0 8 9 101\r\n"));
	assert_int_equal(call_sdp_late_placeholder(names, 3, out, 40), -ENOBUFS);
}

static void data_plane_leg_widened_after_the_callers_codecs(void **state)
{
	(void)state;
	char out[2048];
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_late_placeholder(names, 3, out, sizeof(out)), 0);
	assert_int_equal(call_sdp_parse(out, strlen(out), &a), 0);
	call_sdp_late_widen(&a);
	assert_int_equal(a.n_codecs, 5);
	assert_string_equal(a.codecs[0].name, "PCMA");
	assert_int_equal(a.codecs[0].pt, 8);
	assert_string_equal(a.codecs[1].name, "PCMU");
	assert_string_equal(a.codecs[2].name, "G722");
	assert_string_equal(a.codecs[3].name, "G729");
	assert_string_equal(a.codecs[4].name, "opus");
	assert_true(a.codecs[4].pt >= 96 && a.codecs[4].pt != 101);
	assert_int_equal(a.dtmf_pt, 101);
	call_sdp_late_widen(&a); /* nothing left to add */
	assert_int_equal(a.n_codecs, 5);
}

/* Our offer to the caller from a callee's answer and the caller's codecs: lines it must hold. */
struct late_offer_case {
	const char *answer;
	const char (*names)[16];
	unsigned n_names;
	const char *lines[5];
};

static const struct late_offer_case late_offer_cases[] = {
	/* G.722 (its payload type), then the caller's PCMA and PCMU; the callee's DTMF type */
	{ g722_answer, names, 3,
	  { "m=audio 7000 RTP/AVP 9 8 0 100\r\n", "a=rtpmap:8 PCMA/8000\r\n",
	    "a=rtpmap:100 telephone-event/8000\r\n", "a=sendrecv\r\n" } },
	/* the callee's Opus keeps 101, so telephone-event takes a free dynamic type */
	{ opus_answer, names, 3,
	  { "m=audio 7002 RTP/AVP 101 8 0 96\r\n", "a=rtpmap:101 opus/48000/2\r\n",
	    "a=rtpmap:96 telephone-event/8000\r\n" } },
	/* a caller without a list: the default codecs after the callee's */
	{ g722_answer, NULL, 0, { "m=audio 7000 RTP/AVP 9 0 8 100\r\n" } },
};

static void our_offer_puts_the_callees_pick_first(void **state)
{
	(void)state;
	char out[2048];
	for (size_t i = 0; i < sizeof(late_offer_cases) / sizeof(late_offer_cases[0]); i++) {
		const struct late_offer_case *c = &late_offer_cases[i];
		assert_int_equal(call_sdp_late_offer(c->answer, strlen(c->answer), c->names,
						     c->n_names, out, sizeof(out)),
				 0);
		for (size_t j = 0; j < 5 && c->lines[j]; j++)
			assert_non_null(strstr(out, c->lines[j]));
	}
	assert_int_equal(call_sdp_late_offer("v=0\r\n", 5, names, 3, out, sizeof(out)), -EINVAL);
}

#define INVITE_HEAD                                                                         \
	"INVITE sip:1002@acme.example SIP/2.0\r\n"                                          \
	"Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKphone1\r\n"                          \
	"Max-Forwards: 70\r\n"                                                               \
	"From: \"Alice\" <sip:user1@acme.example>;tag=atag\r\n"                              \
	"To: <sip:1002@acme.example>\r\n"                                                    \
	"Call-ID: late-call@192.0.2.10\r\n"                                                  \
	"CSeq: 1 INVITE\r\n"                                                                 \
	"Contact: <sip:user1@192.0.2.10:5060>\r\n"

static void invite_without_body_is_a_delayed_offer(void **state)
{
	(void)state;
	osip_message_t *late = parse(INVITE_HEAD "Content-Length: 0\r\n\r\n");
	osip_message_t *with = parse(INVITE_HEAD "Content-Type: application/sdp\r\n"
						 "Content-Length: 5\r\n\r\nv=0\r\n");
	assert_true(call_invite_without_offer(late));
	assert_false(call_invite_without_offer(with));
	osip_message_free(late);
	osip_message_free(with);
}

static void require_tags_we_lack(void **state)
{
	(void)state;
	char tags[64];
	osip_message_t *m = parse(INVITE_HEAD "Require: 100rel, timer\r\nRequire: foo\r\n"
					      "Content-Length: 0\r\n\r\n");
	assert_int_equal(call_require_unsupported(m, tags, sizeof(tags)), 2);
	assert_string_equal(tags, "100rel, foo");
	/* too small for the list: still counted */
	assert_int_equal(call_require_unsupported(m, tags, 8), 2);
	osip_message_free(m);

	m = parse(INVITE_HEAD "Supported: 100rel\r\nRequire: timer\r\nContent-Length: 0\r\n\r\n");
	assert_int_equal(call_require_unsupported(m, tags, sizeof(tags)), 0);
	assert_string_equal(tags, "");
	osip_message_free(m);

	m = parse(INVITE_HEAD "Content-Length: 0\r\n\r\n");
	assert_int_equal(call_require_unsupported(m, tags, sizeof(tags)), 0);
	osip_message_free(m);
}

static void callees_never_get_require_100rel(void **state)
{
	(void)state;
	osip_message_t *a = parse(INVITE_HEAD "Require: 100rel\r\nSupported: 100rel, timer\r\n"
					      "Content-Length: 0\r\n\r\n");
	struct call_b_invite o = {
		.target = "sip:user2@192.0.2.11:5061",
		.call_id = "b-leg-call",
		.from_tag = "btag",
		.contact = "<sip:198.51.100.2:5060>",
	};
	osip_message_t *b = call_b_invite_new(a, &o);
	assert_non_null(b);
	char *s = text_of(b);
	assert_null(strstr(s, "Require"));
	assert_null(strstr(s, "100rel"));
	osip_free(s);
	osip_message_free(b);
	osip_message_free(a);
}

/* The controller behind a stack (no store, no data plane); the last final response sent. */
struct hooks {
	uv_loop_t loop;
	struct csip_stack *st;
	struct call_ctl ctl;
	bool draining;
	char last[4096];
};

static int capture(void *arg, const char *buf, size_t len, const struct sockaddr_in *to)
{
	(void)to;
	struct hooks *h = arg;
	if (len < sizeof(h->last) && len > 12 && memcmp(buf, "SIP/2.0 1", 9) != 0 &&
	    memcmp(buf, "SIP/2.0 ", 8) == 0) {
		memcpy(h->last, buf, len);
		h->last[len] = '\0';
	}
	return 0;
}

static struct hooks *hooks_new(void)
{
	struct hooks *h = calloc(1, sizeof(*h));
	assert_non_null(h);
	assert_int_equal(uv_loop_init(&h->loop), 0);
	struct csip_stack_options o = { .listen = "127.0.0.1:0", .outbound_proxy = "127.0.0.1:5998",
					.max_transactions = 8, .on_request = call_ctl_on_request,
					.arg = &h->ctl, .send = capture, .send_arg = h };
	h->st = csip_stack_new(&h->loop, &o);
	assert_non_null(h->st);
	assert_int_equal(csip_stack_start(h->st), 0);
	h->ctl.loop = &h->loop;
	h->ctl.stack = h->st;
	h->ctl.draining = &h->draining;
	h->ctl.nonce_ttl_s = 300;
	snprintf(h->ctl.contact, sizeof(h->ctl.contact), "<sip:127.0.0.1:5060>");
	return h;
}

static void hooks_free(struct hooks *h)
{
	assert_null(h->ctl.calls);
	csip_stack_close(h->st);
	uv_run(&h->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&h->loop), 0);
	free(h);
}

/* Feeds a new INVITE with extra headers and body; the final response's text. */
static const char *invite(struct hooks *h, const char *headers, const char *body)
{
	static unsigned branch;
	char msg[2048];
	branch++;
	int n = snprintf(msg, sizeof(msg),
			 "INVITE sip:1002@acme.example SIP/2.0\r\n"
			 "Via: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bKlate%u\r\n"
			 "Max-Forwards: 70\r\n"
			 "From: <sip:alice@acme.example>;tag=a%u\r\n"
			 "To: <sip:1002@acme.example>\r\n"
			 "Call-ID: late-%u\r\nCSeq: 1 INVITE\r\n"
			 "Contact: <sip:alice@192.0.2.10:5070>\r\n%s"
			 "Content-Length: %zu\r\n\r\n%s",
			 branch, branch, branch, headers, strlen(body), body);
	assert_true(n > 0 && (size_t)n < sizeof(msg));
	struct sockaddr_in src = { .sin_family = AF_INET, .sin_port = htons(5998) };
	src.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	h->last[0] = '\0';
	csip_stack_input(h->st, msg, (size_t)n, &src);
	csip_stack_run(h->st);
	return h->last;
}

static bool status_is(const char *resp, const char *line)
{
	return strncmp(resp, line, strlen(line)) == 0 && resp[strlen(line)] == '\r';
}

static void controller_answers(void **state)
{
	(void)state;
	struct hooks *h = hooks_new();
	/* PRACK demanded: 420 naming 100rel, before anything else */
	const char *r = invite(h, "Require: 100rel\r\nSupported: 100rel\r\n", "");
	assert_true(status_is(r, "SIP/2.0 420 Bad Extension"));
	assert_non_null(strstr(r, "\r\nUnsupported: 100rel\r\n"));
	assert_int_equal(h->ctl.c.bad_extension, 1);
	/* without SDP and with Supported: 100rel alone: a delayed offer, challenged like any */
	r = invite(h, "Supported: 100rel\r\n", "");
	assert_true(status_is(r, "SIP/2.0 407 Proxy Authentication Required"));
	assert_int_equal(h->ctl.c.no_sdp, 0);
	/* a body that is no SDP we relay is still refused */
	r = invite(h, "Content-Type: text/plain\r\n", "hello");
	assert_true(status_is(r, "SIP/2.0 488 Not Acceptable Here"));
	assert_int_equal(h->ctl.c.no_sdp, 1);
	assert_int_equal(h->ctl.c.bad_extension, 1);
	hooks_free(h);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(stand_in_has_the_callers_codecs_and_no_address),
		cmocka_unit_test(data_plane_leg_widened_after_the_callers_codecs),
		cmocka_unit_test(our_offer_puts_the_callees_pick_first),
		cmocka_unit_test(invite_without_body_is_a_delayed_offer),
		cmocka_unit_test(require_tags_we_lack),
		cmocka_unit_test(callees_never_get_require_100rel),
		cmocka_unit_test(controller_answers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
