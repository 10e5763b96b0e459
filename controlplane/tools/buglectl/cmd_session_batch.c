/* buglectl session batch FILE|-: many session requests over one control connection, as a
 * control plane sends them, instead of one process and one connection per request (the relay
 * benchmark sets thousands of calls up this way). Each line is a session command with its own
 * arguments ("offer CALL_ID TAG IP:PORT CODECS [opts]", answer, update, delete, query); up to
 * BATCH_WINDOW requests are in flight at once, and the replies are printed in the lines' order,
 * one per line. The first line that fails (bad line, error reply, lost connection) stops the
 * reading: the requests already in flight finish and are printed, then buglectl exits with that
 * line's code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "bugle/log.h"
#include "buglectl.h"
#include "cmd_session.h"
#include "dpclient.h"

#define BATCH_WINDOW 64
#define BATCH_MAX_WORDS 32
/* The client's own calls (subscribe, heartbeat) in flight beside the window's. */
#define BATCH_OWN_CALLS 4

struct batch;

struct batch_slot {
	struct batch *b;
	unsigned line;
	bool done;
	json_t *reply;		/* the printed reply, NULL on failure */
	int rc;
	char err[256];
};

struct batch {
	const struct ctl_options *opt;
	FILE *in;
	uv_loop_t loop;
	uv_timer_t connect_timer, finish_timer;
	struct dpclient *dp;
	struct batch_slot slots[BATCH_WINDOW];
	unsigned head, tail;	/* requests in flight or unprinted: [head, tail), in line order */
	unsigned line;		/* lines read */
	unsigned printed;	/* replies printed */
	bool up, eof, finishing;
	int rc;			/* the first failure's exit code */
	char *buf;
	size_t buf_cap;
};

static struct batch_slot *slot_at(struct batch *b, unsigned i)
{
	return &b->slots[i % BATCH_WINDOW];
}

static void fail(struct batch *b, int rc)
{
	if (b->rc == CTL_OK)
		b->rc = rc;
}

/* dpclient_free() may not run inside its own callbacks: the loop does it next. */
static void on_finish(uv_timer_t *t)
{
	struct batch *b = t->data;
	dpclient_free(b->dp);
	b->dp = NULL;
	uv_close((uv_handle_t *)&b->connect_timer, NULL);
	uv_close((uv_handle_t *)&b->finish_timer, NULL);
}

static void finish(struct batch *b)
{
	if (b->finishing)
		return;
	b->finishing = true;
	uv_timer_stop(&b->connect_timer);
	uv_timer_start(&b->finish_timer, on_finish, 0, 0);
}

/* Prints the finished replies at the head, in line order. */
static void print_done(struct batch *b)
{
	while (b->head != b->tail && slot_at(b, b->head)->done) {
		struct batch_slot *s = slot_at(b, b->head);
		if (s->reply && !b->opt->json && b->printed++)
			putchar('\n');	/* people: a blank line between two replies */
		if (s->reply)
			ctl_print(b->opt, s->reply);
		else
			ctl_error(b->opt, s->rc, "line %u: %s", s->line, s->err);
		s->reply = NULL;
		b->head++;
	}
	fflush(stdout);
}

static void pump(struct batch *b);

static void on_reply(void *arg, Bugle__Dp__Status status, const char *error,
		     const ProtobufCMessage *reply)
{
	struct batch_slot *s = arg;
	s->done = true;
	if (status == BUGLE__DP__STATUS__STATUS_OK && reply) {
		s->reply = ctl_session_reply_json((const Bugle__Dp__SessionReply *)reply);
		s->rc = CTL_OK;
	} else {
		bool unreachable = status == BUGLE__DP__STATUS__STATUS_UNAVAILABLE ||
				   status == BUGLE__DP__STATUS__STATUS_DEADLINE_EXCEEDED;
		s->rc = unreachable ? CTL_UNREACHABLE : CTL_FAILED;
		snprintf(s->err, sizeof(s->err), "%s", error && error[0] ? error : "request failed");
		fail(s->b, s->rc);
	}
	if (!s->b->finishing)
		pump(s->b);
}

