/* Types of the zero-copy SIP message layer. Types only: the functions live in sip_msg.h,
 * sip_hdr.h, sip_uri.h, sip_sanity.h, sip_reply.h, sip_rewrite.h and sip_frame.h.
 *
 * Everything here points into the caller's packet buffer: a struct sip_msg is valid only while
 * the buffer it was parsed from is alive and unchanged. Nothing is allocated; the caller owns
 * the struct (one per worker lcore, reused per packet). */
#ifndef BUGLE_SIP_T_H
#define BUGLE_SIP_T_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds: exceeding any of them is a parse error, never an overflow. */
#define SIP_MAX_HEADERS 128	/* header lines in one message */
#define SIP_MAX_VALUES 64	/* values of one kind (Via, Contact, Route, Record-Route) */
#define SIP_MAX_MSG_LEN 65535	/* a message longer than this is refused */
#define SIP_MAX_AUTH_PARAMS 24
#define SIP_MAX_OPTIONS 16	/* option tags in one Require/Proxy-Require/Supported list */

/* A slice of the packet: not NUL-terminated, may contain NUL bytes. */
struct sip_str {
	const char *s;
	uint32_t len;
};

enum sip_method {
	SIP_METHOD_UNKNOWN = 0,
	SIP_METHOD_INVITE,
	SIP_METHOD_ACK,
	SIP_METHOD_BYE,
	SIP_METHOD_CANCEL,
	SIP_METHOD_OPTIONS,
	SIP_METHOD_REGISTER,
	SIP_METHOD_PRACK,
	SIP_METHOD_SUBSCRIBE,
	SIP_METHOD_NOTIFY,
	SIP_METHOD_PUBLISH,
	SIP_METHOD_INFO,
	SIP_METHOD_REFER,
	SIP_METHOD_MESSAGE,
	SIP_METHOD_UPDATE,
};

/* Known header ids. Compact forms map to the same id. Ids stay below 64 so one 64-bit word
 * holds the "parsed" bitmap. */
enum sip_hdr_id {
	SIP_HDR_OTHER = 0,
	SIP_HDR_VIA,
	SIP_HDR_FROM,
	SIP_HDR_TO,
	SIP_HDR_CALL_ID,
	SIP_HDR_CSEQ,
	SIP_HDR_MAX_FORWARDS,
	SIP_HDR_CONTACT,
	SIP_HDR_ROUTE,
	SIP_HDR_RECORD_ROUTE,
	SIP_HDR_CONTENT_LENGTH,
	SIP_HDR_CONTENT_TYPE,
	SIP_HDR_CONTENT_ENCODING,
	SIP_HDR_EXPIRES,
	SIP_HDR_USER_AGENT,
	SIP_HDR_SERVER,
	SIP_HDR_AUTHORIZATION,
	SIP_HDR_PROXY_AUTHORIZATION,
	SIP_HDR_WWW_AUTHENTICATE,
	SIP_HDR_PROXY_AUTHENTICATE,
	SIP_HDR_REQUIRE,
	SIP_HDR_PROXY_REQUIRE,
	SIP_HDR_SUPPORTED,
	SIP_HDR_UNSUPPORTED,
	SIP_HDR_ALLOW,
	SIP_HDR_ACCEPT,
	SIP_HDR_SUBJECT,
	SIP_HDR_DATE,
	SIP_HDR_EVENT,
	SIP_HDR_ALLOW_EVENTS,
	SIP_HDR_REFER_TO,
	SIP_HDR_REFERRED_BY,
	SIP_HDR_SESSION_EXPIRES,
	SIP_HDR_MIN_EXPIRES,
	SIP_HDR_IDENTITY,
	SIP_HDR_PATH,
	SIP_HDR_REASON,
	SIP_HDR_RETRY_AFTER,
	SIP_HDR_WARNING,
	SIP_HDR_TIMESTAMP,
	SIP_HDR_ORGANIZATION,
	SIP_HDR_P_ASSERTED_IDENTITY,
	SIP_HDR_PRIVACY,
	SIP_HDR__COUNT
};

