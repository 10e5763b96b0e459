/* DTMF translation between the legs of a session when only one of them negotiated
 * telephone-event (RFC 4733): a digit from that leg is played to the other as in-band tones,
 * and a digit detected in-band in the other leg's audio is sent to it as RFC 4733 events. The
 * digit is sent once it has ended, with its measured length (as FreeSWITCH does), as a DTMF
 * operation that owns the stream toward the target leg while it plays. The events themselves
 * are not relayed to a leg without telephone-event (its payload type has no mapping); in-band
 * tones stay in the relayed audio as well. */
#include "relay_mediaop.h"

#include <string.h>

#include "mc_dtmf_inband.h"
#include "mc_rfc4733.h"
#include "relay.h"
#include "relay_counters.h"

static bool has_te(const struct relay_codec *c, uint8_t n)
{
	for (uint8_t i = 0; i < n; i++)
		if (c[i].codec == bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			return true;
	return false;
}

/* The first audio codec of c that the other side offers too: the one the leg sends. */
static const struct relay_codec *shared_audio(const struct relay_codec *c, uint8_t n,
					      const struct relay_codec *o, uint8_t no)
{
	for (uint8_t i = 0; i < n; i++) {
		if (c[i].codec == bugle_dp_Codec_CODEC_TELEPHONE_EVENT)
			continue;
		for (uint8_t j = 0; j < no; j++)
			if (o[j].codec == c[i].codec && o[j].clock_rate == c[i].clock_rate)
				return &c[i];
	}
	return NULL;
}

void relay_media_translate_setup(struct relay_session *s, const struct relay_codec *a, uint8_t na,
				 const struct relay_codec *b, uint8_t nb, uint64_t now_ns)
{
	bool te_a = has_te(a, na), te_b = has_te(b, nb);
	/* Only the leg without telephone-event, when the other has it, is listened to. */
	relay_media_inband_setup(&s->leg[0], a, na,
				 te_b && !te_a ? shared_audio(a, na, b, nb) : NULL, now_ns);
	relay_media_inband_setup(&s->leg[1], b, nb,
				 te_a && !te_b ? shared_audio(b, nb, a, na) : NULL, now_ns);
}

/* Adds a digit to a translation that is still playing; 0 or -1 when it cannot take it. */
static int append(struct relay_mediaop *op, char digit, uint32_t ms)
{
	if (op->kind == RELAY_MEDIAOP_DTMF_RTP) {
		size_t n = strlen(op->digits);
		if (n + 1 >= sizeof(op->digits))
			return -1;
		op->digit_ms[n] = (uint16_t)ms;
		op->digits[n] = digit;
		op->digits[n + 1] = '\0';
		return 0;
	}
	if (op->kind == RELAY_MEDIAOP_DTMF_INBAND) {
		char d[2] = { digit, '\0' };
		return mc_dtmf_generator_queue(op->dtmf_gen, d, ms, RELAY_MEDIA_DTMF_OFF_MS) < 0 ? -1
												 : 0;
	}
	return -1;
}

void relay_media_translate(struct relay *r, uint32_t session, uint8_t from, char digit,
			   uint32_t duration_ms)
{
	struct relay_session *s = &r->sessions[session];
	uint8_t to = from ^ 1;
	/* A flash ('!') has no tone; a leg is only a target once the session is answered. */
	if (!s->answered || digit == '!' || mc_dtmf_event_from_digit(digit) < 0)
		return;
	if (relay_media_leg_has_te(&s->leg[from]) == relay_media_leg_has_te(&s->leg[to]))
		return;
	struct relay_counters *ctr = relay_lcore_counters(r);
	uint32_t ms = relay_media_dtmf_ms(duration_ms);
	struct relay_mediaop *op = relay_media_find(r, session, to);
	if (op) {
		/* A prompt, tone, conference or requested DTMF keeps the leg; a translation
		 * still playing takes the digit after its own. */
		if (op->translated && !op->stop_requested && append(op, digit, ms) == 0)
			relay_ctr_inc(ctr, RELAY_CTR_dtmf_translated);
		else
			relay_ctr_inc(ctr, RELAY_CTR_drop_dtmf_translate);
		return;
	}
	char digits[2] = { digit, '\0' };
	char err[160];
	op = relay_media_dtmf_start(r, session, to, digits, ms, r->media->now_ns, err, sizeof(err));
	if (!op) {
		relay_ctr_inc(ctr, RELAY_CTR_drop_dtmf_translate);
		return;
	}
	op->translated = true;
	relay_ctr_inc(ctr, RELAY_CTR_dtmf_translated);
}
