/* PACKET_MMAP rings of rtp-streams (see afp_ring.h). The frame status words are shared with
 * the kernel: read with acquire, written with release, as the kernel's packet_mmap.rst asks
 * (smp_rmb/smp_wmb around tp_status). */
#define _GNU_SOURCE
#include "afp_ring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#define TX_FRAME_SIZE 256	/* tpacket2_hdr (32) + up to AFP_TX_MAX bytes */
#define TX_BLOCK_SIZE 4096
#define RX_FRAME_SIZE 2048	/* only for the V3 ring's bookkeeping; frames are packed */

static uint8_t *tx_frame(const struct afp_tx *t, unsigned i)
{
	return t->map + (size_t)i * t->frame_size;
}

int afp_tx_open(struct afp_tx *t, int ifindex, unsigned frame_nr)
{
	memset(t, 0, sizeof(*t));
	/* Protocol 0, in socket() and in bind(): this socket receives nothing. Bound to a protocol
	 * it would get a copy of every frame arriving on the interface, queued until its buffer
	 * is full and then dropped, all on the generator's CPU; the kernel takes each frame's
	 * protocol from its Ethernet header. */
	t->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (t->fd < 0)
		return -1;
	int v = TPACKET_V2, one = 1;
	unsigned per_block = TX_BLOCK_SIZE / TX_FRAME_SIZE;
	frame_nr = (frame_nr + per_block - 1) / per_block * per_block;
	struct tpacket_req req = { .tp_block_size = TX_BLOCK_SIZE,
				   .tp_block_nr = frame_nr / per_block,
				   .tp_frame_size = TX_FRAME_SIZE, .tp_frame_nr = frame_nr };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = 0, .sll_ifindex = ifindex };
	/* The qdisc adds nothing on a veth but a lock and a queue: frames go straight to the
	 * driver, as the af_packet PMD's do. PACKET_LOSS: a frame the kernel refuses is skipped
	 * rather than stopping the ring. */
	if (setsockopt(t->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) != 0 ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) != 0 ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_LOSS, &one, sizeof(one)) != 0 ||
	    setsockopt(t->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof(req)) != 0)
		goto fail;
	t->frame_nr = frame_nr;
	t->frame_size = TX_FRAME_SIZE;
	t->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
	t->map = mmap(NULL, t->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, t->fd, 0);
	if (t->map == MAP_FAILED) {
		t->map = NULL;
		goto fail;
	}
	if (bind(t->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	afp_tx_close(t);
	errno = e;
	return -1;
}

uint8_t *afp_tx_slot(struct afp_tx *t)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)tx_frame(t, t->next);
	/* acquire: the kernel is done with the frame's data once it says AVAILABLE. */
	uint32_t st = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
	if (st != TP_STATUS_AVAILABLE && st != TP_STATUS_WRONG_FORMAT)
		return NULL;
	return (uint8_t *)h + TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
}

void afp_tx_commit(struct afp_tx *t, uint32_t len)
{
	struct tpacket2_hdr *h = (struct tpacket2_hdr *)tx_frame(t, t->next);
	h->tp_len = len;
	/* release: the kernel that sees SEND_REQUEST sees the frame written. */
	__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
	t->next = t->next + 1 == t->frame_nr ? 0 : t->next + 1;
	t->queued++;
}

int afp_tx_kick(struct afp_tx *t)
{
	if (!t->queued)
		return 0;
	t->queued = 0;
	/* MSG_DONTWAIT: the kernel sends every requested frame now and does not wait for their
	 * skbs to be freed (their frames turn AVAILABLE then). */
	if (send(t->fd, NULL, 0, MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != ENOBUFS)
		return -1;
	return 0;
}

void afp_tx_close(struct afp_tx *t)
{
	if (t->map)
		munmap(t->map, t->map_len);
	if (t->fd >= 0)
		close(t->fd);
	t->map = NULL;
	t->fd = -1;
}

int afp_rx_open(struct afp_rx *r, int ifindex, unsigned block_size, unsigned block_nr,
		unsigned retire_ms)
{
	memset(r, 0, sizeof(*r));
	/* ETH_P_ALL: the socket is a tap, served before the ingress qdisc, so a tc rule that
	 * drops the streams before the kernel's UDP stack leaves this copy alone. */
	r->fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (r->fd < 0)
		return -1;
	int v = TPACKET_V3, one = 1;
	struct tpacket_req3 req = { .tp_block_size = block_size, .tp_block_nr = block_nr,
				    .tp_frame_size = RX_FRAME_SIZE,
				    .tp_frame_nr = block_size / RX_FRAME_SIZE * block_nr,
				    .tp_retire_blk_tov = retire_ms };
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	if (setsockopt(r->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof(v)) != 0 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) != 0 ||
	    setsockopt(r->fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) != 0)
		goto fail;
	r->block_nr = block_nr;
	r->block_size = block_size;
	r->map_len = (size_t)block_size * block_nr;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, 0);
	if (r->map == MAP_FAILED) {
		r->map = NULL;
		goto fail;
	}
	if (bind(r->fd, (struct sockaddr *)&sll, sizeof(sll)) != 0)
		goto fail;
	return 0;
fail:;
	int e = errno;
	afp_rx_close(r);
	errno = e;
	return -1;
}

unsigned afp_rx_drain(struct afp_rx *r, afp_rx_fn fn, void *arg)
{
	unsigned frames = 0;
	for (unsigned b = 0; b < r->block_nr; b++) {
		struct tpacket_block_desc *bd =
			(struct tpacket_block_desc *)(r->map + (size_t)r->next * r->block_size);
		/* acquire: the block's frames are complete once the kernel hands it over. */
		if (!(__atomic_load_n(&bd->hdr.bh1.block_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		const uint8_t *p = (const uint8_t *)bd + bd->hdr.bh1.offset_to_first_pkt;
		for (uint32_t i = 0; i < bd->hdr.bh1.num_pkts; i++) {
			const struct tpacket3_hdr *h = (const struct tpacket3_hdr *)p;
			struct timespec ts = { .tv_sec = h->tp_sec, .tv_nsec = h->tp_nsec };
			fn(arg, (const uint8_t *)h + h->tp_mac, h->tp_snaplen, &ts);
			p += h->tp_next_offset;
		}
		frames += bd->hdr.bh1.num_pkts;
		/* release: the kernel reuses the block only after we are done reading it. */
		__atomic_store_n(&bd->hdr.bh1.block_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
		r->next = r->next + 1 == r->block_nr ? 0 : r->next + 1;
	}
	return frames;
}

uint64_t afp_rx_drops(struct afp_rx *r)
{
	struct tpacket_stats_v3 st;
	socklen_t len = sizeof(st);
	if (getsockopt(r->fd, SOL_PACKET, PACKET_STATISTICS, &st, &len) != 0)
		return 0;
	return st.tp_drops;
}

void afp_rx_close(struct afp_rx *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	if (r->fd >= 0)
		close(r->fd);
	r->map = NULL;
	r->fd = -1;
}
