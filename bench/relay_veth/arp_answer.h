/* rtp-streams answering ARP for its own addresses with a MAC the kernel does not own: the
 * relay's packets back then reach the generator's kernel addressed to another host, and it drops
 * them before its IP input, while the RX ring still reads them (see rtp_streams.c, --mac). */
#ifndef BUGLE_BENCH_ARP_ANSWER_H
#define BUGLE_BENCH_ARP_ANSWER_H

#include <stdbool.h>
#include <stdint.h>

#define ARP_FRAME_LEN 42	/* Ethernet + ARP for IPv4, no padding */

/* When frame f is an ARP request for one of the n addresses ips (network order): writes the
 * reply claiming that address for mac into out (ARP_FRAME_LEN bytes) and returns true. */
bool arp_answer(const uint8_t *f, uint32_t len, const uint32_t *ips, unsigned n,
		const uint8_t mac[6], uint8_t *out);

/* "aa:bb:cc:dd:ee:ff": 0 and mac, or -1. */
int arp_parse_mac(const char *text, uint8_t mac[6]);

#endif
