/* Whole-message fuzzer: parse, every on-demand accessor, sanity check, stateless reply,
 * every rewrite primitive and the stream framing, as the edge proxy would run them. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip_frame.h"
#include "sip_hdr.h"
#include "sip_msg.h"
#include "sip_reply.h"
#include "sip_rewrite.h"
#include "sip_sanity.h"
#include "sip_uri.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void touch_uris(struct sip_msg *m)
{
	struct sip_uri u;
	char buf[256];
	size_t n;

	for (uint8_t i = 0; i < m->n_contact; i++)
		if (sip_uri_parse(m->contact[i].uri.s, m->contact[i].uri.len, &u) == 0)
			(void)sip_unescape(&u.user, buf, sizeof(buf), &n);
	if (sip_msg_parse_ruri(m) == 0) {
		struct sip_str v;
		(void)sip_uri_param(&m->ruri_parsed, "lr", &v);
		(void)sip_unescape(&m->ruri_parsed.user, buf, sizeof(buf), &n);
	}
}

static void touch_lists(struct sip_msg *m)
{
	static struct sip_auth auth;
	struct sip_options opts = { .count = 0 };
	static const uint8_t ids[] = { SIP_HDR_AUTHORIZATION, SIP_HDR_PROXY_AUTHORIZATION };

	for (size_t k = 0; k < sizeof(ids); k++)
		for (uint8_t i = m->first[ids[k]]; i != SIP_HDR_NONE; i = m->hdr[i].next)
			(void)sip_auth_parse(&m->hdr[i].value, &auth);
	for (uint8_t i = m->first[SIP_HDR_SUPPORTED]; i != SIP_HDR_NONE; i = m->hdr[i].next)
		if (sip_options_parse(&m->hdr[i].value, &opts) < 0)
			break;
	if (opts.count > SIP_MAX_OPTIONS)
		__builtin_trap();
}

static void rewrite(struct sip_msg *m)
{
	static char out[SIP_MAX_MSG_LEN + 4096];
	struct sip_rw_plan plan;
	struct sip_str host = { "198.51.100.1", 12 }, branch = { "z9hG4bKfuzz", 11 };
	struct sip_str src = { "203.0.113.5", 11 }, rr = { "sip:198.51.100.1;lr", 19 };

	if (sip_rw_init(&plan, m) < 0)
		return;
	if (m->type == SIP_REQUEST) {
		(void)sip_rw_top_via_received(&plan, &src, 5070);
		(void)sip_rw_insert_top_via(&plan, "UDP", &host, 5060, &branch, true);
		(void)sip_rw_decrement_max_forwards(&plan);
		(void)sip_rw_insert_record_route(&plan, &rr);
		(void)sip_rw_remove_own_route(&plan, &host, 5060);
		(void)sip_rw_strip_ruri_headers(&plan);
	} else {
		(void)sip_rw_remove_top_via(&plan);
	}
	int n = sip_rw_apply(&plan, out, sizeof(out));
	if (n > 0) {
		static struct sip_msg again;
		(void)sip_msg_parse(&again, out, (size_t)n);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sip_msg m;
	static char reply[8192];
	static const struct sip_str supported[] = { { "path", 4 } };
	static const struct sip_sanity_cfg cfg = { .role = SIP_ROLE_PROXY,
						   .supported = supported,
						   .n_supported = 1 };
	const char *buf = (const char *)data;
	struct sip_sanity san;
	struct sip_frame f;

	(void)sip_frame_stream(buf, size, SIP_MAX_MSG_LEN, &f);
	int rc = sip_msg_parse(&m, buf, size);
	if (sip_sanity_check(&m, rc, &cfg, &san) < 0)
		__builtin_trap();
	if (rc < 0)
		return 0;
	(void)sip_msg_parse_via(&m);
	(void)sip_msg_parse_from(&m);
	(void)sip_msg_parse_to(&m);
	(void)sip_msg_parse_call_id(&m);
	(void)sip_msg_parse_cseq(&m);
	(void)sip_msg_parse_max_forwards(&m);
	(void)sip_msg_parse_expires(&m);
	(void)sip_msg_parse_contact(&m);
	(void)sip_msg_parse_route(&m);
	(void)sip_msg_parse_record_route(&m);
	(void)sip_msg_parse_content_type(&m);
	touch_uris(&m);
	touch_lists(&m);
	if (m.type == SIP_REQUEST) {
		struct sip_reply_opts opts = { .server = { "Bugle", 5 },
					       .received = { "203.0.113.5", 11 },
					       .rport = 5070,
					       .unsupported = &san.unsupported };
		uint16_t status = san.verdict == SIP_REJECT ? san.status : 200;
		int n = sip_reply_build(&m, status, san.reason ? san.reason : "OK", &opts, reply,
					sizeof(reply));
		if (n > 0) {
			static struct sip_msg resp;
			/* Our own reply must always frame as a response. */
			if (sip_msg_parse(&resp, reply, (size_t)n) < 0 || resp.type != SIP_RESPONSE)
				__builtin_trap();
		}
	}
	rewrite(&m);
	return 0;
}
