/* Kernel RX ring drops of an af_packet port, which the PMD's rte_eth_stats.imissed does not
 * carry. The sockets are the PMD's own, found among this process's descriptors by the interface
 * they are bound to. No DPDK here: the port code passes the interface index.
 * Return conventions: attach returns how many sockets it found or a negative errno, read the
 * running total, the rest 0 or a negative errno. */
#ifndef BUGLE_DP_AFP_DROPS_H
#define BUGLE_DP_AFP_DROPS_H

#include <stddef.h>
#include <stdint.h>

#include "dp_afp_drops-t.h"

/* Find every AF_PACKET socket in /proc/self/fd bound to ifindex and keep its descriptor.
 * -EINVAL for an ifindex <= 0, -E2BIG when more than DP_AFP_MAX_SOCKETS match. */
int dp_afp_drops_attach(struct dp_afp_drops *d, int ifindex);

/* Add what the kernel counted since the last read (PACKET_STATISTICS, which resets it) to the
 * total and return the total. A failed read counts in read_errors and adds nothing. */
uint64_t dp_afp_drops_read(struct dp_afp_drops *d);

/* Forget the descriptors (before the PMD closes them); the total stays readable. */
void dp_afp_drops_detach(struct dp_afp_drops *d);

/* The interface name of an af_packet vdev spec: the value of its "iface=" argument
 * ("net_af_packet0,iface=eth1,framecnt=64" gives "eth1"). -ENOENT without one, -ENAMETOOLONG
 * when it does not fit in cap. */
int dp_afp_spec_iface(const char *spec, char *name, size_t cap);

#endif