static int batch_send(void *arg, Bugle__Dp__Method method, const ProtobufCMessage *req)
{
	struct batch *b = arg;
	struct batch_slot *s = slot_at(b, b->tail);
	int rc = dpclient_call(b->dp, method, req, on_reply, s, (unsigned)b->opt->timeout_ms);
	if (rc < 0)
		return ctl_error(b->opt, rc == -ENOTCONN ? CTL_UNREACHABLE : CTL_FAILED,
				 "line %u: %s: %s", b->line, b->opt->control, strerror(-rc));
	b->tail++;
	return CTL_OK;
}

/* Reads and sends lines while the window has room; finishes once all is read and printed. */
static void pump(struct batch *b)
{
	print_done(b);
	while (b->up && !b->eof && b->rc == CTL_OK && b->tail - b->head < BATCH_WINDOW) {
		if (getline(&b->buf, &b->buf_cap, b->in) < 0) {
			b->eof = true;
			break;
		}
		b->line++;
		char *words[BATCH_MAX_WORDS];
		int n = ctl_batch_split(b->buf, words, BATCH_MAX_WORDS);
		if (n < 0) {
			fail(b, ctl_error(b->opt, CTL_USAGE, "line %u: more than %d words", b->line,
					  BATCH_MAX_WORDS));
			break;
		}
		if (n == 0)
			continue;
		struct batch_slot *s = slot_at(b, b->tail);
		memset(s, 0, sizeof(*s));
		s->b = b;
		s->line = b->line;
		int rc = ctl_session_request(b->opt, n, words, batch_send, b);
		if (rc != CTL_OK) {
			if (rc == CTL_USAGE)
				ctl_error(b->opt, rc, "line %u: not sent", b->line);
			fail(b, rc);
		}
	}
	if (b->head == b->tail && (b->eof || b->rc != CTL_OK))
		finish(b);
}

static void on_state(void *arg, bool up)
{
	struct batch *b = arg;
	if (up && !b->up) {
		b->up = true;
		uv_timer_stop(&b->connect_timer);
	} else if (!up && b->up) {
		/* The calls in flight fail with UNAVAILABLE; stop rather than wait for a reconnect. */
		b->up = false;
		fail(b, CTL_UNREACHABLE);
	}
	pump(b);
}

static void on_connect_timeout(uv_timer_t *t)
{
	struct batch *b = t->data;
	fail(b, ctl_error(b->opt, CTL_UNREACHABLE, "%s: no connection within %d ms",
			  b->opt->control, b->opt->timeout_ms));
	finish(b);
}

int ctl_session_batch(const struct ctl_options *opt, int argc, char **argv)
{
	if (argc != 1)
		return ctl_error(opt, CTL_USAGE, "usage: session batch FILE|-");
	static struct batch b;	/* one per process; the slots are too big for the stack */
	memset(&b, 0, sizeof(b));
	b.opt = opt;
	b.in = strcmp(argv[0], "-") ? fopen(argv[0], "r") : stdin;
	if (!b.in)
		return ctl_error(opt, CTL_USAGE, "%s: %s", argv[0], strerror(errno));
	bgl_log_set_level(BGL_LOG_WARN);	/* the client's "connected": not for the output */
	uv_loop_init(&b.loop);
	uv_timer_init(&b.loop, &b.connect_timer);
	uv_timer_init(&b.loop, &b.finish_timer);
	b.connect_timer.data = b.finish_timer.data = &b;
	struct dpclient_config cfg = { .addr = opt->control, .node = "buglectl-batch",
				       .call_timeout_ms = (unsigned)opt->timeout_ms,
				       .max_pending = BATCH_WINDOW + BATCH_OWN_CALLS };
	struct dpclient_callbacks cbs = { .on_state = on_state, .arg = &b };
	b.dp = dpclient_new(&b.loop, &cfg, &cbs);
	if (!b.dp) {
		fail(&b, ctl_error(opt, CTL_USAGE, "bad control address '%s'", opt->control));
		uv_close((uv_handle_t *)&b.connect_timer, NULL);
		uv_close((uv_handle_t *)&b.finish_timer, NULL);
	} else {
		uv_timer_start(&b.connect_timer, on_connect_timeout, (uint64_t)opt->timeout_ms, 0);
	}
	uv_run(&b.loop, UV_RUN_DEFAULT);
	uv_loop_close(&b.loop);
	print_done(&b);
	for (unsigned i = b.head; i != b.tail; i++)	/* cancelled at the end: nothing to print */
		json_decref(slot_at(&b, i)->reply);
	if (b.in != stdin)
		fclose(b.in);
	free(b.buf);
	return b.rc;
}
