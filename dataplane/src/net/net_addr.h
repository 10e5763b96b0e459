/* IPv4 address text parsing for settings ("192.0.2.1/24", "192.0.2.254", "127.0.0.1:7010").
 * Return convention: 0 or a negative errno (-EINVAL on bad text).
 */
#ifndef BUGLE_NET_ADDR_H
#define BUGLE_NET_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include <rte_byteorder.h>

/* "a.b.c.d" to a network-order address. */
int net_ipv4_parse(const char *text, rte_be32_t *addr);

/* "a.b.c.d/len" (len 1..32; "/len" required) to address and network-order mask. */
int net_ipv4_parse_cidr(const char *text, rte_be32_t *addr, rte_be32_t *netmask);

/* Network-order address to dotted text; buf of at least 16 bytes. */
void net_ipv4_format(rte_be32_t addr, char *buf, size_t len);

#endif
