/* Byte classes for the SIP scanners (internal to the parser): a table lookup, no return codes. */
#ifndef BUGLE_SIP_CHARS_H
#define BUGLE_SIP_CHARS_H

#include <stdint.h>

enum {
	SIP_CC_TOKEN = 1 << 0,	/* token (RFC 3261 25.1) */
	SIP_CC_WS = 1 << 1,	/* SP, HT and, inside an indexed value, the CR/LF of a fold */
	SIP_CC_DIGIT = 1 << 2,
	SIP_CC_ALPHA = 1 << 3,
	SIP_CC_HOST = 1 << 4,	/* hostname and IPv4 characters */
	SIP_CC_USER = 1 << 5,	/* unreserved, escaped and user-unreserved */
	SIP_CC_PASS = 1 << 6,	/* password characters */
	SIP_CC_PARAM = 1 << 7,	/* URI paramchar */
	SIP_CC_HNV = 1 << 8,	/* URI header name/value characters */
	SIP_CC_WORD = 1 << 9,	/* Call-ID word */
	SIP_CC_SCHEME = 1 << 10,
	SIP_CC_URIC = 1 << 11,	/* visible characters allowed in an opaque URI */
	SIP_CC_PARAMS = 1 << 12, /* a URI's params part: paramchar, ';' and '=' */
	SIP_CC_HEADERS = 1 << 13, /* a URI's headers part: hnv characters, '=' and '&' */
	SIP_CC_PVALUE = 1 << 14, /* unquoted header-param value: token, host, IPv6 reference */
};

/* Read-only after compile time; indexed by an unsigned byte. */
extern const uint16_t sip_cc[256];

static inline int sip_is(unsigned char c, unsigned cls)
{
	return (sip_cc[c] & cls) != 0;
}

#endif
