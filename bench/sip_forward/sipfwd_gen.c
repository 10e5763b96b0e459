/* sipfwd-gen: the load generator of the forwarding and flood benchmarks. Sends OPTIONS and
 * REGISTER requests (alternating, each with its own Call-ID and branch) over UDP to a SIP
 * proxy at a paced rate and counts the 200 OKs that come back.
 *
 *   sipfwd-gen --src IP --dst IP:PORT --search [--start N] [--max N] [--step-s S]
 *              [--max-steps K] [--goal-loss F]
 *       steps the offered rate (doubling while loss < goal, then halving the gap between the
 *       best good and the first bad rate three times) and prints the highest good rate;
 *   sipfwd-gen --src IP --dst IP:PORT --rate N --seconds S [--ua TEXT]
 *       one fixed-rate run (the flood attacker).
 * Every run is bounded: at most K steps of S seconds (plus 0.5 s for late answers each).
 * Output: one "step ..." line per step and one "GEN {json}" line at the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 32
#define MAX_STEPS 32
#define MSG_CAP 1024
#define GRACE_S 0.5

struct gen {
	int fd;
	struct sockaddr_in src, dst;
	char src_txt[32], dst_txt[32], ua[128];
	_Atomic unsigned long long got[MAX_STEPS];	/* written by the receiver thread */
	_Atomic unsigned long long dup[MAX_STEPS];	/* answers seen twice (a second proxy?) */
	/* Per step, one bit per request already answered: set up by the sender before the
	 * step starts (release), read by the receiver (acquire). */
	_Atomic(_Atomic uint8_t *) seen[MAX_STEPS];
	_Atomic unsigned long long seen_bits[MAX_STEPS];
	_Atomic int done;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_addr(const char *s, struct sockaddr_in *a, uint16_t def_port)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	size_t hl = colon ? (size_t)(colon - s) : strlen(s);
	if (hl >= sizeof(host))
		return -1;
	memcpy(host, s, hl);
	host[hl] = 0;
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons(colon ? (uint16_t)atoi(colon + 1) : def_port);
	return inet_pton(AF_INET, host, &a->sin_addr) == 1 ? 0 : -1;
}

static int build(const struct gen *g, int step, unsigned long long seq, char *out)
{
	const char *method = seq & 1 ? "REGISTER" : "OPTIONS";
	return snprintf(out, MSG_CAP,
			"%s sip:%s SIP/2.0\r\n"
			"Via: SIP/2.0/UDP %s;branch=z9hG4bKg%dx%llu;rport\r\n"
			"Max-Forwards: 70\r\n"
			"From: <sip:bench@example.com>;tag=g%d\r\n"
			"To: <sip:bench@example.com>\r\n"
			"Call-ID: g%d-%llu@bench\r\n"
			"CSeq: %llu %s\r\n"
			"Contact: <sip:bench@%s>\r\n"
			"User-Agent: %s\r\n"
			"Expires: 60\r\n"
			"Content-Length: 0\r\n\r\n",
			method, g->dst_txt, g->src_txt, step, seq, step, step, seq, seq + 1, method,
			g->src_txt, g->ua);
}

