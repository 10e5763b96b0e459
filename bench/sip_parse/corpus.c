/* Corpus of the parse benchmark (see corpus.h): an INVITE with SDP and credentials from a desk
 * phone, a REGISTER with digest credentials from a softphone, the 200 OK answering the INVITE
 * and the BYE that ends the call. */
#include "corpus.h"

static const char invite_sdp[] =
	"INVITE sip:+442071838750@voip.example.net SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.34:5060;branch=z9hG4bK1623519186;rport\r\n"
	"From: \"Reception\" <sip:1001@voip.example.net>;tag=1738426421\r\n"
	"To: <sip:+442071838750@voip.example.net>\r\n"
	"Call-ID: 1935848735-5060-1@BJC.BGI.B.BBF\r\n"
	"CSeq: 2 INVITE\r\n"
	"Contact: <sip:1001@192.168.1.34:5060>\r\n"
	"Authorization: Digest username=\"1001\", realm=\"voip.example.net\", nonce=\"5f3c1a2b9e8d7c6b\", uri=\"sip:+442071838750@voip.example.net\", response=\"b7d4e5c0f1a2938475665748392a1b0c\", algorithm=MD5\r\n"
	"Content-Type: application/sdp\r\n"
	"Allow: INVITE, INFO, PRACK, ACK, BYE, CANCEL, OPTIONS, NOTIFY, REGISTER, SUBSCRIBE, REFER, PUBLISH, UPDATE, MESSAGE\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: Yealink SIP-T46S 66.86.0.15\r\n"
	"Allow-Events: talk,hold,conference,refer,check-sync\r\n"
	"Supported: replaces, timer\r\n"
	"Content-Length: 302\r\n"
	"\r\n"
	"v=0\r\n"
	"o=- 20518 0 IN IP4 203.0.113.21\r\n"
	"s=SDP data\r\n"
	"c=IN IP4 203.0.113.21\r\n"
	"t=0 0\r\n"
	"m=audio 11796 RTP/AVP 0 8 18 9 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:8 PCMA/8000\r\n"
	"a=rtpmap:18 G729/8000\r\n"
	"a=fmtp:18 annexb=no\r\n"
	"a=rtpmap:9 G722/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-15\r\n"
	"a=ptime:20\r\n"
	"a=sendrecv\r\n";

static const char register_auth[] =
	"REGISTER sip:voip.example.net SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bK-524287-1---8e1f3a9c2b7d4e60;rport\r\n"
	"Max-Forwards: 70\r\n"
	"Contact: <sip:2002@198.51.100.77:5060;rinstance=6f8dc969b62d1466;transport=UDP>;expires=3600\r\n"
	"To: <sip:2002@voip.example.net>\r\n"
	"From: <sip:2002@voip.example.net>;tag=8b6ca4f2\r\n"
	"Call-ID: ZTM1NWE0YjQ1ZDM4ZDE3YzEzNmY0ZmEwNDk5ZTg1Mjk\r\n"
	"CSeq: 2 REGISTER\r\n"
	"Expires: 3600\r\n"
	"Allow: INVITE, ACK, CANCEL, BYE, NOTIFY, REFER, MESSAGE, OPTIONS, INFO, SUBSCRIBE\r\n"
	"Supported: replaces, norefersub, extended-refer, timer, outbound, path, X-cisco-serviceuri\r\n"
	"User-Agent: Zoiper rv2.10.19.5\r\n"
	"Authorization: Digest username=\"2002\",realm=\"voip.example.net\",nonce=\"YzQ2ZmE5NjYtOGM3Ny00\",uri=\"sip:voip.example.net\",response=\"9c2f0e0b87a24c7bfa3c1d5e6f708192\",cnonce=\"a1b2c3d4e5f60718\",nc=00000001,qop=auth,algorithm=MD5\r\n"
	"Allow-Events: presence, kpml, talk\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

static const char ok_200_invite[] =
	"SIP/2.0 200 OK\r\n"
	"Via: SIP/2.0/UDP 192.168.1.34:5060;branch=z9hG4bK1623519186;rport=5060;received=203.0.113.21\r\n"
	"Record-Route: <sip:198.51.100.1;lr;ftag=1738426421>\r\n"
	"From: \"Reception\" <sip:1001@voip.example.net>;tag=1738426421\r\n"
	"To: <sip:+442071838750@voip.example.net>;tag=Hj4Qc7a1v0eKQ\r\n"
	"Call-ID: 1935848735-5060-1@BJC.BGI.B.BBF\r\n"
	"CSeq: 2 INVITE\r\n"
	"Contact: <sip:+442071838750@198.51.100.10:5080;transport=udp>\r\n"
	"User-Agent: FreeSWITCH\r\n"
	"Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO, UPDATE, REFER, NOTIFY\r\n"
	"Require: timer\r\n"
	"Session-Expires: 1800;refresher=uac\r\n"
	"Supported: timer, path, replaces\r\n"
	"Content-Type: application/sdp\r\n"
	"Content-Disposition: session\r\n"
	"Content-Length: 222\r\n"
	"\r\n"
	"v=0\r\n"
	"o=FreeSWITCH 1700000000 1700000001 IN IP4 198.51.100.10\r\n"
	"s=FreeSWITCH\r\n"
	"c=IN IP4 198.51.100.10\r\n"
	"t=0 0\r\n"
	"m=audio 23456 RTP/AVP 0 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=rtpmap:101 telephone-event/8000\r\n"
	"a=fmtp:101 0-16\r\n"
	"a=ptime:20\r\n";

static const char bye[] =
	"BYE sip:+442071838750@198.51.100.10:5080;transport=udp SIP/2.0\r\n"
	"Via: SIP/2.0/UDP 192.168.1.34:5060;branch=z9hG4bK2050918733;rport\r\n"
	"Route: <sip:198.51.100.1;lr;ftag=1738426421>\r\n"
	"From: \"Reception\" <sip:1001@voip.example.net>;tag=1738426421\r\n"
	"To: <sip:+442071838750@voip.example.net>;tag=Hj4Qc7a1v0eKQ\r\n"
	"Call-ID: 1935848735-5060-1@BJC.BGI.B.BBF\r\n"
	"CSeq: 3 BYE\r\n"
	"Contact: <sip:1001@192.168.1.34:5060>\r\n"
	"Max-Forwards: 70\r\n"
	"User-Agent: Yealink SIP-T46S 66.86.0.15\r\n"
	"Content-Length: 0\r\n"
	"\r\n";

#define MSG(n) { #n, n, sizeof(n) - 1 }

const struct corpus_msg sip_corpus[] = {
	MSG(invite_sdp),
	MSG(register_auth),
	MSG(ok_200_invite),
	MSG(bye),
};

const size_t sip_corpus_len = sizeof(sip_corpus) / sizeof(sip_corpus[0]);
