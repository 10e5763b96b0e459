/* The flow's own answer and prompts (call-play.c): which media ids name a prompt file, the
 * answer toward the caller's offer, and how answer/play complete when they cannot go on (no
 * data plane, a bad id, the caller gone, already answered). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-int.h"
#include "call-play.h"

#include <errno.h>
#include <osipparser2/osip_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char offer[] = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\n"
			    "t=0 0\r\nm=audio 6000 RTP/AVP 9 0 101\r\na=rtpmap:9 G722/8000\r\n"
			    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"
			    "a=sendrecv\r\n";

struct fixture {
	uv_loop_t loop;
	struct call_ctl ctl;
	struct call *call;
	int completions;
	struct cf_result last;
};

static void op_done(void *arg, struct cf_result r)
{
	struct fixture *f = arg;
	f->completions++;
	f->last = r;
}

static struct fixture *fixture_new(enum call_a_state state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(uv_loop_init(&f->loop), 0);
	f->ctl.loop = &f->loop;
	f->call = call_new(&f->ctl);
	assert_non_null(f->call);
	char inv[2048];
	snprintf(inv, sizeof(inv),
		 "INVITE sip:1500@acme.example SIP/2.0\r\n"
		 "Via: SIP/2.0/UDP 127.0.0.1:5998;branch=z9hG4bKedge1\r\n"
		 "From: <sip:alice@acme.example>;tag=a1\r\nTo: <sip:1500@acme.example>\r\n"
		 "Call-ID: play-1\r\nCSeq: 2 INVITE\r\nMax-Forwards: 70\r\n"
		 "Contact: <sip:alice@192.0.2.10:5070>\r\nContent-Type: application/sdp\r\n"
		 "Content-Length: %zu\r\n\r\n%s",
		 strlen(offer), offer);
	assert_int_equal(osip_message_init(&f->call->a_inv), 0);
	assert_int_equal(osip_message_parse(f->call->a_inv, inv, strlen(inv)), 0);
	snprintf(f->call->call_id, sizeof(f->call->call_id), "play-1");
	f->call->a_state = state;
	return f;
}

static void fixture_free(struct fixture *f)
{
	assert_null(f->call->play);
	assert_false(f->call->media_pending);
	f->call->a_state = CALL_A_ENDED;
	call_maybe_retire(f->call);
	assert_null(f->ctl.calls);
	uv_run(&f->loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&f->loop), 0);
	free(f);
}

static void media_ids_name_plain_files(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(call_play_file("welcome", out, sizeof(out)), 0);
	assert_string_equal(out, "welcome.wav");
	assert_int_equal(call_play_file("Main_Menu-2", out, sizeof(out)), 0);
	assert_string_equal(out, "Main_Menu-2.wav");
	assert_int_equal(call_play_file("prompt.wav", out, sizeof(out)), 0);
	assert_string_equal(out, "prompt.wav");
	static const char *const bad[] = { "", "../etc/passwd", "a/b", ".hidden", "..",
					   "sp ace", "x\\y", "tab\t" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(call_play_file(bad[i], out, sizeof(out)), -EINVAL);
	assert_int_equal(call_play_file(NULL, out, sizeof(out)), -EINVAL);
	assert_int_equal(call_play_file("a-name-longer-than-the-buffer-holds", out, 16), -EINVAL);
}

static void answer_takes_the_first_codec_the_data_plane_knows(void **state)
{
	(void)state;
	struct call_sdp_audio a, ans;
	char out[2048];
	assert_int_equal(call_sdp_parse(offer, strlen(offer), &a), 0);
	assert_int_equal(call_play_answer_sdp(offer, strlen(offer), &a, "203.0.113.5", 30000, out,
					      sizeof(out)),
			 0);
	assert_int_equal(call_sdp_parse(out, strlen(out), &ans), 0);
	assert_int_equal(ans.n_codecs, 2); /* G722 and telephone-event */
	assert_string_equal(ans.codecs[0].name, "G722");
	assert_int_equal(ans.dtmf_pt, 101);
	assert_string_equal(ans.ip, "203.0.113.5");
	assert_int_equal(ans.port, 30000);
	assert_null(strstr(out, "PCMU"));

	static const char unknown[] = "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=-\r\n"
				      "c=IN IP4 192.0.2.10\r\nt=0 0\r\nm=audio 6000 RTP/AVP 98\r\n"
				      "a=rtpmap:98 NOSUCH/8000\r\n";
	assert_int_equal(call_sdp_parse(unknown, strlen(unknown), &a), 0);
	assert_int_equal(call_play_answer_sdp(unknown, strlen(unknown), &a, "203.0.113.5", 30000,
					      out, sizeof(out)),
			 -EINVAL);
}

