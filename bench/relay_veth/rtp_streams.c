/* rtp-streams: many G.711 calls through an RTP relay, both directions, and the loss.
 *
 *   rtp-streams --a IP:PORT --b IP:PORT --relay IP --ports FILE [--calls N] [--seconds S]
 *               [--late-ms MS] [--mac MAC] [--json FILE]
 *
 * FILE has one line per call, "PORT_FOR_A PORT_FOR_B": the relay ports that side A and side B
 * send to. Every call's A side sends from --a, every B side from --b; the relay forwards A's
 * packets to --b and B's to --a, and each packet says in its payload which stream it belongs to
 * (stream id, packet number and send time in the first 16 payload bytes; the relays under test
 * do not touch a PCMU payload). Each of the 2 * N streams sends a 172-byte RTP packet (PCMU,
 * 20 ms) every 20 ms; the sends are spread evenly over time rather than in 20 ms bursts.
 *
 * Packet I/O is PACKET_MMAP on the interface that holds --a and --b (both must be on one):
 * prebuilt frames patched in place in a TPACKET_V2 TX ring, one send() per burst, and a
 * TPACKET_V3 RX ring read by the same thread between bursts, so one core sends and receives
 * several hundred thousand packets per second. Two UDP sockets bound to --a and --b send the
 * warm-up (one packet per stream, uncounted: latching and ARP, which gives the relay's MAC) and
 * then stay bound, dropping everything, so the kernel answers no port-unreachable. Then a
 * pause, the measured phase of --seconds, then 500 ms to drain.
 *
 * With --mac, A and B live at that MAC instead of the interface's: the frames are sent from it
 * and rtp-streams answers the ARP requests for --a and --b with it (the kernel's ARP must be
 * off on the interface, with a static neighbour entry for the relay). The relay's packets back
 * then reach the kernel as frames for another host, which it drops before its IP input, while
 * the RX ring still reads them: the generator's CPU is spent on the streams, not on the
 * kernel's UDP receive of packets nobody reads.
 *
 * Prints one JSON line: calls, streams, offered and sent packets per second; sent, unsent
 * (due but not sent: the generator fell behind or its TX ring was full), received (packets of
 * the measured phase that came back, on the right side), lost (sent - received), loss (lost /
 * sent), late (received more than --late-ms after they were sent, default 50), silent streams,
 * foreign (UDP to --a or --b that is no packet of the run, or arrived on the wrong side) and
 * sink_drops (packets the generator's own RX ring dropped: they count as lost, and a non-zero
 * value means the figure is the generator's, not the relay's). Bounded: at most 60 s and
 * MAX_CALLS calls. Exit: 0 done, 2 usage, 1 socket or set-up errors.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "afp_ring.h"
#include "arp_answer.h"
#include "bench_addr.h"
#include "rtp_frame.h"

#define MAX_CALLS 20000
#define PTIME_NS 20000000ull
#define BURST 256			/* frames per send() at most */
#define TX_FRAMES 32768
#define RX_BLOCK (1u << 20)
#define RX_BLOCKS 64			/* 64 MiB: about half a second at 400 kpps */
#define RX_RETIRE_MS 2
#define DRAIN_NS 500000000ull
#define WARMUP_PAUSE_NS 500000000ull
#define ARP_WAIT_NS 3000000000ull

struct opts {
	struct sockaddr_in a, b;
	struct in_addr relay;
	const char *ports_file, *json;
	unsigned calls;
	double seconds;
	unsigned late_ms;
	bool own_mac;			/* --mac given */
	uint8_t mac[6];
};

