/* The L2/L3 receive path of one lcore: classify each frame and pass it on to ARP, ICMP or the
 * UDP handlers. Return convention: functions consume the mbufs; nothing is returned.
 */
#ifndef BUGLE_NET_RX_H
#define BUGLE_NET_RX_H

#include <stdint.h>

#include "net_lcore-t.h"

struct rte_mbuf;

/* Handle n frames received on iface at now_tsc (used for fragment ageing). */
void net_rx_burst(struct net_lcore *lc, uint16_t iface, struct rte_mbuf **pkts, uint16_t n,
		  uint64_t now_tsc);

#endif
