/* Only codecs the data plane can relay or transcode are accepted; the clock rates they are
 * defined with (RFC 3551, RFC 7587) are enforced so both legs agree on the timestamp units. */
#include "relay_codecs.h"

#include <stdio.h>
#include <string.h>

struct codec_info {
	const char *name;
	uint32_t rate;		/* the one rate allowed; 0: any of 8000/16000/48000 */
	int static_pt;		/* -1: dynamic only */
};

static const struct codec_info codec_table[] = {
	[bugle_dp_Codec_CODEC_PCMU] = { "PCMU", 8000, 0 },
	[bugle_dp_Codec_CODEC_PCMA] = { "PCMA", 8000, 8 },
	/* G.722 samples at 16 kHz but its RTP clock is 8000 (RFC 3551 4.5.2). */
	[bugle_dp_Codec_CODEC_G722] = { "G722", 8000, 9 },
	[bugle_dp_Codec_CODEC_G729] = { "G729", 8000, 18 },
	[bugle_dp_Codec_CODEC_OPUS] = { "opus", 48000, -1 },
	[bugle_dp_Codec_CODEC_TELEPHONE_EVENT] = { "telephone-event", 0, -1 },
};
#define N_CODECS (sizeof(codec_table) / sizeof(codec_table[0]))

const char *relay_codec_name(unsigned codec)
{
	return codec > 0 && codec < N_CODECS ? codec_table[codec].name : "?";
}

static unsigned infer(uint32_t pt)
{
	for (unsigned c = 1; c < N_CODECS; c++)
		if (codec_table[c].static_pt == (int)pt)
			return c;
	return 0;
}

int relay_codecs_parse(const bugle_dp_CodecSpec *in, size_t n, struct relay_codec *out,
		       uint8_t *n_out, char *err, size_t err_cap)
{
	if (n == 0) {
		snprintf(err, err_cap, "the leg lists no codecs");
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	if (n > RELAY_MAX_CODECS) {
		snprintf(err, err_cap, "%zu codecs: at most %d", n, RELAY_MAX_CODECS);
		return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
	}
	for (size_t i = 0; i < n; i++) {
		const bugle_dp_CodecSpec *c = &in[i];
		/* 72-76 would collide with RTCP packet types 200-204 (RFC 5761 4). */
		if (c->payload_type > 127 || (c->payload_type >= 72 && c->payload_type <= 76)) {
			snprintf(err, err_cap, "payload type %u is not usable for RTP",
				 c->payload_type);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
		unsigned codec = (unsigned)c->codec;
		if (codec == bugle_dp_Codec_CODEC_UNSPECIFIED)
			codec = infer(c->payload_type);
		if (codec == 0 || codec >= N_CODECS) {
			snprintf(err, err_cap, "impossible codec %d with payload type %u", (int)c->codec,
				 c->payload_type);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
		const struct codec_info *ci = &codec_table[codec];
		uint32_t rate = c->clock_rate ? c->clock_rate : (ci->rate ? ci->rate : 8000);
		if ((ci->rate && rate != ci->rate) ||
		    (!ci->rate && rate != 8000 && rate != 16000 && rate != 48000)) {
			snprintf(err, err_cap, "impossible codec %s/%u", ci->name, rate);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
		if (ci->static_pt >= 0 && c->payload_type >= 35 && c->payload_type < 96) {
			snprintf(err, err_cap, "%s on payload type %u (neither static nor dynamic)",
				 ci->name, c->payload_type);
			return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
		}
		for (size_t j = 0; j < i; j++) {
			if (out[j].pt == c->payload_type) {
				snprintf(err, err_cap, "payload type %u listed twice", c->payload_type);
				return bugle_dp_Status_STATUS_INVALID_ARGUMENT;
			}
		}
		out[i] = (struct relay_codec){ .codec = (uint8_t)codec, .pt = (uint8_t)c->payload_type,
					       .clock_rate = rate,
					       .channels = c->channels ? c->channels : 1,
					       .ptime_ms = c->ptime_ms };
	}
	*n_out = (uint8_t)n;
	return bugle_dp_Status_STATUS_OK;
}

unsigned relay_codecs_map(const struct relay_codec *from, uint8_t n_from,
			  const struct relay_codec *to, uint8_t n_to, uint8_t pt_out[128])
{
	unsigned shared = 0;
	memset(pt_out, RELAY_PT_NONE, 128);
	for (uint8_t i = 0; i < n_from; i++) {
		for (uint8_t j = 0; j < n_to; j++) {
			if (from[i].codec == to[j].codec && from[i].clock_rate == to[j].clock_rate) {
				pt_out[from[i].pt] = to[j].pt;
				shared += from[i].codec != bugle_dp_Codec_CODEC_TELEPHONE_EVENT;
				break;
			}
		}
	}
	return shared;
}
