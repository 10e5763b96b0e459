/* bench-relay: RTP relay cost on one core, packets per second.
 *
 * Each burst stands in for a port: 32 mbufs come from the pool and get a G.711 RTP datagram
 * (172-byte RTP, 214-byte frame) written into them, as a NIC would DMA it; they then take the
 * data plane's whole receive path (Ethernet, IPv4 and UDP checks, UDP demux, the relay's
 * session lookup, latching, SSRC/seq/ts rewrite, new UDP/IPv4 headers with checksums,
 * neighbour lookup) and leave through a TX callback that frees them in bulk, as net_null does.
 * No driver is timed, only the data plane's own work. Streams: --streams sessions, A -> B, one
 * packet per stream per burst slot in turn.
 *
 * Two phases, half the time each: packets marked checksum-good as a NIC with UDP checksum
 * offload marks them (the data plane then trusts the NIC), and unmarked packets as from
 * af_packet or tap (the data plane verifies the checksum itself).
 * The peer, rtpengine, needs the test network: bench/relay_veth measures it; peer and ratio
 * are null here. Bounded: --seconds (default 4, at most 60) and a packet cap per phase.
 *   bench-relay [--seconds S] [--streams N] [--quick]     (--quick: 2 seconds)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "dataplane.pb.h"
#include "net_addr.h"
#include "net_neigh.h"
#include "net_rx.h"
#include "net_udp.h"
#include "relay.h"
#include "relay_counters.h"
#include "relay_session.h"
#include "relay_udp.h"

#define BURST 32
#define MAX_STREAMS 4096
#define FRAME_LEN (14 + 20 + 8 + 172)
#define GOAL_MPPS 5.0

struct bench {
	struct rte_mempool *pool;
	struct net_iface ifc;
	struct net_udp_demux demux;
	struct net_neigh_table *neigh;
	struct net_lcore lc;
	struct relay *relay;
	uint8_t frames[MAX_STREAMS][FRAME_LEN];
	struct rte_mbuf *out[BURST];
	unsigned n_out;
	uint64_t sent;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void tx(void *arg, uint16_t iface, struct rte_mbuf *m)
{
	(void)iface;
	struct bench *b = arg;
	b->out[b->n_out++] = m;
	b->sent++;
	if (b->n_out == BURST) {
		rte_pktmbuf_free_bulk(b->out, BURST);
		b->n_out = 0;
	}
}

static void to_main(void *arg, enum net_main_msg kind, uint16_t iface, rte_be32_t ip,
		    const struct rte_ether_addr *mac, struct rte_mbuf *m)
{
	(void)arg, (void)kind, (void)iface, (void)ip, (void)mac;
	rte_pktmbuf_free(m);	/* never happens: the neighbour is known */
}

static void no_request(void *arg, rte_be32_t ip)
{
	(void)arg, (void)ip;
}

static void no_packet(void *arg, struct rte_mbuf *m, const struct rte_ether_addr *dst)
{
	(void)arg, (void)dst;
	rte_pktmbuf_free(m);
}

/* Ethernet + IPv4 + UDP + RTP from 192.0.2.10:(4000+2i) to 192.0.2.1:port, checksums valid. */
static void build_frame(uint8_t *f, const struct net_iface *ifc, rte_be32_t src, uint16_t sport,
			uint16_t dport, uint32_t ssrc)
{
	memset(f, 0, FRAME_LEN);
	struct rte_ether_hdr *eth = (struct rte_ether_hdr *)f;
	eth->dst_addr = ifc->mac;
	eth->src_addr = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x0a } };
	eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);
	ip->version_ihl = 0x45;
	ip->total_length = rte_cpu_to_be_16(20 + 8 + 172);
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_UDP;
	ip->src_addr = src;
	ip->dst_addr = ifc->addr;
	ip->hdr_checksum = rte_ipv4_cksum(ip);
	struct rte_udp_hdr *udp = (struct rte_udp_hdr *)(ip + 1);
	udp->src_port = rte_cpu_to_be_16(sport);
	udp->dst_port = rte_cpu_to_be_16(dport);
	udp->dgram_len = rte_cpu_to_be_16(8 + 172);
	uint8_t *rtp = (uint8_t *)(udp + 1);
	rtp[0] = 0x80;
	rtp[1] = 0;
	rtp[3] = 1;
	uint32_t s = rte_cpu_to_be_32(ssrc);
	memcpy(rtp + 8, &s, 4);
	for (int i = 12; i < 172; i++)
		rtp[i] = (uint8_t)(0xff - i);
	udp->dgram_cksum = rte_ipv4_udptcp_cksum(ip, udp);
}

