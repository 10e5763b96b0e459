/* RFC 4733 telephone-event: payload codec, receive detector, transmit packet train. */
#include <errno.h>

#include "mc_rfc4733.h"

static const char dtmf_digits[] = "0123456789*#ABCD!";

int mc_dtmf_event_from_digit(char digit)
{
	if (digit >= 'a' && digit <= 'd')
		digit = (char)(digit - 'a' + 'A');
	for (int i = 0; dtmf_digits[i]; i++)
		if (dtmf_digits[i] == digit)
			return i;
	return -EINVAL;
}

char mc_dtmf_digit_from_event(uint8_t event)
{
	return event < sizeof(dtmf_digits) - 1 ? dtmf_digits[event] : '\0';
}

int mc_rfc4733_parse(const uint8_t *payload, size_t len, struct mc_tev *ev)
{
	/* Several events may be stacked (RFC 4733 2.5.1.5); the first is the current one. */
	if (!payload || !ev || len < MC_RFC4733_PAYLOAD_LEN || len % MC_RFC4733_PAYLOAD_LEN)
		return -EBADMSG;
	ev->event = payload[0];
	ev->end = (payload[1] & 0x80) != 0;
	ev->volume = payload[1] & 0x3f; /* bit 6 is reserved: ignored on receipt */
	ev->duration = (uint16_t)(payload[2] << 8 | payload[3]);
	return 0;
}

int mc_rfc4733_build(const struct mc_tev *ev, uint8_t *out, size_t cap)
{
	if (!ev || !out || cap < MC_RFC4733_PAYLOAD_LEN || ev->volume > 63)
		return -EINVAL;
	out[0] = ev->event;
	out[1] = (uint8_t)((ev->end ? 0x80 : 0) | ev->volume);
	out[2] = (uint8_t)(ev->duration >> 8);
	out[3] = (uint8_t)ev->duration;
	return 0;
}

int mc_rfc4733_detector_init(struct mc_rfc4733_detector *d, uint32_t clock_rate)
{
	if (!d || clock_rate == 0)
		return -EINVAL;
	*d = (struct mc_rfc4733_detector){.clock_rate = clock_rate};
	return 0;
}

static void make_report(const struct mc_rfc4733_detector *d, bool timeout,
                        struct mc_dtmf_report *rep)
{
	char digit = mc_dtmf_digit_from_event(d->cur.event);
	rep->digit = digit ? digit : '?';
	rep->duration_ms = (uint32_t)((uint64_t)d->cur.duration * 1000 / d->clock_rate);
	rep->volume = d->cur.volume;
	rep->start_ts = d->cur_ts;
	rep->ended_by_timeout = timeout;
}

int mc_rfc4733_detector_flush(struct mc_rfc4733_detector *d, struct mc_dtmf_report *rep)
{
	if (!d->active)
		return 0;
	make_report(d, true, rep);
	d->active = false;
	d->have_ended = true;
	d->ended_ts = d->cur_ts;
	return 1;
}

int mc_rfc4733_detector_push(struct mc_rfc4733_detector *d, const uint8_t *payload, size_t len,
                             uint32_t ts, struct mc_dtmf_report rep[2])
{
	struct mc_tev ev;
	int n = 0;
	if (mc_rfc4733_parse(payload, len, &ev) < 0 || !mc_dtmf_digit_from_event(ev.event)) {
		d->bad_payloads++;
		return -EBADMSG;
	}
	/* The timestamp identifies the event: repeats of a reported one are ignored. */
	if (d->have_ended && ts == d->ended_ts) {
		d->repeats++;
		return 0;
	}
	if (d->active && ts != d->cur_ts)
		n += mc_rfc4733_detector_flush(d, &rep[n]);
	if (!d->active) {
		d->active = true;
		d->cur = ev;
		d->cur_ts = ts;
	}
	if (ev.duration > d->cur.duration) /* reordered updates never shorten the event */
		d->cur.duration = ev.duration;
	d->cur.volume = ev.volume;
	if (ev.end) {
		make_report(d, false, &rep[n++]);
		d->active = false;
		d->have_ended = true;
		d->ended_ts = ts;
	}
	return n;
}

int mc_rfc4733_train(char digit, uint32_t duration_ms, uint8_t volume, uint32_t clock_rate,
                     uint32_t ptime_ms, uint32_t start_ts, struct mc_rfc4733_packet *out,
                     unsigned cap)
{
	int event = mc_dtmf_event_from_digit(digit);
	if (event < 0 || volume > 63 || clock_rate == 0 || ptime_ms == 0 || duration_ms == 0)
		return -EINVAL;
	uint64_t total = (uint64_t)duration_ms * clock_rate / 1000;
	uint32_t step = (uint32_t)((uint64_t)ptime_ms * clock_rate / 1000);
	if (total > 0xffff || step == 0)
		return -ERANGE;
	unsigned updates = (unsigned)((total - 1) / step); /* packets before the final one */
	if (updates + MC_RFC4733_END_REPEATS > cap)
		return -ENOSPC;
	unsigned n = 0;
	for (unsigned k = 1; k <= updates + MC_RFC4733_END_REPEATS; k++) {
		bool final = k > updates;
		struct mc_tev ev = {
			.event = (uint8_t)event, .end = final, .volume = volume,
			.duration = (uint16_t)(final ? total : (uint64_t)k * step),
		};
		mc_rfc4733_build(&ev, out[n].payload, sizeof(out[n].payload));
		out[n].ts = start_ts;
		out[n].marker = k == 1;
		/* One packet per ptime, the three finals included (RFC 4733 2.5.1.4). */
		out[n].offset_ms = (k - 1) * ptime_ms;
		n++;
	}
	return (int)n;
}
