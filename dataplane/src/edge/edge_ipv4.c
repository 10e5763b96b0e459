/* IPv4 literals in SIP text (see edge_ipv4.h). */
#include "edge_ipv4.h"

#include <errno.h>
#include <stdio.h>

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* One dotted quad at s[0..len): returns the bytes consumed (0 when none) and *ip. */
static size_t quad_at(const char *s, size_t len, uint32_t *ip)
{
	size_t i = 0;
	uint32_t v = 0;

	for (int part = 0; part < 4; part++) {
		if (part) {
			if (i >= len || s[i] != '.')
				return 0;
			i++;
		}
		/* The longest run of up to three digits that is still an octet: "100.790" reads
		 * as 100.79 followed by a '0', so the scan sees the address a reader sees. */
		size_t start = i;
		uint32_t octet = 0;
		while (i < len && is_digit(s[i]) && i - start < 3 &&
		       octet * 10 + (uint32_t)(s[i] - '0') <= 255)
			octet = octet * 10 + (uint32_t)(s[i++] - '0');
		if (i == start)
			return 0;
		v = v << 8 | octet;
	}
	*ip = v;
	return i;
}

int edge_ipv4_parse(const char *s, size_t len, uint32_t *ip)
{
	/* quad_at() returns 0 for "no quad": an empty slice must not pass as one. */
	if (!s || len == 0 || quad_at(s, len, ip) != len)
		return -EINVAL;
	return 0;
}

size_t edge_ipv4_format(uint32_t ip, char buf[EDGE_IPV4_TEXT])
{
	int n = snprintf(buf, EDGE_IPV4_TEXT, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
			 (ip >> 8) & 0xff, ip & 0xff);
	return n > 0 ? (size_t)n : 0;
}

bool edge_ipv4_scan(const char *buf, size_t len, uint32_t net, uint32_t mask)
{
	/* Every digit is tried as the start of a quad, whatever precedes it, and an octet ends
	 * where it would pass 255 whatever follows: "1.198.51.100.2" or "198.51.100.2555" still
	 * show a reader the address, so they count. Stricter than an address parser on
	 * purpose: a false match drops one message, a miss leaks the topology. */
	for (size_t i = 0; i < len; i++) {
		uint32_t ip;
		if (is_digit(buf[i]) && quad_at(buf + i, len - i, &ip) && (ip & mask) == (net & mask))
			return true;
	}
	return false;
}
