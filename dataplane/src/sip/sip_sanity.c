/* Sanity rules, one function each, applied in a fixed order; the first fault decides. */
#include "sip_sanity.h"

#include <errno.h>
#include <string.h>

#include "sip_hdr.h"
#include "sip_lex.h"
#include "sip_msg.h"
#include "sip_uri.h"

#define EXPIRES_MAX 0xffffffffull

struct rule_ctx {
	struct sip_msg *m;
	const struct sip_sanity_cfg *cfg;
	struct sip_sanity *out;
};

static const struct {
	uint16_t status;
	const char *reason;
	const char *counter;
} fault_table[SIP_FAULT__COUNT] = {
#define SIP_FAULT_ROW(id, st, re, co) [SIP_FAULT_##id] = { st, re, co },
	SIP_FAULTS(SIP_FAULT_ROW)
#undef SIP_FAULT_ROW
};

uint16_t sip_fault_status(enum sip_fault f)
{
	return (unsigned)f < SIP_FAULT__COUNT ? fault_table[f].status : 0;
}

const char *sip_fault_reason(enum sip_fault f)
{
	return (unsigned)f < SIP_FAULT__COUNT ? fault_table[f].reason : "Unknown";
}

const char *sip_fault_counter(enum sip_fault f)
{
	return (unsigned)f < SIP_FAULT__COUNT ? fault_table[f].counter : "unknown";
}

/* A rule returns 1 when it found a fault (and filled out), 0 otherwise. */
static int fault(struct rule_ctx *c, enum sip_fault f)
{
	c->out->verdict = SIP_REJECT;
	c->out->fault = (uint8_t)f;
	c->out->status = fault_table[f].status;
	c->out->reason = fault_table[f].reason;
	return 1;
}

static int rule_start_line(struct rule_ctx *c)
{
	struct sip_msg *m = c->m;

	if (m->type == SIP_RESPONSE)
		return (m->flags & SIP_F_BAD_STATUS) ? fault(c, SIP_FAULT_BAD_STATUS_LINE) : 0;
	return (m->flags & SIP_F_START_LINE_WS) ? fault(c, SIP_FAULT_BAD_REQUEST_LINE) : 0;
}

static int rule_version(struct rule_ctx *c)
{
	const struct sip_str *v = &c->m->version;

	/* Exact bytes first: that is what every real peer sends. "SIP" is case-insensitive. */
	if ((v->len == 7 && memcmp(v->s, "SIP/2.0", 7) == 0) ||
	    sip_case_eq(v->s, v->len, "SIP/2.0", 7))
		return 0;
	return fault(c, SIP_FAULT_BAD_VERSION);
}

static int rule_ruri_syntax(struct rule_ctx *c)
{
	return sip_msg_parse_ruri(c->m) < 0 ? fault(c, SIP_FAULT_BAD_RURI) : 0;
}

static int rule_via(struct rule_ctx *c)
{
	int rc = sip_msg_parse_via(c->m);

	if (rc == -ENOENT)
		return fault(c, SIP_FAULT_MISSING_VIA);
	return rc < 0 ? fault(c, SIP_FAULT_BAD_VIA) : 0;
}