static int setup_sessions(struct bench *b, unsigned streams)
{
	static bugle_dp_SessionReply rep;
	char err[256];
	for (unsigned i = 0; i < streams; i++) {
		bugle_dp_SessionOfferRequest o = bugle_dp_SessionOfferRequest_init_zero;
		snprintf(o.call_id, sizeof(o.call_id), "bench-%u", i);
		o.has_from_leg = true;
		snprintf(o.from_leg.leg_tag, sizeof(o.from_leg.leg_tag), "a");
		snprintf(o.from_leg.remote_ip, sizeof(o.from_leg.remote_ip), "192.0.2.10");
		o.from_leg.remote_port = 4000 + 2 * (i % 30000);
		o.from_leg.symmetric = true;
		o.from_leg.codecs_count = 1;
		o.from_leg.codecs[0].codec = bugle_dp_Codec_CODEC_PCMU;
		if (relay_session_offer(b->relay, &o, 0, &rep, err, sizeof(err)))
			return fprintf(stderr, "offer: %s\n", err), -1;
		bugle_dp_SessionAnswerRequest a = bugle_dp_SessionAnswerRequest_init_zero;
		snprintf(a.call_id, sizeof(a.call_id), "bench-%u", i);
		a.has_to_leg = true;
		a.to_leg = o.from_leg;
		snprintf(a.to_leg.leg_tag, sizeof(a.to_leg.leg_tag), "b");
		snprintf(a.to_leg.remote_ip, sizeof(a.to_leg.remote_ip), "192.0.2.11");
		if (relay_session_answer(b->relay, &a, 0, &rep, err, sizeof(err)))
			return fprintf(stderr, "answer: %s\n", err), -1;
		rte_be32_t src;
		net_ipv4_parse("192.0.2.10", &src);
		build_frame(b->frames[i], &b->ifc, src, (uint16_t)(4000 + 2 * (i % 30000)),
			    (uint16_t)rep.local_port, 0x10000 + i);
	}
	return 0;
}

static int setup(struct bench *b, unsigned streams)
{
	b->pool = rte_pktmbuf_pool_create("bench_relay", 8191, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
					  (int)rte_socket_id());
	b->neigh = aligned_alloc(RTE_CACHE_LINE_SIZE,
				 RTE_ALIGN_CEIL(sizeof(*b->neigh), RTE_CACHE_LINE_SIZE));
	if (!b->pool || !b->neigh)
		return -1;
	b->ifc.role = NET_ROLE_PUBLIC;
	b->ifc.mac = (struct rte_ether_addr){ { 0x02, 0, 0, 0, 0, 0x01 } };
	net_ipv4_parse_cidr("192.0.2.1/24", &b->ifc.addr, &b->ifc.netmask);
	b->ifc.mtu = 1500;
	memset(b->neigh, 0, sizeof(*b->neigh));
	struct net_neigh_params np = { .reachable_ms = 3600000, .probe_interval_ms = 1000,
				       .max_probes = 3 };
	net_neigh_init(b->neigh, &np);
	struct net_neigh_ops ops = { .send_request = no_request, .send_packet = no_packet };
	struct net_counters ctr;
	memset(&ctr, 0, sizeof(ctr));
	rte_be32_t peer;
	net_ipv4_parse("192.0.2.11", &peer);
	struct rte_ether_addr mac = { { 0x02, 0, 0, 0, 0, 0x0b } };
	net_neigh_learn(b->neigh, &ops, &ctr, peer, &mac, 0);

	struct relay_config rc = { .port_min = 20000, .port_max = 20000 + 4 * MAX_STREAMS + 1,
				   .max_sessions = MAX_STREAMS, .timeout_s = 60,
				   .hold_timeout_s = 3600, .latch_packets = 10,
				   .latch_quiet_ms = 2000, .public_ip = b->ifc.addr };
	char err[256];
	b->relay = relay_new(&rc, err, sizeof(err));
	if (!b->relay)
		return fprintf(stderr, "relay: %s\n", err), -1;
	net_udp_demux_init(&b->demux);
	if (relay_udp_register(b->relay, &b->demux))
		return -1;
	b->lc.ifaces = &b->ifc;
	b->lc.n_ifaces = 1;
	b->lc.demux = &b->demux;
	b->lc.neigh[0] = b->neigh;
	b->lc.pool = b->pool;
	b->lc.io = (struct net_io){ .arg = b, .tx = tx, .to_main = to_main };
	return setup_sessions(b, streams);
}

/* Feeds bursts for seconds (and at most a packet cap); returns Mpps forwarded, *rx the count
 * fed. ol_flags is what the "NIC" says about each packet. */
static double run_phase(struct bench *b, unsigned streams, double seconds, uint64_t ol_flags,
			uint64_t *rx)
{
	const uint64_t max_packets = 1000000000ull;
	struct rte_mbuf *pkts[BURST];
	unsigned next = 0;
	uint64_t sent0 = b->sent;
	uint64_t t0 = now_ns(), deadline = t0 + (uint64_t)(seconds * 1e9), t = t0;
	*rx = 0;
	while (t < deadline && *rx < max_packets) {
		for (int round = 0; round < 64; round++) {
			if (rte_pktmbuf_alloc_bulk(b->pool, pkts, BURST))
				break;
			for (unsigned i = 0; i < BURST; i++) {
				struct rte_mbuf *m = pkts[i];
				memcpy(rte_pktmbuf_mtod(m, void *), b->frames[next], FRAME_LEN);
				m->data_len = m->pkt_len = FRAME_LEN;
				m->ol_flags |= ol_flags;
				next = next + 1 == streams ? 0 : next + 1;
			}
			net_rx_burst(&b->lc, 0, pkts, BURST, rte_rdtsc());
			*rx += BURST;
		}
		t = now_ns();
	}
	return (double)(b->sent - sent0) / ((double)(t - t0) / 1e9) / 1e6;
}