/* One header line as indexed: the value is trimmed and may span folds (CRLF + WS). */
struct sip_hdr {
	struct sip_str name;
	struct sip_str value;
	uint32_t line_start;	/* offset of the name in the message */
	uint32_t line_end;	/* offset just past the line's CRLF */
	uint8_t id;		/* enum sip_hdr_id */
	uint8_t next;		/* index of the next header with the same id, or SIP_HDR_NONE */
};
#define SIP_HDR_NONE 0xff
/* Bit of sip_msg.parsed/failed for the Request-URI (header ids use the low bits). */
#define SIP_PARSED_RURI 63

enum sip_uri_scheme { SIP_SCHEME_OTHER = 0, SIP_SCHEME_SIP, SIP_SCHEME_SIPS, SIP_SCHEME_TEL };
enum sip_host_kind { SIP_HOST_NONE = 0, SIP_HOST_NAME, SIP_HOST_IPV4, SIP_HOST_IPV6 };

/* A parsed URI. For unknown schemes only scheme and opaque are set. Escapes are kept as
 * written; sip_unescape() decodes a slice into a caller buffer. */
struct sip_uri {
	struct sip_str scheme;
	struct sip_str user;	 /* may hold ';' as in "user;par=x" */
	struct sip_str password;
	struct sip_str host;	 /* an IPv6 reference keeps its brackets */
	struct sip_str params;	 /* after the first ';' of the host part, without it */
	struct sip_str headers;	 /* after '?', without it */
	struct sip_str opaque;	 /* everything after "scheme:" */
	uint16_t port;		 /* 0 when absent */
	uint8_t kind;		 /* enum sip_uri_scheme */
	uint8_t host_kind;	 /* enum sip_host_kind */
};

/* One Via value (a header line may hold several). */
struct sip_via {
	struct sip_str whole;	 /* the value as written, for copying */
	struct sip_str protocol; /* "SIP" */
	struct sip_str version;	 /* "2.0" */
	struct sip_str transport;
	struct sip_str host;
	struct sip_str params;	 /* from the first ';' (excluded) to the end of the value */
	struct sip_str branch;
	struct sip_str received;
	struct sip_str rport;	 /* value; empty when written as a bare "rport" */
	struct sip_str rport_name; /* the "rport" token itself, for rewriting */
	uint16_t port;		 /* 0 when absent */
	uint8_t hdr;		 /* index of the header line it came from */
	uint8_t has_branch : 1, has_received : 1, has_rport : 1, host_ipv6 : 1;
};

/* A name-addr or addr-spec with its header params (From, To, Contact, Route, Record-Route). */
struct sip_addr {
	struct sip_str whole;	/* the value as written */
	struct sip_str display;	/* with its quotes if quoted */
	struct sip_str uri;	/* the URI text, without <> */
	struct sip_str params;	/* header params after the URI, without the first ';' */
	struct sip_str tag;
	struct sip_str expires;	/* Contact only */
	struct sip_str q;	/* Contact only */
	uint8_t hdr;		/* index of the header line it came from */
	uint8_t bracketed : 1, has_tag : 1, star : 1;
};

struct sip_cseq {
	uint32_t number;
	struct sip_str method;
	uint8_t method_id;	/* enum sip_method */
};

struct sip_param {
	struct sip_str name;
	struct sip_str value;	/* quoted strings keep their quotes */
};

/* Authorization / Proxy-Authorization: scheme and its auth-params. */
struct sip_auth {
	struct sip_str scheme;
	struct sip_param params[SIP_MAX_AUTH_PARAMS];
	uint8_t n_params;
	struct sip_str token68; /* a scheme followed by a single opaque token */
};

/* A media type (Content-Type, or one range of Accept). */
struct sip_media_type {
	struct sip_str type;
	struct sip_str subtype;
	struct sip_str params;	/* after the first ';', without it */
};

/* Option tags of Require, Proxy-Require, Supported, Unsupported. */
struct sip_options {
	struct sip_str tag[SIP_MAX_OPTIONS];
	uint8_t count;
};

enum sip_msg_type { SIP_REQUEST = 1, SIP_RESPONSE = 2 };

