/* ICMP echo on the fast path. Return convention: functions consume the mbuf; nothing returned. */
#ifndef BUGLE_NET_ICMP_H
#define BUGLE_NET_ICMP_H

#include "net_lcore-t.h"

struct rte_mbuf;

/* m: Ethernet + validated IPv4 header at l3_off, ICMP after it, addressed to iface. Echo
 * requests are answered in place on this lcore's TX queue; everything else is counted and
 * dropped (the data plane has no other use for ICMP). */
void net_icmp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m, uint16_t l3_off);

#endif
