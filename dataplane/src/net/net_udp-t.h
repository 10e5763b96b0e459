/* UDP demux: a registration table keyed by (port role, destination port range) -> handler.
 * Types only. Filled on the main lcore before the workers launch; read-only afterwards.
 */
#ifndef BUGLE_NET_UDP_T_H
#define BUGLE_NET_UDP_T_H

#include <stdint.h>

#include <rte_byteorder.h>

struct rte_mbuf;
struct net_lcore;

#define NET_UDP_MAX_HANDLERS 16

/* A UDP datagram that passed validation, as handed to its handler. */
struct net_udp_pkt {
	uint16_t iface;			/* index into the lcore's iface array */
	rte_be32_t src_ip, dst_ip;	/* network order */
	uint16_t src_port, dst_port;	/* host order */
	uint16_t l3_off;		/* IPv4 header offset in the (possibly chained) mbuf */
	uint16_t l4_off;		/* UDP header offset */
	uint16_t payload_len;		/* UDP payload bytes, starting at l4_off + 8 */
};

/* Runs on a worker lcore; takes ownership of m (sends, keeps or frees it). */
typedef void (*net_udp_handler_fn)(struct net_lcore *lc, struct rte_mbuf *m,
				   const struct net_udp_pkt *pkt, void *arg);

struct net_udp_handler {
	const char *name;		/* e.g. "sip", "rtp" */
	uint32_t role_mask;		/* NET_ROLE_MASK(NET_ROLE_PUBLIC) | ... */
	uint16_t port_lo, port_hi;	/* inclusive destination port range, host order */
	net_udp_handler_fn fn;
	void *arg;
};

struct net_udp_demux {
	unsigned n;
	struct net_udp_handler h[NET_UDP_MAX_HANDLERS];
};

#endif
