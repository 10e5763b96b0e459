/* sipfwd-resp: the backend of the forwarding and flood benchmarks. Answers every SIP request
 * but ACK with a stateless 200 OK (Via, Record-Route, From, To with a tag, Call-ID and CSeq
 * copied, a Contact naming itself, so a caller's ACK and BYE come back through the proxy) sent
 * to the datagram's source, in batches (recvmmsg/sendmmsg). Stops by itself after --seconds,
 * or on SIGTERM/SIGINT, and prints what it received and answered, and how many requests
 * carried the User-Agent given with --count-ua (the flood benchmark's attacker).
 *   sipfwd-resp --listen 198.51.100.2:5090 [--seconds 600] [--count-ua TEXT]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bench_addr.h"

#define BATCH 64
#define DGRAM 4096
#define REPLY 2048

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whether line [p, end) is the header `name` (long or compact form), case-insensitively. */
static int is_header(const char *p, const char *end, const char *name, const char *compact)
{
	const char *colon = memchr(p, ':', (size_t)(end - p));
	if (!colon)
		return 0;
	size_t n = (size_t)(colon - p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	return (n == strlen(name) && strncasecmp(p, name, n) == 0) ||
	       (compact && n == 1 && (p[0] | 32) == compact[0]);
}

/* The 200 OK for request req[0..len) into out; 0 when req is not a request we answer. */
static size_t build_reply(const char *req, size_t len, const char *contact, char *out,
			  size_t cap)
{
	const char *end = req + len, *p = memchr(req, '\n', len);
	if (!p || len < 8 || memcmp(req, "SIP/2.0 ", 8) == 0 || memcmp(req, "ACK ", 4) == 0)
		return 0;
	size_t n = (size_t)snprintf(out, cap, "SIP/2.0 200 OK\r\n");
	int has_to_tag = 0;
	for (p++; p < end;) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			break;
		const char *le = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
		if (le == p)
			break; /* end of headers */
		int to = is_header(p, le, "To", "t");
		if (is_header(p, le, "Via", "v") || is_header(p, le, "From", "f") || to ||
		    is_header(p, le, "Record-Route", NULL) ||
		    is_header(p, le, "Call-ID", "i") || is_header(p, le, "CSeq", NULL)) {
			size_t l = (size_t)(le - p);
			if (n + l + 16 >= cap)
				return 0;
			memcpy(out + n, p, l);
			n += l;
			if (to && !memmem(p, l, ";tag=", 5)) {
				memcpy(out + n, ";tag=r1", 7);
				n += 7;
			}
			has_to_tag |= to;
			memcpy(out + n, "\r\n", 2);
			n += 2;
		}
		p = eol + 1;
	}
	int w = snprintf(out + n, cap - n, "Contact: <sip:resp@%s>\r\nContent-Length: 0\r\n\r\n",
			 contact);
	if (!has_to_tag || w < 0 || (size_t)w >= cap - n)
		return 0;
	return n + (size_t)w;
}

int main(int argc, char **argv)
{
	static char in[BATCH][DGRAM], out[BATCH][REPLY];
	struct sockaddr_in listen_addr, from[BATCH];
	struct mmsghdr rx[BATCH], tx[BATCH];
	struct iovec riov[BATCH], tiov[BATCH];
	const char *listen_s = NULL, *count_ua = NULL;
	char ua_line[160] = "";
	double seconds = 600;
	unsigned long long received = 0, answered = 0, ua_matches = 0;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--listen"))
			listen_s = argv[i + 1];
		else if (!strcmp(argv[i], "--seconds"))
			seconds = atof(argv[i + 1]);
		else if (!strcmp(argv[i], "--count-ua"))
			count_ua = argv[i + 1];
	}
	if (count_ua)
		snprintf(ua_line, sizeof(ua_line), "\nUser-Agent: %s\r", count_ua);
	if (!listen_s || bench_parse_addr(listen_s, &listen_addr) < 0 || seconds <= 0) {
		fprintf(stderr, "usage: sipfwd-resp --listen IP:PORT [--seconds S]\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int big = 16 << 20;
	struct timeval tv = { 0, 200000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &big, sizeof(big));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (fd < 0 || bind(fd, (struct sockaddr *)&listen_addr, sizeof(listen_addr)) < 0) {
		fprintf(stderr, "sipfwd-resp: cannot listen on %s: %s\n", listen_s, strerror(errno));
		return 1;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	printf("listening %s\n", listen_s);
	fflush(stdout);
	double deadline = now_s() + seconds;
	while (!stop_flag && now_s() < deadline) {
		for (int i = 0; i < BATCH; i++) {
			riov[i] = (struct iovec){ in[i], DGRAM - 1 };
			rx[i].msg_hdr = (struct msghdr){ .msg_name = &from[i],
							 .msg_namelen = sizeof(from[i]),
							 .msg_iov = &riov[i], .msg_iovlen = 1 };
		}
		int got = recvmmsg(fd, rx, BATCH, MSG_WAITFORONE, NULL);
		if (got <= 0)
			continue;
		received += (unsigned)got;
		int k = 0;
		for (int i = 0; i < got; i++) {
			if (ua_line[0] && memmem(in[i], rx[i].msg_len, ua_line, strlen(ua_line)))
				ua_matches++;
			size_t n = build_reply(in[i], rx[i].msg_len, listen_s, out[k], REPLY);
			if (!n)
				continue;
			tiov[k] = (struct iovec){ out[k], n };
			tx[k].msg_hdr = (struct msghdr){ .msg_name = &from[i],
							 .msg_namelen = sizeof(from[i]),
							 .msg_iov = &tiov[k], .msg_iovlen = 1 };
			k++;
		}
		for (int sent = 0; sent < k;) {
			int r = sendmmsg(fd, tx + sent, (unsigned)(k - sent), 0);
			if (r <= 0)
				break;
			sent += r;
			answered += (unsigned)r;
		}
	}
	printf("received %llu answered %llu ua_matches %llu\n", received, answered, ua_matches);
	close(fd);
	return 0;
}
