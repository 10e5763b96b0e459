/* SDP for a caller whose INVITE carried no offer (RFC 3261 §13.2.1, delayed offer): the
 * stand-in for its offer the callees are offered from (the codecs the caller may use), the
 * same widened to every codec the data plane knows (its leg until the caller's answer), and
 * our offer in the 200 to it (the callee's codecs first, then the caller's). */
#include "call-sdp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* The telephone-event payload type of our own offers. */
#define LATE_DTMF_PT 101

static const char default_names[][16] = { "PCMU", "PCMA", "G722" };
static const char relayable_names[][16] = { "PCMU", "PCMA", "G722", "G729", "OPUS" };
#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* A list of codec names the caller may use: theirs when any is usable, else the default. */
static unsigned usable(const char (*names)[16], unsigned n, struct call_sdp_codec *out)
{
	struct call_sdp_audio none = { .dtmf_pt = LATE_DTMF_PT };
	unsigned k = call_sdp_device_codecs(names, n, &none, out, CALL_SDP_CODECS_MAX);
	return k ? k : call_sdp_device_codecs(default_names, N_OF(default_names), &none, out,
					      CALL_SDP_CODECS_MAX);
}

int call_sdp_late_placeholder(const char (*names)[16], unsigned n, char *out, size_t cap)
{
	static const char skeleton[] = "v=0\r\n"
				       "o=- 0 0 IN IP4 0.0.0.0\r\n"
				       "s=-\r\n"
				       "c=IN IP4 0.0.0.0\r\n"
				       "t=0 0\r\n"
				       "m=audio 9 RTP/AVP 0\r\n"
				       "a=sendrecv\r\n";
	struct call_sdp_codec codecs[CALL_SDP_CODECS_MAX];
	unsigned k = usable(names, n, codecs);
	return call_sdp_set_codecs(skeleton, sizeof(skeleton) - 1, codecs, k, LATE_DTMF_PT, out,
				   cap);
}

void call_sdp_late_widen(struct call_sdp_audio *a)
{
	/* the caller's codecs first (keeping their payload types), then the rest */
	char names[CALL_SDP_CODECS_MAX + N_OF(relayable_names)][16];
	unsigned n = 0;
	for (unsigned i = 0; i < a->n_codecs && i < CALL_SDP_CODECS_MAX; i++)
		snprintf(names[n++], sizeof(names[0]), "%s", a->codecs[i].name);
	for (size_t i = 0; i < N_OF(relayable_names); i++)
		memcpy(names[n++], relayable_names[i], sizeof(names[0]));
	struct call_sdp_codec wide[CALL_SDP_CODECS_MAX];
	unsigned k = call_sdp_device_codecs((const char(*)[16])names, n, a, wide,
					    CALL_SDP_CODECS_MAX);
	if (k == 0)
		return; /* nothing the data plane knows: left as it is (it refuses that) */
	memcpy(a->codecs, wide, k * sizeof(wide[0]));
	a->n_codecs = k;
}

/* A payload type for telephone-event that no codec of the list uses. */
static bool pt_used(const struct call_sdp_codec *cs, unsigned n, int pt)
{
	for (unsigned i = 0; i < n; i++)
		if ((int)cs[i].pt == pt)
			return true;
	return false;
}

static int free_dtmf_pt(const struct call_sdp_codec *cs, unsigned n, int want)
{
	if (!pt_used(cs, n, want))
		return want;
	for (int pt = 96; pt < 128; pt++)
		if (!pt_used(cs, n, pt))
			return pt;
	return -1;
}

int call_sdp_late_offer(const char *callee_sdp, size_t len, const char (*names)[16], unsigned n,
			char *out, size_t cap)
{
	struct call_sdp_audio b;
	int rc = call_sdp_parse(callee_sdp, len, &b);
	if (rc < 0)
		return rc;
	char all[2 * CALL_SDP_CODECS_MAX][16];
	unsigned k = 0;
	for (unsigned i = 0; i < b.n_codecs; i++)
		snprintf(all[k++], sizeof(all[0]), "%s", b.codecs[i].name);
	struct call_sdp_codec caller[CALL_SDP_CODECS_MAX];
	unsigned nc = usable(names, n, caller);
	for (unsigned i = 0; i < nc; i++)
		snprintf(all[k++], sizeof(all[0]), "%s", caller[i].name);
	struct call_sdp_codec codecs[CALL_SDP_CODECS_MAX];
	unsigned m = call_sdp_device_codecs((const char(*)[16])all, k, &b, codecs,
					    CALL_SDP_CODECS_MAX);
	if (m == 0)
		return -EINVAL;
	int dtmf = free_dtmf_pt(codecs, m, b.dtmf_pt >= 0 ? b.dtmf_pt : LATE_DTMF_PT);
	return call_sdp_set_codecs(callee_sdp, len, codecs, m, dtmf, out, cap);
}
