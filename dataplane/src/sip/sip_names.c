/* Header-name and method lookups: a switch on the length picks the few candidates to compare,
 * so the per-header cost stays a handful of byte compares. */
#include "sip_names.h"

#include <string.h>

#include "sip_lex.h"

static const uint8_t compact_form[128] = {
	['v'] = SIP_HDR_VIA,	      ['f'] = SIP_HDR_FROM,	    ['t'] = SIP_HDR_TO,
	['i'] = SIP_HDR_CALL_ID,      ['m'] = SIP_HDR_CONTACT,	    ['l'] = SIP_HDR_CONTENT_LENGTH,
	['c'] = SIP_HDR_CONTENT_TYPE, ['e'] = SIP_HDR_CONTENT_ENCODING, ['k'] = SIP_HDR_SUPPORTED,
	['s'] = SIP_HDR_SUBJECT,      ['o'] = SIP_HDR_EVENT,	    ['u'] = SIP_HDR_ALLOW_EVENTS,
	['r'] = SIP_HDR_REFER_TO,     ['b'] = SIP_HDR_REFERRED_BY,  ['x'] = SIP_HDR_SESSION_EXPIRES,
	['y'] = SIP_HDR_IDENTITY,
};

/* The first byte is compared alone first: most candidates of a length differ there. */
#define IS(lit, id)                                                                                \
	do {                                                                                       \
		if (c0 == (unsigned char)lit[0] && sip_tok_eq(name, len, lit, sizeof(lit) - 1))    \
			return id;                                                                 \
	} while (0)

enum sip_hdr_id sip_hdr_lookup(const char *name, uint32_t len)
{
	unsigned char c0;

	if (len == 0)
		return SIP_HDR_OTHER;
	c0 = (unsigned char)name[0] | 0x20;
	switch (len) {
	case 1:
		return (enum sip_hdr_id)compact_form[((unsigned char)name[0] | 0x20) & 0x7f];
	case 2:
		IS("to", SIP_HDR_TO);
		break;
	case 3:
		IS("via", SIP_HDR_VIA);
		break;
	case 4:
		IS("from", SIP_HDR_FROM);
		IS("cseq", SIP_HDR_CSEQ);
		IS("date", SIP_HDR_DATE);
		IS("path", SIP_HDR_PATH);
		break;
	case 5:
		IS("route", SIP_HDR_ROUTE);
		IS("allow", SIP_HDR_ALLOW);
		IS("event", SIP_HDR_EVENT);
		break;
	case 6:
		IS("accept", SIP_HDR_ACCEPT);
		IS("server", SIP_HDR_SERVER);
		IS("reason", SIP_HDR_REASON);
		break;
	case 7:
		IS("call-id", SIP_HDR_CALL_ID);
		IS("contact", SIP_HDR_CONTACT);
		IS("expires", SIP_HDR_EXPIRES);
		IS("require", SIP_HDR_REQUIRE);
		IS("subject", SIP_HDR_SUBJECT);
		IS("warning", SIP_HDR_WARNING);
		IS("privacy", SIP_HDR_PRIVACY);
		break;
	case 8:
		IS("refer-to", SIP_HDR_REFER_TO);
		IS("identity", SIP_HDR_IDENTITY);
		break;
	case 9:
		IS("supported", SIP_HDR_SUPPORTED);
		IS("timestamp", SIP_HDR_TIMESTAMP);
		break;
	case 10:
		IS("user-agent", SIP_HDR_USER_AGENT);
		break;
	case 11:
		IS("unsupported", SIP_HDR_UNSUPPORTED);
		IS("retry-after", SIP_HDR_RETRY_AFTER);
		IS("referred-by", SIP_HDR_REFERRED_BY);
		IS("min-expires", SIP_HDR_MIN_EXPIRES);
		break;
	case 12:
		IS("max-forwards", SIP_HDR_MAX_FORWARDS);
		IS("content-type", SIP_HDR_CONTENT_TYPE);
		IS("record-route", SIP_HDR_RECORD_ROUTE);
		IS("allow-events", SIP_HDR_ALLOW_EVENTS);
		IS("organization", SIP_HDR_ORGANIZATION);
		break;
	case 13:
		IS("authorization", SIP_HDR_AUTHORIZATION);
		IS("proxy-require", SIP_HDR_PROXY_REQUIRE);
		break;
	case 14:
		IS("content-length", SIP_HDR_CONTENT_LENGTH);
		break;
	case 15:
		IS("session-expires", SIP_HDR_SESSION_EXPIRES);
		break;
	case 16:
		IS("www-authenticate", SIP_HDR_WWW_AUTHENTICATE);
		IS("content-encoding", SIP_HDR_CONTENT_ENCODING);
		break;
	case 18:
		IS("proxy-authenticate", SIP_HDR_PROXY_AUTHENTICATE);
		break;
	case 19:
		IS("proxy-authorization", SIP_HDR_PROXY_AUTHORIZATION);
		IS("p-asserted-identity", SIP_HDR_P_ASSERTED_IDENTITY);
		break;
	default:
		break;
	}
	return SIP_HDR_OTHER;
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
