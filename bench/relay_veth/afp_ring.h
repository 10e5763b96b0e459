/* PACKET_MMAP rings of rtp-streams: a TPACKET_V2 TX ring (PACKET_QDISC_BYPASS, frames written
 * in place, one send() per burst) and a TPACKET_V3 RX ring (blocks handed over by the kernel).
 * Return convention: open calls return 0 or -1 with errno set; the rest return counts or a
 * pointer (NULL: nothing free). Single-threaded: one thread owns a ring. */
#ifndef BUGLE_BENCH_AFP_RING_H
#define BUGLE_BENCH_AFP_RING_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

struct afp_tx {
	int fd;
	uint8_t *map;
	size_t map_len;
	unsigned frame_nr, frame_size, next;
	unsigned queued;		/* frames handed to the kernel since the last kick */
};

struct afp_rx {
	int fd;
	uint8_t *map;
	size_t map_len;
	unsigned block_nr, block_size, next;
};

/* Frames the kernel sent; the timestamp is the kernel's receive time (CLOCK_REALTIME). */
typedef void (*afp_rx_fn)(void *arg, const uint8_t *frame, uint32_t len,
			  const struct timespec *rx_time);

int afp_tx_open(struct afp_tx *t, int ifindex, unsigned frame_nr);
/* The data area of the next free frame (room for AFP_TX_MAX bytes), or NULL when the kernel
 * has not sent the frame that was there yet. */
uint8_t *afp_tx_slot(struct afp_tx *t);
#define AFP_TX_MAX 224
/* Hands the frame of the last afp_tx_slot (len bytes written) to the kernel. */
void afp_tx_commit(struct afp_tx *t, uint32_t len);
/* One send() for every committed frame; returns 0 or -1 (errno). */
int afp_tx_kick(struct afp_tx *t);
void afp_tx_close(struct afp_tx *t);

/* Every frame arriving on ifindex, not the ones sent from this host. */
int afp_rx_open(struct afp_rx *r, int ifindex, unsigned block_size, unsigned block_nr,
		unsigned retire_ms);
/* Calls fn for every frame of the blocks the kernel has handed over; returns the frames. */
unsigned afp_rx_drain(struct afp_rx *r, afp_rx_fn fn, void *arg);
/* Frames the kernel dropped because the ring was full, since the last call. */
uint64_t afp_rx_drops(struct afp_rx *r);
void afp_rx_close(struct afp_rx *r);

#endif