/* Counts answers per step from the Call-ID "g<step>-". */
static void *receiver(void *arg)
{
	struct gen *g = arg;
	static char buf[BATCH][2048];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];

	while (!atomic_load(&g->done)) {
		for (int i = 0; i < BATCH; i++) {
			iov[i] = (struct iovec){ buf[i], sizeof(buf[i]) - 1 };
			m[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		int n = recvmmsg(g->fd, m, BATCH, MSG_WAITFORONE, NULL);
		for (int i = 0; i < n; i++) {
			buf[i][m[i].msg_len] = 0;
			if (strncmp(buf[i], "SIP/2.0 200", 11) != 0)
				continue;
			const char *c = strstr(buf[i], "\nCall-ID: g");
			int step = c ? atoi(c + 11) : -1;
			const char *dash = c ? strchr(c + 11, '-') : NULL;
			if (step < 0 || step >= MAX_STEPS || !dash)
				continue;
			unsigned long long seq = strtoull(dash + 1, NULL, 10);
			_Atomic uint8_t *bits = atomic_load_explicit(&g->seen[step], memory_order_acquire);
			if (!bits || seq >= atomic_load(&g->seen_bits[step]))
				continue;
			uint8_t mask = (uint8_t)(1u << (seq & 7));
			if (atomic_fetch_or(&bits[seq >> 3], mask) & mask)
				atomic_fetch_add(&g->dup[step], 1);
			else
				atomic_fetch_add(&g->got[step], 1);
		}
	}
	return NULL;
}

/* One step: rate messages per second for seconds; returns the messages sent. */
static unsigned long long run_step(struct gen *g, int step, double rate, double seconds)
{
	static char msg[BATCH][MSG_CAP];
	struct mmsghdr m[BATCH];
	struct iovec iov[BATCH];
	unsigned long long sent = 0, total = (unsigned long long)(rate * seconds);
	_Atomic uint8_t *bits = calloc(total / 8 + 1, 1);

	if (!bits)
		return 0;
	atomic_store(&g->seen_bits[step], total);
	atomic_store_explicit(&g->seen[step], bits, memory_order_release);
	double t0 = now_s();

	while (sent < total) {
		double el = now_s() - t0;
		if (el > seconds + 1.0)
			break; /* cannot keep up: stop at the bound */
		unsigned long long due = (unsigned long long)(el * rate);
		if (due > total)
			due = total;
		if (due <= sent) {
			struct timespec ts = { 0, 50000 };
			nanosleep(&ts, NULL);
			continue;
		}
		int k = due - sent > BATCH ? BATCH : (int)(due - sent);
		for (int i = 0; i < k; i++) {
			int n = build(g, step, sent + (unsigned)i, msg[i]);
			iov[i] = (struct iovec){ msg[i], (size_t)n };
			m[i].msg_hdr = (struct msghdr){ .msg_name = &g->dst, .msg_namelen = sizeof(g->dst),
							.msg_iov = &iov[i], .msg_iovlen = 1 };
		}
		int r = sendmmsg(g->fd, m, (unsigned)k, 0);
		if (r > 0)
			sent += (unsigned)r;
		else if (errno != EAGAIN && errno != ENOBUFS)
			break;
	}
	return sent;
}

int main(int argc, char **argv)
{
	static struct gen g;
	const char *src = NULL, *dst = NULL;
	double start = 2000, max = 400000, step_s = 3, goal = 0.001, rate = 0, seconds = 0;
	int search = 0, max_steps = 12;

	snprintf(g.ua, sizeof(g.ua), "sipfwd-gen");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--search")) { search = 1; continue; }
		if (!v) break;
		if (!strcmp(a, "--src")) src = v;
		else if (!strcmp(a, "--dst")) dst = v;
		else if (!strcmp(a, "--start")) start = atof(v);
		else if (!strcmp(a, "--max")) max = atof(v);
		else if (!strcmp(a, "--step-s")) step_s = atof(v);
		else if (!strcmp(a, "--max-steps")) max_steps = atoi(v);
		else if (!strcmp(a, "--goal-loss")) goal = atof(v);
		else if (!strcmp(a, "--rate")) rate = atof(v);
		else if (!strcmp(a, "--seconds")) seconds = atof(v);
		else if (!strcmp(a, "--ua")) snprintf(g.ua, sizeof(g.ua), "%s", v);
		else { fprintf(stderr, "sipfwd-gen: unknown option %s\n", a); return 2; }
		i++;
	}
	if (max_steps > MAX_STEPS)
		max_steps = MAX_STEPS;
	if (!src || !dst || parse_addr(src, &g.src, 0) < 0 || parse_addr(dst, &g.dst, 5060) < 0 ||
	    (!search && (rate <= 0 || seconds <= 0 || seconds > 600)) || step_s <= 0 || step_s > 30) {
		fprintf(stderr, "usage: see the comment at the top of sipfwd_gen.c\n");
		return 2;
	}
	g.fd = socket(AF_INET, SOCK_DGRAM, 0);
	int big = 16 << 20;
	struct timeval tv = { 0, 100000 };
	setsockopt(g.fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(g.fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	setsockopt(g.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (g.fd < 0 || bind(g.fd, (struct sockaddr *)&g.src, sizeof(g.src)) < 0) {
		fprintf(stderr, "sipfwd-gen: cannot bind %s: %s\n", src, strerror(errno));
		return 1;
	}
	struct sockaddr_in bound;
	socklen_t bl = sizeof(bound);
	getsockname(g.fd, (struct sockaddr *)&bound, &bl);
	char ip[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &bound.sin_addr, ip, sizeof(ip));
	snprintf(g.src_txt, sizeof(g.src_txt), "%s:%u", ip, ntohs(bound.sin_port));
	inet_ntop(AF_INET, &g.dst.sin_addr, ip, sizeof(ip));
	snprintf(g.dst_txt, sizeof(g.dst_txt), "%s:%u", ip, ntohs(g.dst.sin_port));
	pthread_t rt;
	pthread_create(&rt, NULL, receiver, &g);

	double best = 0, bad = 0, r = search ? start : rate, dur = search ? step_s : seconds;
	unsigned long long tot_sent = 0, tot_got = 0, tot_dup = 0;
	int refine = 0;
	for (int s = 0; s < (search ? max_steps : 1); s++) {
		unsigned long long sent = run_step(&g, s, r, dur);
		struct timespec ts = { 0, (long)(GRACE_S * 1e9) };
		nanosleep(&ts, NULL);
		unsigned long long got = atomic_load(&g.got[s]), dup = atomic_load(&g.dup[s]);
		double loss = sent ? 1.0 - (double)got / (double)sent : 1.0;
		/* A step that could not send its whole load counts as failed. */
		int ok = sent >= (unsigned long long)(r * dur) && loss < goal;
		printf("step %d rate=%.0f sent=%llu received=%llu loss=%.5f %s\n", s, r, sent, got,
		       loss, ok ? "ok" : "over");
		if (dup)
			printf("step %d: %llu answers came twice: is another proxy on the network?\n",
			       s, dup);
		tot_dup += dup;
		fflush(stdout);
		tot_sent += sent;
		tot_got += got;
		if (!search)
			break;
		if (ok)
			best = r;
		else
			bad = r;
		if (!bad) {
			if (r * 2 > max)
				break;
			r *= 2;
		} else {
			if (refine++ >= 3 || bad - best < bad / 10)
				break;
			r = best ? (best + bad) / 2 : bad / 2;
			if (r < start / 4)
				break;
		}
	}
	atomic_store(&g.done, 1);
	pthread_join(rt, NULL);
	printf("GEN {\"best_rate\": %.0f, \"sent\": %llu, \"received\": %llu, \"duplicates\": %llu}\n",
	       search ? best : r, tot_sent, tot_got, tot_dup);
	for (int s = 0; s < MAX_STEPS; s++)
		free((void *)atomic_load(&g.seen[s]));
	close(g.fd);
	return 0;
}