/* Without a data plane the answer cannot be made: the play fails, the caller is not answered
 * and nothing is left pending. */
static void play_without_a_data_plane_fails_unanswered(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(CALL_A_ROUTING);
	call_play_media(f->call, "welcome", op_done, f);
	assert_int_equal(f->completions, 1);
	assert_int_equal(f->last.cause, CF_FAILED);
	assert_int_equal(f->call->a_state, CALL_A_ROUTING);
	assert_false(f->call->flow_answered);
	assert_int_equal(f->ctl.c.media_failed, 1);
	assert_int_equal(f->ctl.c.flow_answered, 0);
	fixture_free(f);
}

static void bad_media_id_fails_and_is_counted(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(CALL_A_ROUTING);
	call_play_media(f->call, "../secret", op_done, f);
	assert_int_equal(f->completions, 1);
	assert_int_equal(f->last.cause, CF_FAILED);
	assert_int_equal(f->ctl.c.prompts_failed, 1);
	assert_int_equal(f->ctl.c.media_failed, 0); /* refused before any media */
	fixture_free(f);
}

/* Answered already (an earlier answer or play): answer is done at once; a prompt still needs
 * the data plane. */
static void answered_call_is_not_answered_again(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(CALL_A_ANSWERED);
	f->call->flow_answered = true;
	call_play_answer(f->call, op_done, f);
	assert_int_equal(f->completions, 1);
	assert_int_equal(f->last.cause, CF_OK);
	call_play_media(f->call, "welcome", op_done, f);
	assert_int_equal(f->completions, 2);
	assert_int_equal(f->last.cause, CF_FAILED);
	assert_int_equal(f->ctl.c.prompts_failed, 1);
	assert_int_equal(f->ctl.c.flow_answered, 0);
	fixture_free(f);
}

static void caller_gone_stops_the_flow(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(CALL_A_ROUTING);
	f->call->caller_gone = true;
	call_play_answer(f->call, op_done, f);
	assert_int_equal(f->last.cause, CF_HANGUP);
	call_play_media(f->call, "welcome", op_done, f);
	assert_int_equal(f->last.cause, CF_HANGUP);
	call_play_media(f->call, "../x", op_done, f);
	assert_int_equal(f->last.cause, CF_HANGUP);
	assert_int_equal(f->completions, 3);
	f->call->caller_gone = false;
	f->call->a_state = CALL_A_ENDED; /* refused or hung up */
	call_play_answer(f->call, op_done, f);
	assert_int_equal(f->last.cause, CF_HANGUP);
	fixture_free(f);
}

/* A finished-prompt event for no prompt in progress changes nothing. */
static void stray_playback_event_is_ignored(void **state)
{
	(void)state;
	struct fixture *f = fixture_new(CALL_A_ANSWERED);
	Bugle__Dp__Event ev = BUGLE__DP__EVENT__INIT;
	ev.kind = BUGLE__DP__EVENT_KIND__EVENT_PLAYBACK_FINISHED;
	ev.call_id = "play-1";
	ev.op_id = 1;
	call_play_event(&f->ctl, &ev);
	ev.call_id = "other";
	call_play_event(&f->ctl, &ev);
	assert_int_equal(f->ctl.c.prompts_played, 0);
	call_play_abort(f->call); /* nothing in progress */
	assert_int_equal(f->completions, 0);
	fixture_free(f);
}

int main(void)
{
	parser_init();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(media_ids_name_plain_files),
		cmocka_unit_test(answer_takes_the_first_codec_the_data_plane_knows),
		cmocka_unit_test(play_without_a_data_plane_fails_unanswered),
		cmocka_unit_test(bad_media_id_fails_and_is_counted),
		cmocka_unit_test(answered_call_is_not_answered_again),
		cmocka_unit_test(caller_gone_stops_the_flow),
		cmocka_unit_test(stray_playback_event_is_ignored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
