/* IPv4 input validation and header building for output.
 * Return convention: 0 or a negative errno; the check functions name the drop counter in *why.
 */
#ifndef BUGLE_NET_IPV4_H
#define BUGLE_NET_IPV4_H

#include <stdint.h>

#include "net_counters-t.h"
#include "net_iface-t.h"

struct rte_mbuf;

/* Check the IPv4 header at l3_off of m for a packet to ifc: version, header length (options
 * are refused: nothing we serve needs them), total length against the frame (Ethernet padding is
 * trimmed off), header checksum, TTL, source and destination. -EINVAL with *why set on failure. */
int net_ipv4_check(const struct net_iface *ifc, struct rte_mbuf *m, uint16_t l3_off,
		   enum net_counter_id *why);

/* Fill the 20-byte IPv4 header at ip (no options, DF clear, TTL 64) with its checksum. */
void net_ipv4_fill(void *ip, rte_be32_t src, rte_be32_t dst, uint8_t proto, uint16_t total_len,
		   uint16_t packet_id);

#endif
