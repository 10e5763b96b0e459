/* Shared pieces of the message builders (see sip_writer.h). */
#include "sip_writer.h"

void sip_w_uint(struct sip_writer *w, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sip_w_bytes(w, tmp + sizeof(tmp) - n, n);
}

void sip_w_via_received(struct sip_writer *w, const struct sip_via *v,
			const struct sip_str *received, uint16_t rport)
{
	/* Up to two edits inside the value: received's value, rport's value; in source order. */
	struct via_edit {
		const char *start, *end;
		int what; /* 0 received value, 1 rport "=port" */
	} ed[2];
	int n = 0;
	const char *p = v->whole.s, *end = v->whole.s + v->whole.len;
	bool set_received = received && received->len;

	if (set_received && v->has_received)
		ed[n++] = (struct via_edit){ v->received.s, v->received.s + v->received.len, 0 };
	if (rport && v->has_rport) {
		/* Replace from just after the name to the end of the old value (if any). */
		const char *s = v->rport_name.s + v->rport_name.len;
		const char *e = v->rport.len ? v->rport.s + v->rport.len : s;
		ed[n++] = (struct via_edit){ s, e, 1 };
	}
	if (n == 2 && ed[1].start < ed[0].start) {
		struct via_edit t = ed[0];
		ed[0] = ed[1];
		ed[1] = t;
	}
	for (int i = 0; i < n; i++) {
		sip_w_bytes(w, p, (size_t)(ed[i].start - p));
		if (ed[i].what == 0) {
			sip_w_str(w, received);
		} else {
			SIP_W_LIT(w, "=");
			sip_w_uint(w, rport);
		}
		p = ed[i].end;
	}
	sip_w_bytes(w, p, (size_t)(end - p));
	if (set_received && !v->has_received) {
		SIP_W_LIT(w, ";received=");
		sip_w_str(w, received);
	}
}