struct run {
	struct opts o;
	int sa, sb;			/* the UDP sockets: warm-up, then bound and dropping */
	uint16_t (*ports)[2];		/* [call][0]: A sends to it, [1]: B sends to it */
	unsigned n_ports;
	int ifindex;
	uint8_t if_mac[6], relay_mac[6];
	struct rtp_frame_tmpl *tmpl;	/* per stream */
	struct afp_tx tx;
	struct afp_rx rx;
	uint32_t max_n;			/* highest packet number of the measured phase */
	uint64_t late_ns;
	/* Receive side (this thread). */
	uint32_t *rx_count;		/* per stream, packets 1..max_n */
	uint64_t received, late, foreign, arp_replies;
	/* Send side. */
	uint64_t sent, unsent_ring;
};

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static uint64_t now_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
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
	int buf = 16 << 20;	/* the warm-up sends one packet per stream at once */
	/* FORCE needs CAP_NET_ADMIN (the bench runs as root); the plain option is the fallback. */
	if (setsockopt(s, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof(buf)) != 0)
		setsockopt(s, SOL_SOCKET, SO_SNDBUF, &buf, sizeof(buf));
	if (bind(s, (const struct sockaddr *)local, sizeof(*local)) != 0) {
		close(s);
		return -1;
	}
	return s;
}

/* The socket keeps its port (no ICMP port unreachable) but queues nothing: the streams are
 * read from the RX ring. */