static int rule_mandatory(struct rule_ctx *c)
{
	static const struct {
		uint8_t id;
		uint8_t fault;
	} need[] = {
		{ SIP_HDR_FROM, SIP_FAULT_MISSING_FROM },
		{ SIP_HDR_TO, SIP_FAULT_MISSING_TO },
		{ SIP_HDR_CALL_ID, SIP_FAULT_MISSING_CALL_ID },
		{ SIP_HDR_CSEQ, SIP_FAULT_MISSING_CSEQ },
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (c->m->count[need[i].id] == 0)
			return fault(c, need[i].fault);
	return 0;
}

static int rule_duplicates(struct rule_ctx *c)
{
	static const struct {
		uint8_t id;
		uint8_t fault;
	} single[] = {
		{ SIP_HDR_FROM, SIP_FAULT_DUP_FROM },
		{ SIP_HDR_TO, SIP_FAULT_DUP_TO },
		{ SIP_HDR_CALL_ID, SIP_FAULT_DUP_CALL_ID },
		{ SIP_HDR_CSEQ, SIP_FAULT_DUP_CSEQ },
		{ SIP_HDR_MAX_FORWARDS, SIP_FAULT_DUP_MAX_FORWARDS },
		{ SIP_HDR_CONTENT_LENGTH, SIP_FAULT_DUP_CONTENT_LENGTH },
		{ SIP_HDR_CONTENT_TYPE, SIP_FAULT_DUP_CONTENT_TYPE },
		{ SIP_HDR_EXPIRES, SIP_FAULT_DUP_EXPIRES },
	};

	for (size_t i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (c->m->count[single[i].id] > 1)
			return fault(c, single[i].fault);
	return 0;
}

static int rule_content_length(struct rule_ctx *c)
{
	uint32_t f = c->m->flags;

	if (f & SIP_F_CL_BAD)
		return fault(c, SIP_FAULT_BAD_CONTENT_LENGTH);
	if (f & SIP_F_CL_SHORT_DGRAM)
		return fault(c, SIP_FAULT_CONTENT_LENGTH_TOO_LARGE);
	return 0;
}

static int rule_cseq(struct rule_ctx *c)
{
	struct sip_msg *m = c->m;

	if (sip_msg_parse_cseq(m) < 0)
		return fault(c, SIP_FAULT_BAD_CSEQ);
	if (m->type != SIP_REQUEST)
		return 0;
	if (m->cseq.method.len != m->method.len ||
	    memcmp(m->cseq.method.s, m->method.s, m->method.len) != 0) {
		/* RFC 4475 3.1.2.18 prefers 501 when the method itself is unknown. */
		if (m->method_id == SIP_METHOD_UNKNOWN)
			return fault(c, SIP_FAULT_UNKNOWN_METHOD_MISMATCH);
		return fault(c, SIP_FAULT_CSEQ_MISMATCH);
	}
	return 0;
}

static int rule_from_to(struct rule_ctx *c)
{
	if (sip_msg_parse_from(c->m) < 0)
		return fault(c, SIP_FAULT_BAD_FROM);
	if (sip_msg_parse_to(c->m) < 0)
		return fault(c, SIP_FAULT_BAD_TO);
	return 0;
}

static int rule_call_id(struct rule_ctx *c)
{
	return sip_msg_parse_call_id(c->m) < 0 ? fault(c, SIP_FAULT_BAD_CALL_ID) : 0;
}

static int rule_max_forwards(struct rule_ctx *c)
{
	int rc = sip_msg_parse_max_forwards(c->m);

	if (rc == -ENOENT)
		return 0; /* optional for RFC 2543 peers */
	if (rc < 0)
		return fault(c, SIP_FAULT_BAD_MAX_FORWARDS);
	if (c->m->max_forwards == 0 && c->cfg->role == SIP_ROLE_PROXY)
		return fault(c, SIP_FAULT_TOO_MANY_HOPS);
	return 0;
}

static int rule_expires(struct rule_ctx *c)
{
	int rc = sip_msg_parse_expires(c->m);

	return rc < 0 && rc != -ENOENT ? fault(c, SIP_FAULT_BAD_EXPIRES) : 0;
}

static int rule_contact(struct rule_ctx *c)
{
	struct sip_msg *m = c->m;
	int rc = sip_msg_parse_contact(m);
	uint64_t v;

	if (rc == -ENOENT)
		return 0;
	if (rc < 0)
		return fault(c, SIP_FAULT_BAD_CONTACT);
	for (uint8_t i = 0; i < m->n_contact; i++)
		if (m->contact[i].expires.s &&
		    sip_uint_parse(&m->contact[i].expires, EXPIRES_MAX, &v) < 0)
			return fault(c, SIP_FAULT_BAD_CONTACT_EXPIRES);
	return 0;
}

static int rule_routes(struct rule_ctx *c)
{
	int rc = sip_msg_parse_route(c->m);

	if (rc < 0 && rc != -ENOENT)
		return fault(c, SIP_FAULT_BAD_ROUTE);
	rc = sip_msg_parse_record_route(c->m);
	if (rc < 0 && rc != -ENOENT)
		return fault(c, SIP_FAULT_BAD_RECORD_ROUTE);
	return 0;
}

static int is_broadcast(const struct sip_str *host)
{
	return host->len == 15 && memcmp(host->s, "255.255.255.255", 15) == 0;
}

static int rule_via_values(struct rule_ctx *c)
{
	struct sip_msg *m = c->m;
	const struct sip_via *top = &m->via[0];

	/* The magic cookie alone is no transaction id (RFC 4475 3.2.1). */
	if (top->has_branch && SIP_TOK_EQ(top->branch, "z9hg4bk"))
		return fault(c, SIP_FAULT_BAD_VIA_BRANCH);
	/* Never answer or forward towards a broadcast address (RFC 4475 3.3.10). */
	for (uint8_t i = 0; i < m->n_via; i++)
		if (is_broadcast(&m->via[i].host))
			return fault(c, SIP_FAULT_BROADCAST_VIA);
	return 0;
}

static int rule_ruri_scheme(struct rule_ctx *c)
{
	const struct sip_uri *u = &c->m->ruri_parsed;

	if (u->kind == SIP_SCHEME_OTHER)
		return fault(c, SIP_FAULT_UNSUPPORTED_SCHEME);
	/* Headers are not allowed in a Request-URI (RFC 3261 19.1.1, table 1). */
	if (u->headers.s)
		return fault(c, SIP_FAULT_RURI_HEADERS);
	return 0;
}

static int is_supported(const struct sip_sanity_cfg *cfg, const struct sip_str *tag)
{
	for (uint8_t i = 0; i < cfg->n_supported; i++)
		if (sip_case_eq(cfg->supported[i].s, cfg->supported[i].len, tag->s, tag->len))
			return 1;
	return 0;
}

static int rule_require(struct rule_ctx *c)
{
	/* A proxy honours Proxy-Require; Require is for the UAS (RFC 3261 16.3 step 5, 8.2.2.3). */
	enum sip_hdr_id id = c->cfg->role == SIP_ROLE_PROXY ? SIP_HDR_PROXY_REQUIRE
							   : SIP_HDR_REQUIRE;
	struct sip_options opts; /* not zeroed: only tag[0..count) is ever read */
	struct sip_options *un = &c->out->unsupported;

	if (c->m->first[id] == SIP_HDR_NONE || c->m->method_id == SIP_METHOD_ACK ||
	    c->m->method_id == SIP_METHOD_CANCEL)
		return 0; /* ACK and CANCEL are never rejected for extensions (RFC 3261 8.2.2.3) */
	opts.count = 0;
	for (uint8_t i = c->m->first[id]; i != SIP_HDR_NONE; i = c->m->hdr[i].next)
		if (sip_options_parse(&c->m->hdr[i].value, &opts) < 0)
			return fault(c, id == SIP_HDR_REQUIRE ? SIP_FAULT_BAD_REQUIRE
							      : SIP_FAULT_BAD_PROXY_REQUIRE);
	un->count = 0;
	for (uint8_t i = 0; i < opts.count; i++)
		if (!is_supported(c->cfg, &opts.tag[i]))
			un->tag[un->count++] = opts.tag[i];
	return un->count ? fault(c, SIP_FAULT_BAD_EXTENSION) : 0;
}

static int rule_accept(struct rule_ctx *c)
{
	struct sip_msg *m = c->m;
	int any = 0;

	/* An INVITE must let the answer carry SDP (RFC 3261 13.2.1, RFC 4475 3.3.15). */
	if (m->method_id != SIP_METHOD_INVITE || m->first[SIP_HDR_ACCEPT] == SIP_HDR_NONE)
		return 0;
	for (uint8_t i = m->first[SIP_HDR_ACCEPT]; i != SIP_HDR_NONE; i = m->hdr[i].next) {
		int rc = sip_accept_allows(&m->hdr[i].value, "application", "sdp");
		if (rc < 0)
			return fault(c, SIP_FAULT_BAD_ACCEPT);
		any |= rc;
	}
	return any ? 0 : fault(c, SIP_FAULT_NOT_ACCEPTABLE);
}

static int rule_unknown_method(struct rule_ctx *c)
{
	if (c->cfg->reject_unknown_methods && c->m->method_id == SIP_METHOD_UNKNOWN)
		return fault(c, SIP_FAULT_UNKNOWN_METHOD);
	return 0;
}

/* The rules in order, called directly (a table of function pointers costs an indirect call
 * per rule on every packet). Order matters where one message has several faults: the RFC
 * 4475 cases expect the start line and version to be judged before the headers, and 416/420
 * only for otherwise sound requests. Returns 1 when a rule found a fault. */
static int run_rules(struct rule_ctx *c, bool request)
{
	if (rule_start_line(c) || rule_version(c))
		return 1;
	if (request && rule_ruri_syntax(c))
		return 1;
	if (rule_via(c) || rule_mandatory(c) || rule_duplicates(c) || rule_content_length(c) ||
	    rule_cseq(c) || rule_from_to(c) || rule_call_id(c))
		return 1;
	if (request && (rule_max_forwards(c) || rule_expires(c)))
		return 1;
	if (rule_contact(c))
		return 1;
	if (request && rule_routes(c))
		return 1;
	if (rule_via_values(c))
		return 1;
	return request && (rule_ruri_scheme(c) || rule_require(c) || rule_accept(c) ||
			   rule_unknown_method(c));
}

int sip_sanity_check(struct sip_msg *m, int parse_rc, const struct sip_sanity_cfg *cfg,
		     struct sip_sanity *out)
{
	static const struct sip_sanity_cfg proxy_defaults = { .role = SIP_ROLE_PROXY };
	struct rule_ctx c = { m, cfg ? cfg : &proxy_defaults, out };

	if (!m || !out)
		return -EINVAL;
	out->verdict = SIP_ACCEPT;
	out->fault = SIP_FAULT_NONE;
	out->status = 0;
	out->reason = NULL;
	out->unsupported.count = 0;
	if (parse_rc < 0) {
		fault(&c, parse_rc == -E2BIG	  ? SIP_FAULT_TOO_MANY_HEADERS
			  : parse_rc == -EMSGSIZE ? SIP_FAULT_TOO_LARGE
						  : SIP_FAULT_MALFORMED);
		out->verdict = SIP_DROP;
		out->status = 0;
		return 0;
	}
	if (run_rules(&c, m->type == SIP_REQUEST) && m->type != SIP_REQUEST) {
		out->verdict = SIP_DROP; /* a response cannot be answered */
		out->status = 0;
	}
	return 0;
}
