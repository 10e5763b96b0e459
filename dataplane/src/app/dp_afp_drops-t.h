/* Frames the kernel dropped on an af_packet port because a PACKET_MMAP RX ring was full.
 * Types only; the functions are in dp_afp_drops.h.
 *
 * Ownership: fds, n_fds and ifindex are written by dp_afp_drops_attach on the main lcore before
 * the stats can be read and are read-only afterwards. total only grows, by atomic additions, so
 * any thread may read (and so add to) it: each read of the kernel's figures resets them, which
 * hands every reader its own share, never the same drops twice. */
#ifndef BUGLE_DP_AFP_DROPS_T_H
#define BUGLE_DP_AFP_DROPS_T_H

#include <stdatomic.h>
#include <stdint.h>

/* af_packet opens one socket per queue pair (carrying both its RX and its TX ring): a port has
 * at most as many as it has queue pairs. */
#define DP_AFP_MAX_SOCKETS 32

struct dp_afp_drops {
	int ifindex;				/* RO after attach */
	unsigned n_fds;				/* RO after attach */
	int fds[DP_AFP_MAX_SOCKETS];		/* the PMD's sockets on ifindex; RO after attach */
	_Atomic uint64_t total;			/* tp_drops summed over every read */
	_Atomic uint64_t read_errors;		/* PACKET_STATISTICS reads that failed */
};

#endif
