/* The SDP each leg of a call gets: toward a callee, the caller's offer in the codecs of the
 * callee's device, with SDES keys of ours when the device takes SRTP (plain RTP otherwise);
 * toward the caller, the answer in a codec it offered and with our key when it offered SRTP;
 * always pointed at the data plane. */
#include "call-int.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_SUITE "AES_CM_128_HMAC_SHA1_80"

void call_leg_keys(struct call *call, struct call_bleg *leg, struct call_sdp_audio *a)
{
	const char *ours = leg ? leg->srtp_key : call->a_audio.srtp_ours;
	if (a->crypto_suite[0] && ours[0])
		snprintf(a->srtp_ours, sizeof(a->srtp_ours), "%s", ours);
}

int call_sdp_toward(struct call *call, struct call_bleg *leg, const char *sdp, size_t len,
		    const char *ip, uint16_t port, char *out, size_t cap)
{
	char keyed[CALL_SDP_MAX];
	const struct call_sdp_audio *a = &call->a_audio;
	int rc;
	if (leg && leg->srtp_key[0])
		rc = call_sdp_set_crypto(sdp, len, 1, leg->srtp_suite, leg->srtp_key, keyed,
					 sizeof(keyed));
	else if (!leg && a->crypto_suite[0] && a->srtp_ours[0])
		rc = call_sdp_set_crypto(sdp, len, a->crypto_tag, a->crypto_suite, a->srtp_ours,
					 keyed, sizeof(keyed));
	else
		rc = call_sdp_set_crypto(sdp, len, 0, NULL, NULL, keyed, sizeof(keyed));
	return rc < 0 ? rc : call_sdp_rewrite(keyed, strlen(keyed), ip, port, out, cap);
}

int call_offer_toward_b(struct call *call, struct call_bleg *b, char *out, size_t cap)
{
	const struct cf_media_prefs *m = &b->ep.media;
	char device_sdp[CALL_SDP_MAX];
	const char *offer = call->a_sdp;
	struct call_sdp_codec codecs[CALL_SDP_CODECS_MAX];
	unsigned n = call_sdp_device_codecs((const char(*)[16])m->codecs, m->n_codecs,
					    &call->a_audio, codecs, CALL_SDP_CODECS_MAX);
	/* The device's own codecs when it lists them: the data plane transcodes if need be. */
	if (n && call_sdp_set_codecs(call->a_sdp, strlen(call->a_sdp), codecs, n,
				     call->a_audio.dtmf_pt, device_sdp, sizeof(device_sdp)) == 0)
		offer = device_sdp;
	if ((m->srtp || m->enforce_security) && !b->srtp_key[0]) {
		const char *suite = call_srtp_suite(call->a_audio.crypto_suite) > 0
					    ? call->a_audio.crypto_suite
					    : DEFAULT_SUITE;
		snprintf(b->srtp_suite, sizeof(b->srtp_suite), "%s", suite);
		int rc = call_srtp_new_key(suite, b->srtp_key, sizeof(b->srtp_key));
		if (rc < 0)
			return rc;
	}
	return call_sdp_toward(call, b, offer, strlen(offer), call->toward_b_ip,
			       call->toward_b_port, out, cap);
}

int call_answer_toward_a(struct call *call, const char *b_sdp, const char *ip, uint16_t port,
			 char *out, size_t cap)
{
	char answer[CALL_SDP_MAX];
	if (call->late_offer) /* the caller offered nothing: our 200 offers */
		return call_late_offer_toward_a(call, b_sdp, ip, port, out, cap);
	int rc = call_sdp_answer_in_offer(b_sdp, strlen(b_sdp), &call->a_audio, answer,
					  sizeof(answer));
	return rc < 0 ? rc : call_sdp_toward(call, NULL, answer, strlen(answer), ip, port, out, cap);
}

int call_a_keys_new(struct call *call)
{
	struct call_sdp_audio *a = &call->a_audio;
	if (!a->crypto_suite[0])
		return 0;
	return call_srtp_new_key(a->crypto_suite, a->srtp_ours, sizeof(a->srtp_ours));
}
