/* UDP validation and demux to registered handlers; UDP/IPv4 header building for output.
 * Return convention: 0 or a negative errno; input functions consume the mbuf.
 */
#ifndef BUGLE_NET_UDP_H
#define BUGLE_NET_UDP_H

#include "net_lcore-t.h"
#include "net_udp-t.h"

struct rte_mbuf;

void net_udp_demux_init(struct net_udp_demux *d);

/* Main lcore, before the workers start. -EINVAL for an empty range or no handler, -EEXIST
 * when the range overlaps one already registered for a common role, -ENOSPC when full. */
int net_udp_register(struct net_udp_demux *d, const struct net_udp_handler *h);

/* The handler for a datagram to dst_port on a port of role, or NULL. */
const struct net_udp_handler *net_udp_lookup(const struct net_udp_demux *d, enum net_role role,
					     uint16_t dst_port);

/* m: Ethernet + validated (or reassembled) IPv4 at l3_off, carrying UDP for iface. Checks the
 * length and the checksum when present (the NIC's GOOD/BAD flag when the port reports one,
 * else in software), then hands m to its handler. */
void net_udp_input(struct net_lcore *lc, uint16_t iface, struct rte_mbuf *m, uint16_t l3_off);

/* Prepend UDP, IPv4 and room for Ethernet to the payload that m holds, with both checksums.
 * -ENOSPC without headroom, -EMSGSIZE when the datagram would not fit in IPv4. */
int net_udp_prepend(struct rte_mbuf *m, rte_be32_t src, rte_be32_t dst, uint16_t src_port,
		    uint16_t dst_port, uint16_t packet_id);

#endif
