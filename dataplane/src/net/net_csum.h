/* Internet checksum (RFC 1071) over whole datagrams on the receive path.
 * Return convention: sums and verdicts, never errors.
 */
#ifndef BUGLE_NET_CSUM_H
#define BUGLE_NET_CSUM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rte_ipv4_hdr;

/* The same value as DPDK's rte_raw_cksum(buf, len) (folded, not complemented). */
uint16_t net_csum_raw(const void *buf, size_t len);

/* True when the UDP (or TCP) checksum of the l4_len contiguous bytes at l4 is right for ip's
 * pseudo-header, as rte_ipv4_udptcp_cksum_verify() decides it. */
bool net_csum_ipv4_l4_ok(const struct rte_ipv4_hdr *ip, const void *l4, uint16_t l4_len);

#endif