static int drop_all(int s)
{
	struct sock_filter ret0 = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = { .len = 1, .filter = &ret0 };
	return setsockopt(s, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* The interface holding --a (and --b): index, name and MAC. */
static int find_iface(struct run *r, char name[IF_NAMESIZE])
{
	struct ifaddrs *ifs, *i;
	if (getifaddrs(&ifs) != 0)
		return -1;
	char a_if[IF_NAMESIZE] = "", b_if[IF_NAMESIZE] = "";
	for (i = ifs; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue;
		struct in_addr ip = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
		if (ip.s_addr == r->o.a.sin_addr.s_addr)
			snprintf(a_if, sizeof(a_if), "%s", i->ifa_name);
		if (ip.s_addr == r->o.b.sin_addr.s_addr)
			snprintf(b_if, sizeof(b_if), "%s", i->ifa_name);
	}
	freeifaddrs(ifs);
	if (!a_if[0] || strcmp(a_if, b_if) != 0) {
		fprintf(stderr, "rtp-streams: --a and --b must be addresses of one interface "
				"(found '%s' and '%s')\n", a_if, b_if);
		return -1;
	}
	snprintf(name, IF_NAMESIZE, "%s", a_if);
	r->ifindex = (int)if_nametoindex(name);
	struct ifreq ifr = { 0 };
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (!r->ifindex || ioctl(r->sa, SIOCGIFHWADDR, &ifr) != 0 ||
	    ifr.ifr_hwaddr.sa_family != ARPHRD_ETHER) {
		fprintf(stderr, "rtp-streams: %s is not an Ethernet interface\n", name);
		return -1;
	}
	memcpy(r->if_mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static bool relay_mac(struct run *r, const char *ifname)
{
	struct arpreq req = { 0 };
	struct sockaddr_in *pa = (struct sockaddr_in *)&req.arp_pa;
	pa->sin_family = AF_INET;
	pa->sin_addr = r->o.relay;
	snprintf(req.arp_dev, sizeof(req.arp_dev), "%s", ifname);
	if (ioctl(r->sa, SIOCGARP, &req) != 0 || !(req.arp_flags & ATF_COM))
		return false;
	memcpy(r->relay_mac, req.arp_ha.sa_data, 6);
	return true;
}

/* Stream k < calls is call k's A side, k >= calls call (k - calls)'s B side. */
static bool a_side(const struct run *r, unsigned stream)
{
	return stream < r->o.calls;
}

static void build_templates(struct run *r)
{
	unsigned calls = r->o.calls;
	for (unsigned k = 0; k < 2 * calls; k++) {
		bool a = a_side(r, k);
		struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr = r->o.relay,
					   .sin_port = htons(r->ports[a ? k : k - calls][a ? 0 : 1]) };
		rtp_frame_build(&r->tmpl[k], r->relay_mac, r->if_mac, a ? &r->o.a : &r->o.b, &dst,
				0x42000000u + k, k);
	}
}

/* Packet 0 of every stream through the kernel's sockets: the relay latches, and the kernel
 * resolves the relay's MAC. Returns the packets the sockets refused. */
static unsigned warm_up(struct run *r, unsigned first, unsigned count)
{
	unsigned refused = 0;
	uint8_t f[RTP_FRAME_LEN];
	for (unsigned k = first; k < first + count; k++) {
		rtp_frame_emit(&r->tmpl[k], f, 0, clock_ns(CLOCK_REALTIME));
		struct sockaddr_in dst = { .sin_family = AF_INET, .sin_addr = r->o.relay };
		memcpy(&dst.sin_port, f + RTP_FRAME_LEN - RTP_LEN - 6, 2);	/* UDP dst port */
		if (sendto(a_side(r, k) ? r->sa : r->sb, f + RTP_FRAME_LEN - RTP_LEN, RTP_LEN, 0,
			   (struct sockaddr *)&dst, sizeof(dst)) != RTP_LEN)
			refused++;
	}
	return refused;
}

static void on_frame(void *arg, const uint8_t *frame, uint32_t len, const struct timespec *t)
{
	struct run *r = arg;
	struct rtp_frame_rx p;
	if (r->o.own_mac && len >= 14 && frame[12] == 0x08 && frame[13] == 0x06) {
		uint32_t ours[2] = { r->o.a.sin_addr.s_addr, r->o.b.sin_addr.s_addr };
		uint8_t *slot = afp_tx_slot(&r->tx);	/* none free: the relay asks again */
		if (slot && arp_answer(frame, len, ours, 2, r->o.mac, slot)) {
			afp_tx_commit(&r->tx, ARP_FRAME_LEN);
			afp_tx_kick(&r->tx);
			r->arp_replies++;
		}
		return;
	}
	if (!rtp_frame_parse(frame, len, &p))
		return;		/* ARP, IPv6, ICMP: the interface's own traffic */
	bool to_a = p.dst_ip == r->o.a.sin_addr.s_addr && p.dst_port == ntohs(r->o.a.sin_port);
	bool to_b = p.dst_ip == r->o.b.sin_addr.s_addr && p.dst_port == ntohs(r->o.b.sin_port);
	if (!to_a && !to_b)
		return;		/* not for the generator */
	/* A's packets must come back to B's address and port, B's to A's. */
	if (p.stream >= 2 * r->o.calls || p.n > r->max_n || (a_side(r, p.stream) ? to_a : to_b)) {
		r->foreign++;
		return;
	}
	if (p.n == 0)
		return;		/* warm-up */
	r->rx_count[p.stream]++;
	r->received++;
	uint64_t at = (uint64_t)t->tv_sec * 1000000000u + (uint64_t)t->tv_nsec;
	if (at > p.sent_ns && at - p.sent_ns > r->late_ns)
		r->late++;
}

/* Waits for time t (CLOCK_MONOTONIC) or for the RX ring, whichever comes first. */
static void wait_until(struct run *r, uint64_t t)
{
	uint64_t now = now_ns();
	if (t <= now + 200000)
		return;		/* closer than the timer's slack: the caller spins */
	uint64_t d = t - now - 100000;
	struct timespec ts = { .tv_sec = (time_t)(d / 1000000000u), .tv_nsec = (long)(d % 1000000000u) };
	struct pollfd pfd = { .fd = r->rx.fd, .events = POLLIN };
	ppoll(&pfd, 1, &ts, NULL);
}

static int usage(void)
{
	fprintf(stderr, "usage: rtp-streams --a IP:PORT --b IP:PORT --relay IP --ports FILE "
			"[--calls N] [--seconds S] [--late-ms MS] [--mac MAC] [--json FILE]\n");
	return 2;
}

static int parse_args(struct run *r, int argc, char **argv)
{
	r->o.calls = 100;
	r->o.seconds = 3;
	r->o.late_ms = 50;
	bool have_a = false, have_b = false, have_relay = false;
	static const struct option lo[] = {
		{ "a", required_argument, NULL, 'a' },	    { "b", required_argument, NULL, 'b' },
		{ "relay", required_argument, NULL, 'r' },  { "ports", required_argument, NULL, 'p' },
		{ "calls", required_argument, NULL, 'n' },  { "seconds", required_argument, NULL, 's' },
		{ "json", required_argument, NULL, 'j' },   { "late-ms", required_argument, NULL, 'l' },
		{ "mac", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'a': have_a = bench_parse_addr(optarg, &r->o.a) == 0; break;
		case 'b': have_b = bench_parse_addr(optarg, &r->o.b) == 0; break;
		case 'r': have_relay = inet_pton(AF_INET, optarg, &r->o.relay) == 1; break;
		case 'p': r->o.ports_file = optarg; break;
		case 'n': r->o.calls = (unsigned)strtoul(optarg, &end, 10); if (*end) return -1; break;
		case 's': r->o.seconds = strtod(optarg, &end); if (*end) return -1; break;
		case 'l': r->o.late_ms = (unsigned)strtoul(optarg, &end, 10); if (*end) return -1; break;
		case 'j': r->o.json = optarg; break;
		case 'm':
			if (arp_parse_mac(optarg, r->o.mac) != 0)
				return -1;
			r->o.own_mac = true;
			break;
		default: return -1;
		}
	}
	if (optind != argc || !have_a || !have_b || !have_relay || !r->o.ports_file ||
	    r->o.calls == 0 || r->o.calls > MAX_CALLS || !(r->o.seconds > 0 && r->o.seconds <= 60) ||
	    r->o.late_ms == 0 || r->o.late_ms > 10000)
		return -1;
	return 0;
}

/* Sockets, interface, warm-up and the relay's MAC, templates, rings. */
static int set_up(struct run *r)
{
	unsigned streams = 2 * r->o.calls;
	char ifname[IF_NAMESIZE];
	r->sa = open_socket(&r->o.a);
	r->sb = open_socket(&r->o.b);
	r->rx_count = calloc(streams, sizeof(*r->rx_count));
	r->tmpl = calloc(streams, sizeof(*r->tmpl));
	if (r->sa < 0 || r->sb < 0 || !r->rx_count || !r->tmpl) {
		perror("rtp-streams: sockets");
		return -1;
	}
	if (find_iface(r, ifname) != 0)
		return -1;
	if (r->o.own_mac)
		memcpy(r->if_mac, r->o.mac, 6);	/* the streams' source MAC */
	/* The RX ring before the warm-up: its replies are read (and not counted) like the rest. */
	if (afp_rx_open(&r->rx, r->ifindex, RX_BLOCK, RX_BLOCKS, RX_RETIRE_MS) != 0 ||
	    afp_tx_open(&r->tx, r->ifindex, TX_FRAMES) != 0) {
		perror("rtp-streams: AF_PACKET rings (needs CAP_NET_RAW)");
		return -1;
	}
	build_templates(r);	/* the relay's MAC is filled in once known */
	unsigned refused = warm_up(r, 0, streams);
	uint64_t t0 = now_ns();
	while (!relay_mac(r, ifname)) {
		if (now_ns() - t0 > ARP_WAIT_NS) {
			fprintf(stderr, "rtp-streams: %s did not answer ARP on %s\n",
				inet_ntoa(r->o.relay), ifname);
			return -1;
		}
		afp_rx_drain(&r->rx, on_frame, r);
		struct timespec ts = { .tv_nsec = 10000000 };
		nanosleep(&ts, NULL);
		refused += warm_up(r, 0, 1);
	}
	if (refused)
		fprintf(stderr, "rtp-streams: %u warm-up packets refused by the socket\n", refused);
	for (unsigned k = 0; k < streams; k++)
		memcpy(r->tmpl[k].b, r->relay_mac, 6);
	if (drop_all(r->sa) != 0 || drop_all(r->sb) != 0) {
		perror("rtp-streams: SO_ATTACH_FILTER");
		return -1;
	}
	return 0;
}

static void drain_for(struct run *r, uint64_t ns)
{
	uint64_t end = now_ns() + ns;
	while (now_ns() < end) {
		afp_rx_drain(&r->rx, on_frame, r);
		wait_until(r, now_ns() + 10000000 < end ? now_ns() + 10000000 : end);
	}
	afp_rx_drain(&r->rx, on_frame, r);
}

int main(int argc, char **argv)
{
	static struct run r;
	r.sa = r.sb = r.tx.fd = r.rx.fd = -1;
	if (parse_args(&r, argc, argv) != 0)
		return usage();
	if (load_ports(&r) != 0)
		return 1;
	if (r.n_ports < r.o.calls) {
		fprintf(stderr, "rtp-streams: %s has %u calls, %u asked\n", r.o.ports_file, r.n_ports,
			r.o.calls);
		return 2;
	}
	unsigned streams = 2 * r.o.calls;
	uint64_t duration = (uint64_t)(r.o.seconds * 1e9);
	uint64_t total = (uint64_t)((double)streams * r.o.seconds * 1e9 / (double)PTIME_NS);
	r.max_n = (uint32_t)((total + streams - 1) / streams);
	r.late_ns = (uint64_t)r.o.late_ms * 1000000u;
	if (set_up(&r) != 0)
		return 1;
	drain_for(&r, WARMUP_PAUSE_NS);
	r.foreign = 0;		/* what came before the measured phase (ARP, ...) */
	afp_rx_drops(&r.rx);	/* reads and resets the kernel's counter */

	/* Measured phase: packet n of stream k is due at n * 20 ms + k * 20 ms / streams. */
	uint64_t t0 = now_ns();
	uint64_t next = 0;	/* index over (n, k) in send order */
	while (next < total) {
		uint64_t now = now_ns();
		if (now - t0 > duration + PTIME_NS)
			break;	/* the sender itself fell behind: what is unsent counts as unsent */
		uint64_t due = (now - t0) * streams / PTIME_NS + 1;
		if (due > total)
			due = total;
		if (next < due) {
			uint64_t sent_at = clock_ns(CLOCK_REALTIME);
			for (unsigned i = 0; i < BURST && next < due; i++, next++) {
				uint8_t *slot = afp_tx_slot(&r.tx);
				if (!slot) {	/* the kernel still holds that frame */
					r.unsent_ring++;
					continue;
				}
				rtp_frame_emit(&r.tmpl[next % streams], slot,
					       (uint32_t)(1 + next / streams), sent_at);
				afp_tx_commit(&r.tx, RTP_FRAME_LEN);
				r.sent++;
			}
			if (afp_tx_kick(&r.tx) != 0) {
				perror("rtp-streams: send");
				return 1;
			}
		}
		afp_rx_drain(&r.rx, on_frame, &r);
		if (next >= due)
			wait_until(&r, t0 + next * PTIME_NS / streams);
	}
	double elapsed = (double)(now_ns() - t0) / 1e9;
	drain_for(&r, DRAIN_NS);
	uint64_t sink_drops = afp_rx_drops(&r.rx);

	unsigned silent = 0;
	for (unsigned k = 0; k < streams; k++)
		silent += r.rx_count[k] == 0;
	uint64_t lost = r.sent > r.received ? r.sent - r.received : 0;	/* duplicates: a relay bug */
	double loss = r.sent ? (double)lost / (double)r.sent : 1.0;
	char line[768];
	snprintf(line, sizeof(line),
		 "{\"calls\":%u,\"streams\":%u,\"offered_pps\":%.0f,\"sent_pps\":%.0f,\"sent\":%llu,"
		 "\"unsent\":%llu,\"unsent_ring_full\":%llu,\"received\":%llu,\"lost\":%llu,"
		 "\"loss\":%.6f,\"late\":%llu,\"late_ms\":%u,\"silent_streams\":%u,\"foreign\":%llu,"
		 "\"sink_drops\":%llu,\"arp_replies\":%llu,\"seconds\":%.3f,\"io\":\"packet_mmap\"}",
		 r.o.calls, streams, (double)streams * 1e9 / PTIME_NS, (double)r.sent / elapsed,
		 (unsigned long long)r.sent, (unsigned long long)(total - r.sent),
		 (unsigned long long)r.unsent_ring, (unsigned long long)r.received,
		 (unsigned long long)lost, loss, (unsigned long long)r.late, r.o.late_ms, silent,
		 (unsigned long long)r.foreign, (unsigned long long)sink_drops,
		 (unsigned long long)r.arp_replies, elapsed);
	printf("%s\n", line);
	if (r.o.json) {
		FILE *f = fopen(r.o.json, "w");
		if (f) {
			fprintf(f, "%s\n", line);
			fclose(f);
		}
	}
	afp_tx_close(&r.tx);
	afp_rx_close(&r.rx);
	close(r.sa);
	close(r.sb);
	free(r.rx_count);
	free(r.tmpl);
	free(r.ports);
	return 0;
}
