/* rtp-streams: many G.711 calls through an RTP relay, both directions, and the loss.
 *
 *   rtp-streams --a IP:PORT --b IP:PORT --relay IP --ports FILE [--calls N] [--seconds S]
 *               [--json FILE]
 *
 * FILE has one line per call, "PORT_FOR_A PORT_FOR_B": the relay ports that side A and side B
 * send to. Every call's A side sends from the one socket bound to --a, every B side from --b;
 * the relay forwards A's packets to --b and B's to --a, so two sockets carry all the calls and
 * each packet says in its payload which stream it belongs to (stream id and packet number in
 * the first 8 payload bytes; the relays under test do not touch a PCMU payload).
 * Each of the 2 * N streams sends a 172-byte RTP packet (PCMU, 20 ms) every 20 ms; the sends are
 * spread evenly over time rather than in 20 ms bursts. First one packet per stream (warm-up:
 * latching and ARP), a pause, then the measured phase of --seconds, then 500 ms to drain.
 * Prints one JSON line: calls, streams, offered and sent packets per second, sent, received,
 * loss. Bounded: at most 60 s and MAX_CALLS calls. Exit: 0 done, 2 usage, 1 socket errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CALLS 20000
#define RTP_LEN 172
#define PAYLOAD_LEN 160
#define PTIME_NS 20000000ull
#define BATCH 64
#define DRAIN_NS 500000000ull
#define WARMUP_PAUSE_NS 500000000ull
#define SOCK_BUF (64 << 20)

struct opts {
	struct sockaddr_in a, b;
	struct in_addr relay;
	const char *ports_file, *json;
	unsigned calls;
	double seconds;
};

struct run {
	struct opts o;
	int sa, sb;
	uint16_t (*ports)[2];		/* [call][0]: A sends to it, [1]: B sends to it */
	unsigned n_ports;
	_Atomic bool stop_rx;
	_Atomic bool counting;
	/* Received per stream during the measured phase; written by the receiver thread only. */
	uint64_t *rx;
	uint64_t rx_foreign;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	if (*end || port <= 0 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -1;
	a->sin_port = htons((uint16_t)port);
	return 0;
}

static int load_ports(struct run *r)
{
	FILE *f = fopen(r->o.ports_file, "r");
	if (!f) {
		perror(r->o.ports_file);
		return -1;
	}
	r->ports = calloc(MAX_CALLS, sizeof(*r->ports));
	if (!r->ports) {
		fclose(f);
		return -1;
	}
	unsigned pa, pb;
	while (r->n_ports < MAX_CALLS && fscanf(f, "%u %u", &pa, &pb) == 2) {
		if (pa == 0 || pa > 65535 || pb == 0 || pb > 65535)
			break;
		r->ports[r->n_ports][0] = (uint16_t)pa;
		r->ports[r->n_ports][1] = (uint16_t)pb;
		r->n_ports++;
	}
	fclose(f);
	return 0;
}

static int open_socket(const struct sockaddr_in *local)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (s < 0)
		return -1;
	int buf = SOCK_BUF;
	/* FORCE needs CAP_NET_ADMIN (the bench runs as root); the plain option is the fallback. */
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof(buf)) != 0)
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof(buf));
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) != 0)
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (bind(s, (const struct sockaddr *)local, sizeof(*local)) != 0) {
		close(s);
		return -1;
	}
	return s;
}

static void wr32(uint8_t *p, uint32_t v)
{
	v = htonl(v);
	memcpy(p, &v, 4);
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return ntohl(v);
}

/* Stream k < calls is call k's A side, k >= calls call (k - calls)'s B side. */
static void build_packet(uint8_t *p, unsigned stream, uint32_t n)
{
	p[0] = 0x80;
	p[1] = 0;	/* PCMU */
	p[2] = (uint8_t)(n >> 8);
	p[3] = (uint8_t)n;
	wr32(p + 4, n * 160u);
	wr32(p + 8, 0x42000000u + stream);
	memset(p + 12, 0xff, PAYLOAD_LEN);	/* mu-law silence */
	wr32(p + 12, stream);
	wr32(p + 16, n);
}