/* Flags sip_msg_parse() sets for problems it can frame around; the sanity check judges them. */
enum sip_msg_flag {
	SIP_F_START_LINE_WS = 1 << 0,	/* extra or trailing whitespace in the start line */
	SIP_F_CL_BAD = 1 << 1,		/* Content-Length not a plain number */
	SIP_F_CL_SHORT_DGRAM = 1 << 2,	/* Content-Length larger than the bytes received */
	SIP_F_CL_MULTIPLE = 1 << 3,	/* more than one Content-Length value */
	SIP_F_TRAILING = 1 << 4,	/* bytes after the body (ignored) */
	SIP_F_NO_CL = 1 << 5,		/* no Content-Length: body runs to the end of the datagram */
	SIP_F_BAD_STATUS = 1 << 6,	/* status code not three digits */
};

/* A parsed message. Written only by the lcore that parses it. The header index is filled by
 * sip_msg_parse(); the value-level fields below it are filled on demand by sip_msg_*()
 * accessors, which record what they have parsed in `parsed` and `failed` (bit = hdr id). */
struct sip_msg {
	const char *buf;
	uint32_t buf_len;	/* bytes received */
	uint32_t len;		/* bytes of this message (headers + body by Content-Length) */
	uint8_t type;		/* enum sip_msg_type */
	uint8_t method_id;	/* enum sip_method (requests) */
	uint16_t status;	/* responses; 0 when not a number 100..699 */
	uint32_t flags;		/* enum sip_msg_flag */

	struct sip_str method;	/* requests */
	struct sip_str ruri;	/* requests */
	struct sip_str version;	/* "SIP/2.0" as written */
	struct sip_str reason;	/* responses */
	struct sip_str start_line;
	uint32_t hdr_end;	/* offset of the empty line that ends the headers */
	struct sip_str body;

	uint8_t n_hdrs;
	uint8_t first[SIP_HDR__COUNT];	/* first header index per id, SIP_HDR_NONE if none */
	uint8_t count[SIP_HDR__COUNT];	/* header lines per id */
	uint8_t last[SIP_HDR__COUNT];
	struct sip_hdr hdr[SIP_MAX_HEADERS];

	/* On demand (Content-Length excepted: sip_msg_parse() needs it to frame the body). */
	uint64_t parsed;
	uint64_t failed;
	uint32_t content_length;
	uint64_t max_forwards;
	uint64_t expires;
	struct sip_str call_id;
	struct sip_cseq cseq;
	struct sip_media_type content_type;
	struct sip_addr from, to;
	struct sip_uri ruri_parsed;	/* bit SIP_PARSED_RURI */
	uint8_t n_via, n_contact, n_route, n_rr;
	struct sip_via via[SIP_MAX_VALUES];
	struct sip_addr contact[SIP_MAX_VALUES];
	struct sip_addr route[SIP_MAX_VALUES];
	struct sip_addr rr[SIP_MAX_VALUES];
};

/* Every sanity fault, declared once: the id, the response status for a request (0: the
 * message is dropped whatever it is), the reason phrase and the counter name. The sanity
 * check, the stats and the CLI all read this list. */