int main(int argc, char **argv)
{
	double seconds = 4;
	unsigned streams = 1000;
	static const struct option lo[] = { { "seconds", 1, NULL, 's' }, { "streams", 1, NULL, 'n' },
					    { "quick", 0, NULL, 'q' }, { NULL, 0, NULL, 0 } };
	int ch;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (ch == 's')
			seconds = strtod(optarg, NULL);
		else if (ch == 'n')
			streams = (unsigned)strtoul(optarg, NULL, 10);
		else if (ch == 'q')
			seconds = 2;
		else
			return 2;
	}
	if (seconds <= 0 || seconds > 60 || streams == 0 || streams > MAX_STREAMS) {
		fprintf(stderr, "bench-relay: --seconds 0..60, --streams 1..%d\n", MAX_STREAMS);
		return 2;
	}
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "bench-relay-%d", (int)getpid());
	char *eal[] = { argv[0], "--no-huge", "--no-pci", "-m", "256", "-l", "0", "--file-prefix",
			prefix, "--no-shconf", "--no-telemetry", "--log-level", "*:error" };
	if (rte_eal_init((int)(sizeof(eal) / sizeof(eal[0])), eal) < 0) {
		fprintf(stderr, "bench-relay: EAL init failed\n");
		return 1;
	}
	static struct bench b;
	if (setup(&b, streams)) {
		fprintf(stderr, "bench-relay: set-up failed\n");
		return 1;
	}
	/* Two phases over the same sessions: a NIC that verifies IPv4 and UDP checksums and says so
	 * in the mbuf (RTE_ETH_RX_OFFLOAD_IPV4_CKSUM | _UDP_CKSUM: ixgbe, i40e, ice, mlx5 - the
	 * 10 GbE target), and a port that does not (af_packet, tap), where the data plane verifies
	 * them itself. */
	uint64_t rx_nic = 0, rx_sw = 0;
	double mpps_nic = run_phase(&b, streams, seconds / 2,
				    RTE_MBUF_F_RX_IP_CKSUM_GOOD | RTE_MBUF_F_RX_L4_CKSUM_GOOD, &rx_nic);
	double mpps_sw = run_phase(&b, streams, seconds / 2, 0, &rx_sw);
	if (b.n_out)
		rte_pktmbuf_free_bulk(b.out, b.n_out);
	uint64_t rx = rx_nic + rx_sw;
	uint64_t fwd = relay_counter_sum(b.relay, RELAY_CTR_rtp_fwd);
	printf("relay, %u streams, 1 core, NIC verifies UDP checksums: %.2f Mpps\n", streams,
	       mpps_nic);
	printf("relay, %u streams, 1 core, UDP checksums verified in software: %.2f Mpps\n",
	       streams, mpps_sw);
	printf("%llu packets in, %llu forwarded\n", (unsigned long long)rx, (unsigned long long)fwd);
	printf("peer rtpengine: measured on the test network by bench/relay_veth (needs root)\n");
	printf("goal: %.1f Mpps per core\n", GOAL_MPPS);
	if (fwd != rx)
		fprintf(stderr, "bench-relay: %llu of %llu packets were not forwarded\n",
			(unsigned long long)(rx - fwd), (unsigned long long)rx);
	printf("RESULT {\"name\": \"relay_cost\", \"metric\": \"packets per second per core, NIC "
	       "checksum offload\", \"unit\": \"Mpps\", \"bugle\": %.3f, \"peer_name\": \"rtpengine\", "
	       "\"peer\": null, \"peer_note\": \"needs the network: see relay_veth\", \"ratio\": null, "
	       "\"goal\": %.1f}\n", mpps_nic, GOAL_MPPS);
	printf("RESULT {\"name\": \"relay_cost_sw_csum\", \"metric\": \"packets per second per core, "
	       "software checksum\", \"unit\": \"Mpps\", \"bugle\": %.3f, \"peer_name\": \"rtpengine\", "
	       "\"peer\": null, \"peer_note\": \"needs the network: see relay_veth\", \"ratio\": null, "
	       "\"goal\": %.1f}\n", mpps_sw, GOAL_MPPS);
	relay_free(b.relay);
	net_neigh_flush(b.neigh);
	free(b.neigh);
	rte_mempool_free(b.pool);
	rte_eal_cleanup();
	return fwd == rx ? 0 : 1;
}