static void *receiver(void *arg)
{
	struct run *r = arg;
	unsigned streams = 2 * r->o.calls;
	static uint8_t bufs[BATCH][2048];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	struct pollfd pfd[2] = { { .fd = r->sa, .events = POLLIN }, { .fd = r->sb, .events = POLLIN } };
	while (!atomic_load_explicit(&r->stop_rx, memory_order_acquire)) {
		if (poll(pfd, 2, 10) <= 0)
			continue;
		for (unsigned i = 0; i < 2; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			for (unsigned j = 0; j < BATCH; j++) {
				iov[j] = (struct iovec){ .iov_base = bufs[j], .iov_len = sizeof(bufs[j]) };
				msgs[j] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[j],
									 .msg_iovlen = 1 } };
			}
			int n = recvmmsg(pfd[i].fd, msgs, BATCH, MSG_DONTWAIT, NULL);
			bool counting = atomic_load_explicit(&r->counting, memory_order_acquire);
			for (int j = 0; j < n; j++) {
				uint32_t stream = msgs[j].msg_len >= 20 ? rd32(bufs[j] + 12) : UINT32_MAX;
				if (stream >= streams) {
					r->rx_foreign++;
					continue;
				}
				if (counting)
					r->rx[stream]++;
			}
		}
	}
	return NULL;
}

/* Sends packet n of every stream in [first, first + count), batched per socket. */
struct sender {
	struct run *r;
	uint8_t pkts[BATCH][RTP_LEN];
	struct sockaddr_in dst[BATCH];
	struct iovec iov[BATCH];
	struct mmsghdr msgs[BATCH];
	unsigned n;
	int sock;
	uint64_t sent, send_fail;
};

static void flush(struct sender *s)
{
	unsigned done = 0;
	while (done < s->n) {
		int rc = sendmmsg(s->sock, s->msgs + done, s->n - done, 0);
		if (rc <= 0) {
			if (rc < 0 && (errno == EAGAIN || errno == ENOBUFS)) {
				s->send_fail += s->n - done;	/* the sender's own limit, reported */
				break;
			}
			s->send_fail += s->n - done;
			break;
		}
		done += (unsigned)rc;
		s->sent += (uint64_t)rc;
	}
	s->n = 0;
}

static void queue(struct sender *s, unsigned stream, uint32_t n)
{
	struct run *r = s->r;
	unsigned calls = r->o.calls;
	bool a_side = stream < calls;
	int sock = a_side ? r->sa : r->sb;
	if (s->n && sock != s->sock)
		flush(s);
	s->sock = sock;
	unsigned i = s->n++;
	build_packet(s->pkts[i], stream, n);
	s->dst[i] = (struct sockaddr_in){ .sin_family = AF_INET, .sin_addr = r->o.relay };
	s->dst[i].sin_port = htons(r->ports[a_side ? stream : stream - calls][a_side ? 0 : 1]);
	s->iov[i] = (struct iovec){ .iov_base = s->pkts[i], .iov_len = RTP_LEN };
	s->msgs[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &s->dst[i],
						     .msg_namelen = sizeof(s->dst[i]),
						     .msg_iov = &s->iov[i], .msg_iovlen = 1 } };
	if (s->n == BATCH)
		flush(s);
}

