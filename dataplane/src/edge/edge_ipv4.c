/* IPv4 literals in SIP text (see edge_ipv4.h). */
#include "edge_ipv4.h"

#include <errno.h>
#include <string.h>

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

/* By hand: this runs for every datagram (the sender's address), where snprintf showed in
 * profiles. */
static size_t put_octet(char *p, uint32_t v)
{
	size_t n = 0;
	if (v >= 100)
		p[n++] = (char)('0' + v / 100);
	if (v >= 10)
		p[n++] = (char)('0' + v / 10 % 10);
	p[n++] = (char)('0' + v % 10);
	return n;
}

size_t edge_ipv4_format(uint32_t ip, char buf[EDGE_IPV4_TEXT])
{
	size_t n = 0;
	for (int shift = 24; shift >= 0; shift -= 8) {
		n += put_octet(buf + n, ip >> shift & 0xff);
		if (shift)
			buf[n++] = '.';
	}
	buf[n] = '\0';
	return n;
}

size_t edge_hostport(char buf[EDGE_HOSTPORT_TEXT], const char *host, size_t hlen, uint16_t port)
{
	char digits[5];
	size_t nd = 0;

	memcpy(buf, host, hlen);
	buf[hlen] = ':';
	do {
		digits[nd++] = (char)('0' + port % 10);
		port /= 10;
	} while (port);
	for (size_t i = 0; i < nd; i++)
		buf[hlen + 1 + i] = digits[nd - 1 - i];
	buf[hlen + 1 + nd] = '\0';
	return hlen + 1 + nd;
}

bool edge_ipv4_scan(const char *buf, size_t len, uint32_t net, uint32_t mask)
{
	/* Every digit is tried as the start of a quad, whatever precedes it, and an octet ends
	 * where it would pass 255 whatever follows: "1.198.51.100.2" or "198.51.100.2555" still
	 * show a reader the address, so they count. Stricter than an address parser on
	 * purpose: a false match drops one message, a miss leaks the topology.
	 * A quad's first octet is one to three digits ending at its first dot, so the only starts
	 * that can match are the digits in the three places before a dot: memchr finds the dots,
	 * which is far cheaper than trying every digit of the message. From such a start the
	 * first octet is all the digits up to the dot (more than 255 is no quad), so a first
	 * octet outside the net ends the try before the rest is read. */
	static const uint32_t weight[4] = { 0, 1, 10, 100 };
	const char *dot = len ? memchr(buf, '.', len) : NULL;
	while (dot) {
		size_t d = (size_t)(dot - buf);
		uint32_t first = 0;
		for (size_t back = 1; back <= 3 && back <= d && is_digit(buf[d - back]); back++) {
			size_t at = d - back;
			uint32_t ip;
			first += weight[back] * (uint32_t)(buf[at] - '0');
			if (first > 255 || ((first << 24 ^ net) & mask & 0xff000000u))
				continue;
			if (quad_at(buf + at, len - at, &ip) && (ip & mask) == (net & mask))
				return true;
		}
		dot = d + 1 < len ? memchr(dot + 1, '.', len - d - 1) : NULL;
	}
	return false;
}