#define SIP_FAULTS(X)                                                                              \
	X(NONE, 0, "OK", "none") \
	X(MALFORMED, 0, "Malformed Message", "malformed") \
	X(TOO_MANY_HEADERS, 0, "Too Many Headers", "too_many_headers") \
	X(TOO_LARGE, 0, "Message Too Large", "too_large") \
	X(BAD_STATUS_LINE, 400, "Bad Status-Line", "bad_status_line") \
	X(BAD_REQUEST_LINE, 400, "Bad Request-Line", "bad_request_line") \
	X(BAD_VERSION, 505, "Version Not Supported", "bad_version") \
	X(BAD_RURI, 400, "Bad Request-URI", "bad_ruri") \
	X(MISSING_VIA, 400, "Missing Via", "missing_via") \
	X(BAD_VIA, 400, "Bad Via", "bad_via") \
	X(MISSING_FROM, 400, "Missing From", "missing_from") \
	X(MISSING_TO, 400, "Missing To", "missing_to") \
	X(MISSING_CALL_ID, 400, "Missing Call-ID", "missing_call_id") \
	X(MISSING_CSEQ, 400, "Missing CSeq", "missing_cseq") \
	X(DUP_FROM, 400, "Duplicate From", "dup_from") \
	X(DUP_TO, 400, "Duplicate To", "dup_to") \
	X(DUP_CALL_ID, 400, "Duplicate Call-ID", "dup_call_id") \
	X(DUP_CSEQ, 400, "Duplicate CSeq", "dup_cseq") \
	X(DUP_MAX_FORWARDS, 400, "Duplicate Max-Forwards", "dup_max_forwards") \
	X(DUP_CONTENT_LENGTH, 400, "Duplicate Content-Length", "dup_content_length") \
	X(DUP_CONTENT_TYPE, 400, "Duplicate Content-Type", "dup_content_type") \
	X(DUP_EXPIRES, 400, "Duplicate Expires", "dup_expires") \
	X(BAD_CONTENT_LENGTH, 400, "Bad Content-Length", "bad_content_length") \
	X(CONTENT_LENGTH_TOO_LARGE, 400, "Content-Length Too Large", "content_length_too_large") \
	X(BAD_CSEQ, 400, "Bad CSeq", "bad_cseq") \
	X(CSEQ_MISMATCH, 400, "CSeq Method Mismatch", "cseq_mismatch") \
	X(UNKNOWN_METHOD_MISMATCH, 501, "Not Implemented", "unknown_method_mismatch") \
	X(BAD_FROM, 400, "Bad From", "bad_from") \
	X(BAD_TO, 400, "Bad To", "bad_to") \
	X(BAD_CALL_ID, 400, "Bad Call-ID", "bad_call_id") \
	X(BAD_MAX_FORWARDS, 400, "Bad Max-Forwards", "bad_max_forwards") \
	X(TOO_MANY_HOPS, 483, "Too Many Hops", "too_many_hops") \
	X(BAD_EXPIRES, 400, "Bad Expires", "bad_expires") \
	X(BAD_CONTACT, 400, "Bad Contact", "bad_contact") \
	X(BAD_CONTACT_EXPIRES, 400, "Bad Contact Expires", "bad_contact_expires") \
	X(BAD_ROUTE, 400, "Bad Route", "bad_route") \
	X(BAD_RECORD_ROUTE, 400, "Bad Record-Route", "bad_record_route") \
	X(BAD_VIA_BRANCH, 400, "Bad Via Branch", "bad_via_branch") \
	X(BROADCAST_VIA, 400, "Broadcast Via", "broadcast_via") \
	X(UNSUPPORTED_SCHEME, 416, "Unsupported URI Scheme", "unsupported_scheme") \
	X(RURI_HEADERS, 400, "Headers in Request-URI", "ruri_headers") \
	X(BAD_REQUIRE, 400, "Bad Require", "bad_require") \
	X(BAD_PROXY_REQUIRE, 400, "Bad Proxy-Require", "bad_proxy_require") \
	X(BAD_EXTENSION, 420, "Bad Extension", "bad_extension") \
	X(BAD_ACCEPT, 400, "Bad Accept", "bad_accept") \
	X(NOT_ACCEPTABLE, 406, "Not Acceptable", "not_acceptable") \
	X(UNKNOWN_METHOD, 501, "Not Implemented", "unknown_method")

enum sip_fault {
#define SIP_FAULT_ENUM(id, status, reason, counter) SIP_FAULT_##id,
	SIP_FAULTS(SIP_FAULT_ENUM)
#undef SIP_FAULT_ENUM
	SIP_FAULT__COUNT
};

/* Outcome of the sanity check. */
enum sip_verdict { SIP_ACCEPT = 0, SIP_REJECT, SIP_DROP };

/* The element's role decides a few reactions (RFC 4475 "role:" cases). */
enum sip_role { SIP_ROLE_PROXY = 0, SIP_ROLE_UAS };

/* Sanity-check settings; read-only, shared by all lcores. */
struct sip_sanity_cfg {
	uint8_t role;			/* enum sip_role */
	bool reject_unknown_methods;	/* 501 for methods not in enum sip_method (UAS) */
	const struct sip_str *supported; /* option tags this element supports */
	uint8_t n_supported;
};

struct sip_sanity {
	uint8_t verdict;	/* enum sip_verdict */
	uint8_t fault;		/* enum sip_fault, SIP_FAULT_NONE when accepted */
	uint16_t status;	/* for SIP_REJECT: the response code */
	const char *reason;	/* names the fault, e.g. "Bad CSeq"; static, NUL-terminated */
	struct sip_options unsupported; /* for 420: the option tags to list in Unsupported */
};

#endif
