/* A UDP echo service (RFC 862) on a configurable port: a health probe for operators and the
 * end-to-end check of the whole output path (UDP build, neighbour lookup, ARP resolution on the
 * main lcore). Return convention: 0 or a negative errno.
 */
#ifndef BUGLE_DP_UDP_ECHO_H
#define BUGLE_DP_UDP_ECHO_H

#include <stdint.h>

#include "net_udp-t.h"

/* Register the echo handler on port (both roles). */
int dp_udp_echo_register(struct net_udp_demux *demux, uint16_t port);

#endif
