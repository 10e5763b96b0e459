/* SDP codec lists per device: the offer toward a callee in the codecs its device takes, and
 * the answer toward the caller in the caller's own codec when the callee picked none of them
 * (the data plane transcodes between the two). */
#include "call-sdp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* What the data plane relays or transcodes, as devices name them (schema endpoint.media). */
static const struct {
	const char *device_name, *rtp_name;
	int pt;				/* static payload type; -1: dynamic */
	unsigned rate, channels;
} relayable[] = {
	{ "PCMU", "PCMU", 0, 8000, 1 },	 { "PCMA", "PCMA", 8, 8000, 1 },
	{ "G722", "G722", 9, 8000, 1 },	 { "G729", "G729", 18, 8000, 1 },
	{ "OPUS", "opus", -1, 48000, 2 },
};
#define DYNAMIC_OPUS_PT 111

static bool known(const struct call_sdp_codec *c)
{
	for (size_t i = 0; i < sizeof(relayable) / sizeof(relayable[0]); i++)
		if (strcasecmp(c->name, relayable[i].rtp_name) == 0)
			return true;
	return false;
}

static bool same_codec(const struct call_sdp_codec *x, const struct call_sdp_codec *y)
{
	return strcasecmp(x->name, y->name) == 0 && x->clock_rate == y->clock_rate;
}

/* Not audio: DTMF events and comfort noise ride along with whatever codec the legs agree on. */
static bool is_audio(const struct call_sdp_codec *c)
{
	return strcasecmp(c->name, "telephone-event") != 0 && strcasecmp(c->name, "CN") != 0;
}

static bool has_codec(const struct call_sdp_audio *a, const struct call_sdp_codec *c)
{
	for (unsigned i = 0; i < a->n_codecs; i++)
		if (same_codec(&a->codecs[i], c))
			return true;
	return false;
}

static bool pt_taken(const struct call_sdp_codec *cs, unsigned n, unsigned pt, int dtmf_pt)
{
	if ((int)pt == dtmf_pt)
		return true;
	for (unsigned i = 0; i < n; i++)
		if (cs[i].pt == pt)
			return true;
	return false;
}

unsigned call_sdp_device_codecs(const char (*names)[16], unsigned n_names,
				const struct call_sdp_audio *offer, struct call_sdp_codec *out,
				unsigned cap)
{
	unsigned n = 0;
	for (unsigned i = 0; i < n_names && n < cap; i++) {
		for (size_t k = 0; k < sizeof(relayable) / sizeof(relayable[0]); k++) {
			if (strcasecmp(names[i], relayable[k].device_name) != 0)
				continue;
			struct call_sdp_codec c = { .clock_rate = relayable[k].rate,
						    .channels = relayable[k].channels };
			snprintf(c.name, sizeof(c.name), "%s", relayable[k].rtp_name);
			/* The caller's payload type for the same codec keeps both legs alike. */
			int pt = relayable[k].pt;
			for (unsigned j = 0; j < offer->n_codecs; j++)
				if (same_codec(&offer->codecs[j], &c))
					pt = (int)offer->codecs[j].pt;
			for (unsigned p = DYNAMIC_OPUS_PT; pt < 0 && p < 128; p++)
				if (!pt_taken(out, n, p, offer->dtmf_pt))
					pt = (int)p;
			if (pt < 0 || pt_taken(out, n, (unsigned)pt, offer->dtmf_pt))
				break;
			c.pt = (unsigned)pt;
			out[n++] = c;
			break;
		}
	}
	return n;
}


static bool codec_attr(const char *p, size_t len)
{
	return (len > 9 && memcmp(p, "a=rtpmap:", 9) == 0) ||
	       (len > 7 && memcmp(p, "a=fmtp:", 7) == 0);
}

