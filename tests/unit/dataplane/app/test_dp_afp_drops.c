/* dp_afp_drops on real kernel sockets, without DPDK: a TPACKET_V2 socket with a ring of a few
 * frames bound to "lo" stands in for the PMD's, UDP datagrams to 127.0.0.1 overflow its ring
 * (nothing reads it), and the module must find that socket among the process's descriptors and
 * report its drops. AF_PACKET sockets need root (CAP_NET_RAW): without it the test fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "dp_afp_drops.h"

#define RING_FRAMES 4
#define FRAME_SIZE 2048
#define BLOCK_SIZE 4096
#define BURST 200			/* datagrams: far more than the ring holds */

/* An AF_PACKET socket with a TPACKET_V2 RX ring of RING_FRAMES frames, bound to ifindex
 * (0: every interface). */
static int ring_socket(int ifindex)
{
	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (fd < 0)
		fail_msg("socket(AF_PACKET): %s: this test needs root (CAP_NET_RAW)",
			 strerror(errno));
	int version = TPACKET_V2;
	assert_int_equal(setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)), 0);
	struct tpacket_req req = { .tp_block_size = BLOCK_SIZE,
				   .tp_block_nr = RING_FRAMES * FRAME_SIZE / BLOCK_SIZE,
				   .tp_frame_size = FRAME_SIZE,
				   .tp_frame_nr = RING_FRAMES };
	assert_int_equal(setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)), 0);
	if (ifindex > 0) {
		struct sockaddr_ll sll = { .sll_family = AF_PACKET,
					   .sll_protocol = htons(ETH_P_ALL),
					   .sll_ifindex = ifindex };
		assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	}
	return fd;
}

/* BURST datagrams to a UDP socket of our own on 127.0.0.1 that never reads them. */
static void udp_burst(int rx)
{
	struct sockaddr_in to;
	socklen_t len = sizeof(to);
	assert_int_equal(getsockname(rx, (struct sockaddr *)&to, &len), 0);
	int tx = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(tx >= 0);
	char payload[256];
	memset(payload, 'x', sizeof(payload));
	for (int i = 0; i < BURST; i++)
		assert_int_equal(sendto(tx, payload, sizeof(payload), 0, (struct sockaddr *)&to,
					sizeof(to)), (ssize_t)sizeof(payload));
	close(tx);
}

static int udp_receiver(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static uint64_t socket_drops(int fd)
{
	struct tpacket_stats st;
	socklen_t len = sizeof(st);
	assert_int_equal(getsockopt(fd, SOL_PACKET, PACKET_STATISTICS, &st, &len), 0);
	return st.tp_drops;
}

static bool found(const struct dp_afp_drops *d, int fd)
{
	for (unsigned i = 0; i < d->n_fds; i++)
		if (d->fds[i] == fd)
			return true;
	return false;
}

static void test_lo_ring_drops_found_and_accumulated(void **state)
{
	(void)state;
	if (geteuid() != 0)
		fail_msg("needs root for AF_PACKET sockets: run the unit tests as root");
	int lo = (int)if_nametoindex("lo");
	assert_true(lo > 0);
	int on_lo = ring_socket(lo);
	/* Not bound to an interface (ifindex 0): it sees lo's frames too and overflows as well,
	 * but it is not lo's socket and must not be counted. */
	int everywhere = ring_socket(0);
	int rx = udp_receiver();

	struct dp_afp_drops d;
	assert_int_equal(dp_afp_drops_attach(&d, lo), 1);
	assert_true(found(&d, on_lo));
	assert_false(found(&d, everywhere));
	assert_false(found(&d, rx));

	udp_burst(rx);
	uint64_t first = dp_afp_drops_read(&d);
	assert_true(first > 0);

	udp_burst(rx);
	uint64_t second = dp_afp_drops_read(&d);
	assert_true(second > first);	/* the kernel's figure resets on each read; ours adds */
	assert_true(dp_afp_drops_read(&d) >= second);
	assert_int_equal(atomic_load(&d.read_errors), 0);

	/* The other socket did overflow: it was there to be wrongly counted. */
	assert_true(socket_drops(everywhere) > 0);

	dp_afp_drops_detach(&d);
	assert_int_equal(d.n_fds, 0);
	assert_true(dp_afp_drops_read(&d) >= second);
	close(rx);
	close(everywhere);
	close(on_lo);
}

static void test_no_socket_on_other_ifindex(void **state)
{
	(void)state;
	if (geteuid() != 0)
		fail_msg("needs root for AF_PACKET sockets: run the unit tests as root");
	int lo = (int)if_nametoindex("lo");
	int on_lo = ring_socket(lo);
	struct dp_afp_drops d;
	/* An index no interface has: nothing is bound there, lo's socket included. */
	assert_int_equal(dp_afp_drops_attach(&d, 0x7ffffff0), 0);
	assert_int_equal(dp_afp_drops_read(&d), 0);
	assert_int_equal(dp_afp_drops_attach(&d, 0), -EINVAL);
	assert_int_equal(dp_afp_drops_attach(&d, -1), -EINVAL);
	close(on_lo);
}

static void test_spec_iface(void **state)
{
	(void)state;
	char name[IF_NAMESIZE];
	assert_int_equal(dp_afp_spec_iface("net_af_packet0,iface=bgl-pub0", name, sizeof(name)), 0);
	assert_string_equal(name, "bgl-pub0");
	assert_int_equal(dp_afp_spec_iface("net_af_packet0,qpairs=2,iface=eth1,framecnt=64", name,
					   sizeof(name)), 0);
	assert_string_equal(name, "eth1");
	assert_int_equal(dp_afp_spec_iface("net_af_packet0,xiface=eth1", name, sizeof(name)),
			 -ENOENT);
	assert_int_equal(dp_afp_spec_iface("net_af_packet0,iface=,qpairs=2", name, sizeof(name)),
			 -ENOENT);
	assert_int_equal(dp_afp_spec_iface("net_af_packet0", name, sizeof(name)), -ENOENT);
	assert_int_equal(dp_afp_spec_iface("iface=eth1", name, sizeof(name)), -ENOENT);
	assert_int_equal(dp_afp_spec_iface("net_af_packet0,iface=a-name-too-long-for-it", name,
					   sizeof(name)), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lo_ring_drops_found_and_accumulated),
		cmocka_unit_test(test_no_socket_on_other_ifindex),
		cmocka_unit_test(test_spec_iface),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
