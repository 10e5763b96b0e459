/* Header-name and method lookups: a perfect hash picks the one header name to compare, a
 * switch on the length the few method names. */
#include "sip_names.h"

#include <string.h>

const uint8_t sip_hdr_compact_form[128] = {
	['v'] = SIP_HDR_VIA,	      ['f'] = SIP_HDR_FROM,	    ['t'] = SIP_HDR_TO,
	['i'] = SIP_HDR_CALL_ID,      ['m'] = SIP_HDR_CONTACT,	    ['l'] = SIP_HDR_CONTENT_LENGTH,
	['c'] = SIP_HDR_CONTENT_TYPE, ['e'] = SIP_HDR_CONTENT_ENCODING, ['k'] = SIP_HDR_SUPPORTED,
	['s'] = SIP_HDR_SUBJECT,      ['o'] = SIP_HDR_EVENT,	    ['u'] = SIP_HDR_ALLOW_EVENTS,
	['r'] = SIP_HDR_REFER_TO,     ['b'] = SIP_HDR_REFERRED_BY,  ['x'] = SIP_HDR_SESSION_EXPIRES,
	['y'] = SIP_HDR_IDENTITY,
};

/* Long names, each in the slot sip_hdr_slot() gives for it; a unit test looks every name up in
 * both cases, so a slot out of step fails there. */
const struct sip_hdr_name sip_hdr_long_form[128] = {
	[6] = { "to", 2, SIP_HDR_TO },
	[11] = { "via", 3, SIP_HDR_VIA },
	[12] = { "path", 4, SIP_HDR_PATH },
	[13] = { "proxy-authorization", 19, SIP_HDR_PROXY_AUTHORIZATION },
	[17] = { "www-authenticate", 16, SIP_HDR_WWW_AUTHENTICATE },
	[18] = { "from", 4, SIP_HDR_FROM },
	[19] = { "server", 6, SIP_HDR_SERVER },
	[24] = { "min-expires", 11, SIP_HDR_MIN_EXPIRES },
	[26] = { "event", 5, SIP_HDR_EVENT },
	[27] = { "retry-after", 11, SIP_HDR_RETRY_AFTER },
	[31] = { "max-forwards", 12, SIP_HDR_MAX_FORWARDS },
	[34] = { "subject", 7, SIP_HDR_SUBJECT },
	[36] = { "expires", 7, SIP_HDR_EXPIRES },
	[47] = { "identity", 8, SIP_HDR_IDENTITY },
	[50] = { "call-id", 7, SIP_HDR_CALL_ID },
	[52] = { "unsupported", 11, SIP_HDR_UNSUPPORTED },
	[53] = { "accept", 6, SIP_HDR_ACCEPT },
	[55] = { "referred-by", 11, SIP_HDR_REFERRED_BY },
	[57] = { "p-asserted-identity", 19, SIP_HDR_P_ASSERTED_IDENTITY },
	[58] = { "allow", 5, SIP_HDR_ALLOW },
	[59] = { "timestamp", 9, SIP_HDR_TIMESTAMP },
	[60] = { "date", 4, SIP_HDR_DATE },
	[61] = { "route", 5, SIP_HDR_ROUTE },
	[63] = { "proxy-require", 13, SIP_HDR_PROXY_REQUIRE },
	[65] = { "organization", 12, SIP_HDR_ORGANIZATION },
	[75] = { "require", 7, SIP_HDR_REQUIRE },
	[78] = { "authorization", 13, SIP_HDR_AUTHORIZATION },
	[81] = { "cseq", 4, SIP_HDR_CSEQ },
	[86] = { "session-expires", 15, SIP_HDR_SESSION_EXPIRES },
	[89] = { "content-type", 12, SIP_HDR_CONTENT_TYPE },
	[90] = { "warning", 7, SIP_HDR_WARNING },
	[91] = { "allow-events", 12, SIP_HDR_ALLOW_EVENTS },
	[98] = { "proxy-authenticate", 18, SIP_HDR_PROXY_AUTHENTICATE },
	[101] = { "privacy", 7, SIP_HDR_PRIVACY },
	[104] = { "reason", 6, SIP_HDR_REASON },
	[109] = { "user-agent", 10, SIP_HDR_USER_AGENT },
	[110] = { "record-route", 12, SIP_HDR_RECORD_ROUTE },
	[112] = { "supported", 9, SIP_HDR_SUPPORTED },
	[114] = { "contact", 7, SIP_HDR_CONTACT },
	[115] = { "content-length", 14, SIP_HDR_CONTENT_LENGTH },
	[122] = { "refer-to", 8, SIP_HDR_REFER_TO },
	[125] = { "content-encoding", 16, SIP_HDR_CONTENT_ENCODING },
};

