/* Port set-up and tear-down. Return convention: 0 or a negative errno (logged). */
#ifndef BUGLE_DP_PORT_H
#define BUGLE_DP_PORT_H

#include "dp_app-t.h"

/* Find the device of spec, configure n_rx RX queues and n_tx TX queues from pool, start it, take
 * its MAC, turn promiscuous mode off and log the link. The queue counts are adjusted to what the
 * PMD needs (af_packet: every queue pair must be polled) and written back to port. */
int dp_port_open(struct dp_port *port, const char *spec, unsigned workers,
		 struct rte_mempool *pool, struct rte_ether_addr *mac);

/* The RX offloads a port with capabilities capa (rte_eth_dev_info.rx_offload_capa) is
 * configured with: IPv4 and UDP checksum verification, each when offered. */
uint64_t dp_port_rx_offloads(uint64_t capa);

/* Stop and close; a port that never started is only closed. */
void dp_port_close(struct dp_port *port);

/* The socket of a port, or the caller's socket when the device does not say. */
int dp_port_socket(uint16_t port_id);

#endif