/* The stream's rtpmaps, written fresh (codec parameters are not carried over). */
static int rtpmaps(const struct call_sdp_codec *cs, unsigned n, int dtmf_pt, char *out,
		   size_t cap, size_t *pos)
{
	char line[96];
	if (dtmf_pt >= 0) {
		int k = snprintf(line, sizeof(line), "a=rtpmap:%d telephone-event/8000", dtmf_pt);
		int rc = call_sdp_put_line(out, cap, pos, line, (size_t)k);
		k = snprintf(line, sizeof(line), "a=fmtp:%d 0-16", dtmf_pt);
		if (rc < 0 || (rc = call_sdp_put_line(out, cap, pos, line, (size_t)k)) < 0)
			return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		int k = cs[i].channels > 1
				? snprintf(line, sizeof(line), "a=rtpmap:%u %s/%u/%u", cs[i].pt,
					   cs[i].name, cs[i].clock_rate, cs[i].channels)
				: snprintf(line, sizeof(line), "a=rtpmap:%u %s/%u", cs[i].pt,
					   cs[i].name, cs[i].clock_rate);
		int rc = call_sdp_put_line(out, cap, pos, line, (size_t)k);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int call_sdp_set_codecs(const char *sdp, size_t len, const struct call_sdp_codec *codecs,
			unsigned n, int dtmf_pt, char *out, size_t cap)
{
	if (n == 0 || n > CALL_SDP_CODECS_MAX)
		return -EINVAL;
	const char *cur = sdp, *end = sdp + len, *p;
	size_t l, pos = 0;
	/* 0: before the first audio stream, 1: in it, 2: past it */
	int where = 0;
	if (cap)
		out[0] = '\0';
	while (call_sdp_next_line(&cur, end, &p, &l)) {
		int rc = 0;
		bool m_line = l >= 2 && memcmp(p, "m=", 2) == 0;
		if (where == 1 && m_line) {
			where = 2;
			if ((rc = rtpmaps(codecs, n, dtmf_pt, out, cap, &pos)) < 0)
				return rc;
		}
		if (where == 0 && l > 8 && memcmp(p, "m=audio ", 8) == 0) {
			/* "m=audio PORT PROTO" kept, the payload types replaced */
			const char *sp1 = memchr(p + 8, ' ', l - 8);
			const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(p + l - sp1 - 1)) : NULL;
			size_t keep = sp2 ? (size_t)(sp2 - p) : l;
			char line[512];
			if (!sp1 || keep >= sizeof(line) - 8 * (CALL_SDP_CODECS_MAX + 1))
				return -EINVAL;
			memcpy(line, p, keep);
			size_t o = keep;
			for (unsigned i = 0; i < n; i++)
				o += (size_t)snprintf(line + o, sizeof(line) - o, " %u", codecs[i].pt);
			if (dtmf_pt >= 0)
				o += (size_t)snprintf(line + o, sizeof(line) - o, " %d", dtmf_pt);
			rc = call_sdp_put_line(out, cap, &pos, line, o);
			where = 1;
		} else if (where == 1) {
			if (!codec_attr(p, l))
				rc = call_sdp_put_line(out, cap, &pos, p, l);
		} else {
			rc = call_sdp_put_line(out, cap, &pos, p, l);
		}
		if (rc < 0)
			return rc;
	}
	if (where == 1)
		return rtpmaps(codecs, n, dtmf_pt, out, cap, &pos);
	return where == 2 ? 0 : -EINVAL;
}

int call_sdp_answer_in_offer(const char *answer, size_t len, const struct call_sdp_audio *offer,
			     char *out, size_t cap)
{
	struct call_sdp_audio ans;
	int rc = call_sdp_parse(answer, len, &ans);
	if (rc < 0)
		return rc;
	for (unsigned i = 0; i < ans.n_codecs; i++)
		if (is_audio(&ans.codecs[i]) && has_codec(offer, &ans.codecs[i])) {
			if (len >= cap)
				return -ENOBUFS;
			memcpy(out, answer, len);
			out[len] = '\0';
			return 0;
		}
	/* No codec in common: the data plane transcodes to the offer's first codec it knows. */
	for (unsigned i = 0; i < offer->n_codecs; i++)
		if (known(&offer->codecs[i]))
			return call_sdp_set_codecs(answer, len, &offer->codecs[i], 1, offer->dtmf_pt,
						   out, cap);
	return -EINVAL;
}
