/* bench-sip-parse [--quick]: SIP messages parsed per second on one core, Bugle's parser doing
 * what the edge proxy does per packet (start line, header index, Via, From/To, Call-ID, CSeq,
 * Max-Forwards, Content-Length, sanity check) against libosip2's osip_message_parse() (+ free)
 * on the same corpus, in the same run. Each side runs for a bounded time and count. */
#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus.h"
#include "sip_msg.h"
#include "sip_sanity.h"

#define BATCH 1024		 /* messages between clock reads */
#define MAX_MESSAGES 200000000ull /* hard bound on the loop whatever the clocks say */
#define WALL_FACTOR 4.0		 /* stop after this many budgets of wall time on a busy host */
#define GOAL_RATIO 10.0
#define GOAL_RATE 2000000.0

struct run {
	unsigned long long messages;
	double seconds;
};

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of this thread: the figure is "per core" even when the machine is shared and the
 * thread is descheduled now and then. */
static double now(void)
{
	return clock_s(CLOCK_THREAD_CPUTIME_ID);
}

/* Whether a side should go on: CPU budget, wall-clock cap and message cap. */
static bool go_on(double t0, double w0, double t, double budget, unsigned long long n)
{
	return t - t0 < budget && clock_s(CLOCK_MONOTONIC) - w0 < budget * WALL_FACTOR &&
	       n < MAX_MESSAGES;
}

/* The edge proxy's per-message work; returns false when a corpus message is not accepted. */
static bool bugle_one(struct sip_msg *m, const struct corpus_msg *c)
{
	struct sip_sanity san;
	int rc = sip_msg_parse(m, c->text, c->len);

	if (rc == 0) {
		rc |= sip_msg_parse_via(m);
		rc |= sip_msg_parse_from(m);
		rc |= sip_msg_parse_to(m);
		rc |= sip_msg_parse_call_id(m);
		rc |= sip_msg_parse_cseq(m);
		if (m->type == SIP_REQUEST)
			rc |= sip_msg_parse_max_forwards(m);
	}
	sip_sanity_check(m, rc, NULL, &san);
	return rc == 0 && san.verdict == SIP_ACCEPT && m->len == c->len;
}

static bool osip_one(const struct corpus_msg *c)
{
	osip_message_t *msg;

	if (osip_message_init(&msg) != 0)
		return false;
	int rc = osip_message_parse(msg, c->text, c->len);
	osip_message_free(msg);
	return rc == 0;
}

static bool run_bugle(double budget, struct run *r)
{
	static struct sip_msg m; /* one per worker lcore in the data plane */
	double t0 = now(), w0 = clock_s(CLOCK_MONOTONIC), t;
	size_t k = 0;

	r->messages = 0;
	do {
		for (int i = 0; i < BATCH; i++) {
			if (!bugle_one(&m, &sip_corpus[k]))
				return false;
			k = k + 1 == sip_corpus_len ? 0 : k + 1;
		}
		r->messages += BATCH;
		t = now();
	} while (go_on(t0, w0, t, budget, r->messages));
	r->seconds = t - t0;
	return true;
}

static bool run_osip(double budget, struct run *r)
{
	double t0 = now(), w0 = clock_s(CLOCK_MONOTONIC), t;
	size_t k = 0;

	r->messages = 0;
	do {
		for (int i = 0; i < BATCH; i++) {
			if (!osip_one(&sip_corpus[k]))
				return false;
			k = k + 1 == sip_corpus_len ? 0 : k + 1;
		}
		r->messages += BATCH;
		t = now();
	} while (go_on(t0, w0, t, budget, r->messages));
	r->seconds = t - t0;
	return true;
}

int main(int argc, char **argv)
{
	bool quick = argc == 2 && strcmp(argv[1], "--quick") == 0;
	double budget = quick ? 0.5 : 2.0;
	struct run warm, ours, peer;

	if (argc > 2 || (argc == 2 && !quick)) {
		fprintf(stderr, "usage: bench-sip-parse [--quick]\n");
		return 2;
	}
	parser_init();
	/* A short warm-up of each side so neither pays for cold caches in its figure. */
	if (!run_bugle(0.05, &warm) || !run_osip(0.05, &warm)) {
		fprintf(stderr, "bench-sip-parse: a corpus message failed to parse\n");
		return 1;
	}
	if (!run_bugle(budget, &ours) || !run_osip(budget, &peer)) {
		fprintf(stderr, "bench-sip-parse: a corpus message failed to parse\n");
		return 1;
	}
	double a = (double)ours.messages / ours.seconds;
	double b = (double)peer.messages / peer.seconds;
	double ratio = a / b;

	printf("corpus: %zu messages (INVITE+SDP, REGISTER+auth, 200 OK+SDP, BYE), one thread, "
	       "rates per CPU-second\n",
	       sip_corpus_len);
	printf("bugle parse+sanity : %12.0f msg/s (%llu in %.2f s)\n", a, ours.messages,
	       ours.seconds);
	printf("libosip2 parse+free: %12.0f msg/s (%llu in %.2f s)\n", b, peer.messages,
	       peer.seconds);
	printf("ratio              : %12.1fx (goal >= %.0fx and >= %.0f msg/s: %s)\n", ratio,
	       GOAL_RATIO, GOAL_RATE, ratio >= GOAL_RATIO && a >= GOAL_RATE ? "met" : "NOT met");
	printf("RESULT {\"name\":\"sip_parse\",\"metric\":\"messages_per_second\",\"unit\":\"msg/s\","
	       "\"bugle\":%.0f,\"peer_name\":\"libosip2\",\"peer\":%.0f,\"ratio\":%.2f,"
	       "\"goal\":\"ratio >= %.0f and bugle >= %.0f\"}\n",
	       a, b, ratio, GOAL_RATIO, GOAL_RATE);
	return 0;
}