/* Exact ASCII case-insensitive equality with a lower-case literal: only the literal's letters
 * take the 0x20 bit, so unlike sip_tok_eq() this holds for any input bytes (a CR does not pass
 * for '-'). */
static inline uint64_t letter_bits(uint64_t lit)
{
	return (lit >> 1) & 0x2020202020202020ull; /* 0x20 where the byte is 0x40 and above */
}

int sip_hdr_name_eq(const char *s, const char *lit, uint32_t len)
{
	uint64_t a, b;

	if (len >= 8) {
		uint32_t i = 0;
		for (; i + 8 <= len; i += 8) {
			memcpy(&a, s + i, 8);
			memcpy(&b, lit + i, 8);
			if ((a | letter_bits(b)) != b)
				return 0;
		}
		if (i == len)
			return 1;
		memcpy(&a, s + len - 8, 8);
		memcpy(&b, lit + len - 8, 8);
		return (a | letter_bits(b)) == b;
	}
	if (len >= 4) {
		uint32_t x, y;
		memcpy(&x, s, 4);
		memcpy(&y, lit, 4);
		if ((x | (uint32_t)letter_bits(y)) != y)
			return 0;
		memcpy(&x, s + len - 4, 4);
		memcpy(&y, lit + len - 4, 4);
		return (x | (uint32_t)letter_bits(y)) == y;
	}
	for (uint32_t i = 0; i < len; i++) {
		unsigned char l = (unsigned char)lit[i];
		if (((unsigned char)s[i] | (l >= 0x40 ? 0x20 : 0)) != l)
			return 0;
	}
	return 1;
}

enum sip_hdr_id sip_hdr_lookup(const char *name, uint32_t len)
{
	if (len == 0)
		return SIP_HDR_OTHER;
	unsigned char c0 = (unsigned char)name[0];
	if (len == 1) {
		unsigned char l = c0 | 0x20;
		return l >= 'a' && l <= 'z' ? (enum sip_hdr_id)sip_hdr_compact_form[l]
					    : SIP_HDR_OTHER;
	}
	const struct sip_hdr_name *e =
		&sip_hdr_long_form[sip_hdr_slot(len, c0, (unsigned char)name[len - 1])];
	if (e->len != len || !sip_hdr_name_eq(name, e->s, len))
		return SIP_HDR_OTHER;
	return (enum sip_hdr_id)e->id;
}

#define METHOD(lit, id)                                                                            \
	do {                                                                                       \
		if (len == sizeof(lit) - 1 && memcmp(name, lit, sizeof(lit) - 1) == 0)             \
			return id;                                                                 \
	} while (0)

enum sip_method sip_method_lookup(const char *name, uint32_t len)
{
	switch (len) {
	case 3:
		METHOD("ACK", SIP_METHOD_ACK);
		METHOD("BYE", SIP_METHOD_BYE);
		break;
	case 4:
		METHOD("INFO", SIP_METHOD_INFO);
		break;
	case 5:
		METHOD("PRACK", SIP_METHOD_PRACK);
		METHOD("REFER", SIP_METHOD_REFER);
		break;
	case 6:
		METHOD("INVITE", SIP_METHOD_INVITE);
		METHOD("CANCEL", SIP_METHOD_CANCEL);
		METHOD("NOTIFY", SIP_METHOD_NOTIFY);
		METHOD("UPDATE", SIP_METHOD_UPDATE);
		break;
	case 7:
		METHOD("OPTIONS", SIP_METHOD_OPTIONS);
		METHOD("PUBLISH", SIP_METHOD_PUBLISH);
		METHOD("MESSAGE", SIP_METHOD_MESSAGE);
		break;
	case 8:
		METHOD("REGISTER", SIP_METHOD_REGISTER);
		break;
	case 9:
		METHOD("SUBSCRIBE", SIP_METHOD_SUBSCRIBE);
		break;
	default:
		break;
	}
	return SIP_METHOD_UNKNOWN;
}
