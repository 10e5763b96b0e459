/* Stateless response builder (see sip_reply.h). */
#include "sip_reply.h"

#include <errno.h>
#include <string.h>

#include "sip_msg.h"
#include "sip_writer.h"

#define FNV64_OFFSET 0xcbf29ce484222325ull
#define FNV64_PRIME 0x100000001b3ull

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV64_PRIME;
	}
	return h;
}

void sip_reply_to_tag(struct sip_msg *req, char tag[16])
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = FNV64_OFFSET;
	const struct sip_hdr *cid = sip_msg_hdr(req, SIP_HDR_CALL_ID);

	if (cid)
		h = fnv1a(h, cid->value.s, cid->value.len);
	h = fnv1a(h, "|", 1);
	/* RFC 2543 peers send no branch: the whole top Via value still identifies the hop. */
	if (sip_msg_parse_via(req) == 0)
		h = req->via[0].has_branch ? fnv1a(h, req->via[0].branch.s, req->via[0].branch.len)
					   : fnv1a(h, req->via[0].whole.s, req->via[0].whole.len);
	for (int i = 15; i >= 0; i--) {
		tag[i] = hex[h & 0xf];
		h >>= 4;
	}
}

static void write_vias(struct sip_writer *w, struct sip_msg *req, const struct sip_reply_opts *o)
{
	bool edit_top = o && (o->received.len || o->rport) && sip_msg_parse_via(req) == 0;

	for (uint8_t i = req->first[SIP_HDR_VIA]; i != SIP_HDR_NONE; i = req->hdr[i].next) {
		const struct sip_str *v = &req->hdr[i].value;
		SIP_W_LIT(w, "Via: ");
		if (edit_top && i == req->via[0].hdr) {
			const struct sip_via *top = &req->via[0];
			const char *rest = top->whole.s + top->whole.len;
			sip_w_via_received(w, top, &o->received, o->rport);
			sip_w_bytes(w, rest, (size_t)(v->s + v->len - rest));
		} else {
			sip_w_str(w, v);
		}
		SIP_W_LIT(w, "\r\n");
	}
}

static void write_header(struct sip_writer *w, const struct sip_msg *req, enum sip_hdr_id id,
			 const char *name)
{
	const struct sip_hdr *h = sip_msg_hdr(req, id);

	if (!h)
		return;
	sip_w_bytes(w, name, strlen(name));
	sip_w_str(w, &h->value);
	SIP_W_LIT(w, "\r\n");
}

static void write_to(struct sip_writer *w, struct sip_msg *req, uint16_t status)
{
	const struct sip_hdr *h = sip_msg_hdr(req, SIP_HDR_TO);

	if (!h)
		return;
	SIP_W_LIT(w, "To: ");
	sip_w_str(w, &h->value);
	/* A 100 carries no To tag (RFC 3261 8.2.6.2); neither does a To we could not parse. */
	if (status > 100 && sip_msg_parse_to(req) == 0 && !req->to.has_tag) {
		char tag[16];
		sip_reply_to_tag(req, tag);
		SIP_W_LIT(w, ";tag=");
		sip_w_bytes(w, tag, sizeof(tag));
	}
	SIP_W_LIT(w, "\r\n");
}

int sip_reply_build(struct sip_msg *req, uint16_t status, const char *reason,
		    const struct sip_reply_opts *opts, char *out, size_t cap)
{
	struct sip_writer w = { out, cap, 0, false };

	if (!req || req->type != SIP_REQUEST || status < 100 || status > 699 || !reason ||
	    (!out && cap))
		return -EINVAL;
	SIP_W_LIT(&w, "SIP/2.0 ");
	sip_w_uint(&w, status);
	SIP_W_LIT(&w, " ");
	sip_w_bytes(&w, reason, strlen(reason));
	SIP_W_LIT(&w, "\r\n");
	write_vias(&w, req, opts);
	write_header(&w, req, SIP_HDR_FROM, "From: ");
	write_to(&w, req, status);
	write_header(&w, req, SIP_HDR_CALL_ID, "Call-ID: ");
	write_header(&w, req, SIP_HDR_CSEQ, "CSeq: ");
	if (opts && opts->unsupported && opts->unsupported->count) {
		SIP_W_LIT(&w, "Unsupported: ");
		for (uint8_t i = 0; i < opts->unsupported->count; i++) {
			if (i)
				SIP_W_LIT(&w, ", ");
			sip_w_str(&w, &opts->unsupported->tag[i]);
		}
		SIP_W_LIT(&w, "\r\n");
	}
	if (opts && opts->server.len) {
		SIP_W_LIT(&w, "Server: ");
		sip_w_str(&w, &opts->server);
		SIP_W_LIT(&w, "\r\n");
	}
	SIP_W_LIT(&w, "Content-Length: 0\r\n\r\n");
	if (w.overflow)
		return -ENOSPC;
	return (int)w.len;
}