static void sleep_until(uint64_t t)
{
	uint64_t now = now_ns();
	if (t > now + 200000) {
		struct timespec ts = { .tv_sec = 0, .tv_nsec = (long)(t - now - 100000) };
		nanosleep(&ts, NULL);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: rtp-streams --a IP:PORT --b IP:PORT --relay IP --ports FILE "
			"[--calls N] [--seconds S] [--json FILE]\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct run r;
	r.o.calls = 100;
	r.o.seconds = 3;
	bool have_a = false, have_b = false, have_relay = false;
	static const struct option lo[] = {
		{ "a", required_argument, NULL, 'a' },	    { "b", required_argument, NULL, 'b' },
		{ "relay", required_argument, NULL, 'r' },  { "ports", required_argument, NULL, 'p' },
		{ "calls", required_argument, NULL, 'n' },  { "seconds", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },   { NULL, 0, NULL, 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'a': have_a = parse_addr(optarg, &r.o.a) == 0; if (!have_a) return usage(); break;
		case 'b': have_b = parse_addr(optarg, &r.o.b) == 0; if (!have_b) return usage(); break;
		case 'r': have_relay = inet_pton(AF_INET, optarg, &r.o.relay) == 1; break;
		case 'p': r.o.ports_file = optarg; break;
		case 'n': r.o.calls = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': r.o.seconds = strtod(optarg, NULL); break;
		case 'j': r.o.json = optarg; break;
		default: return usage();
		}
	}
	if (!have_a || !have_b || !have_relay || !r.o.ports_file || r.o.calls == 0 ||
	    r.o.calls > MAX_CALLS || !(r.o.seconds > 0 && r.o.seconds <= 60))
		return usage();
	if (load_ports(&r) != 0)
		return 1;
	if (r.n_ports < r.o.calls) {
		fprintf(stderr, "rtp-streams: %s has %u calls, %u asked\n", r.o.ports_file, r.n_ports,
			r.o.calls);
		return 2;
	}
	unsigned streams = 2 * r.o.calls;
	r.rx = calloc(streams, sizeof(*r.rx));
	r.sa = open_socket(&r.o.a);
	r.sb = open_socket(&r.o.b);
	if (!r.rx || r.sa < 0 || r.sb < 0) {
		perror("rtp-streams: socket");
		return 1;
	}
	pthread_t rx_thread;
	if (pthread_create(&rx_thread, NULL, receiver, &r) != 0)
		return 1;

	static struct sender s;
	s.r = &r;
	/* Warm-up: one packet per stream, uncounted, so latching and ARP are done before timing. */
	for (unsigned k = 0; k < streams; k++)
		queue(&s, k, 0);
	flush(&s);
	sleep_until(now_ns() + WARMUP_PAUSE_NS);
	atomic_store_explicit(&r.counting, true, memory_order_release);
	s.sent = s.send_fail = 0;

	/* Measured phase: packet n of stream k is due at n * 20 ms + k * 20 ms / streams. */
	uint64_t t0 = now_ns();
	uint64_t duration = (uint64_t)(r.o.seconds * 1e9);
	uint64_t total = (uint64_t)((double)streams * r.o.seconds * 1e9 / (double)PTIME_NS);
	uint64_t next = 0;	/* index over (n, k) in send order */
	while (next < total) {
		uint64_t now = now_ns();
		if (now - t0 > duration + PTIME_NS)
			break;	/* the sender itself fell behind: what is unsent counts as unsent */
		uint64_t due = (now - t0) * streams / PTIME_NS + 1;
		if (due > total)
			due = total;
		if (next >= due) {
			flush(&s);
			sleep_until(t0 + next * PTIME_NS / streams);
			continue;
		}
		for (unsigned i = 0; i < BATCH && next < due; i++, next++)
			queue(&s, (unsigned)(next % streams), (uint32_t)(1 + next / streams));
	}
	flush(&s);
	double elapsed = (double)(now_ns() - t0) / 1e9;
	sleep_until(now_ns() + DRAIN_NS);
	atomic_store_explicit(&r.counting, false, memory_order_release);
	atomic_store_explicit(&r.stop_rx, true, memory_order_release);
	pthread_join(rx_thread, NULL);

	uint64_t received = 0;
	unsigned silent = 0;
	for (unsigned k = 0; k < streams; k++) {
		received += r.rx[k];
		silent += r.rx[k] == 0;
	}
	double loss = s.sent ? 1.0 - (double)received / (double)s.sent : 1.0;
	if (loss < 0)
		loss = 0;	/* duplicates would be a relay bug; they never make loss negative */
	char line[512];
	snprintf(line, sizeof(line),
		 "{\"calls\":%u,\"streams\":%u,\"offered_pps\":%.0f,\"sent_pps\":%.0f,\"sent\":%llu,"
		 "\"unsent\":%llu,\"received\":%llu,\"loss\":%.6f,\"silent_streams\":%u,"
		 "\"foreign\":%llu,\"seconds\":%.3f}",
		 r.o.calls, streams, (double)streams * 1e9 / PTIME_NS, (double)s.sent / elapsed,
		 (unsigned long long)s.sent, (unsigned long long)(total - s.sent),
		 (unsigned long long)received, loss, silent, (unsigned long long)r.rx_foreign, elapsed);
	printf("%s\n", line);
	if (r.o.json) {
		FILE *f = fopen(r.o.json, "w");
		if (f) {
			fprintf(f, "%s\n", line);
			fclose(f);
		}
	}
	close(r.sa);
	close(r.sb);
	free(r.rx);
	free(r.ports);
	return 0;
}
