/* IPv4 literals as SIP writes them (host order here). Parsing returns 0 or -EINVAL; formatting
 * returns the length written; the leak scan returns true when it finds a match. */
#ifndef BUGLE_EDGE_IPV4_H
#define BUGLE_EDGE_IPV4_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip-t.h"

#define EDGE_IPV4_TEXT 16

/* Exactly "a.b.c.d" over the whole slice. */
int edge_ipv4_parse(const char *s, size_t len, uint32_t *ip);
/* NUL-terminated dotted text into buf (EDGE_IPV4_TEXT bytes). */
size_t edge_ipv4_format(uint32_t ip, char buf[EDGE_IPV4_TEXT]);

#define EDGE_HOSTPORT_TEXT (EDGE_IPV4_TEXT + 6)
/* "host:port", NUL-terminated, into buf (EDGE_HOSTPORT_TEXT bytes); host: a formatted address
 * of hlen < EDGE_IPV4_TEXT bytes. Returns the length written. */
size_t edge_hostport(char buf[EDGE_HOSTPORT_TEXT], const char *host, size_t hlen, uint16_t port);

/* Whether any dotted quad in buf, starting at any digit, falls in net/mask: the last check
 * before a message goes to the public side, whatever header or body the address hides in. */
bool edge_ipv4_scan(const char *buf, size_t len, uint32_t net, uint32_t mask);

#endif
