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

/* Sends packets the main lcore generated (relay_media_tick's relay_media_io.send, arg a
 * struct relay_udp_sender) from the given lcore's pool out of the public interface. */
struct relay_udp_sender {
	struct relay *r;
	struct net_lcore *lc;
	uint16_t iface;
};
void relay_udp_send_generated(void *arg, const struct relay_fwd *fwd, const uint8_t *pkt,
			      uint16_t len);

#endif
