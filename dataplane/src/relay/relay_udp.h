/* The relay on the packet path: a bugle_dp_net UDP handler for the public role and the RTP
 * port range. Return convention: 0 or a negative errno (from net_udp_register).
 */
#ifndef BUGLE_RELAY_UDP_H
#define BUGLE_RELAY_UDP_H

#include "net_udp-t.h"
#include "relay-t.h"

/* Main lcore, before the workers launch. */
int relay_udp_register(struct relay *r, struct net_udp_demux *demux);

/* The handler itself (exported for benchmarks and tests that drive it directly). */
void relay_udp_handler(struct net_lcore *lc, struct rte_mbuf *m, const struct net_udp_pkt *pkt,
		       void *arg);

#endif
