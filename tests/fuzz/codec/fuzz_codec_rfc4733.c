/* Fuzz target: RFC 4733 telephone-event payloads as a stream of RTP packets would bring them.
 *
 * The first byte picks the telephone-event clock. Then records follow, each led by an op byte:
 *   kind (bits 0-1) 0/1: a packet of (bits 2-5) 0..15 payload bytes, its timestamp moved by a
 *                        signed 16-bit step when bit 6 is set (else the same event continues);
 *                   2:   the stream goes quiet (flush);
 *                   3:   a generated train (digit, duration, volume, ptime, start) is fed to a
 *                        fresh detector, which must report exactly that digit once.
 * Checked besides memory safety: parse accepts exactly the lengths RFC 4733 allows and build
 * gives the bytes back; the detector returns 0..2 reports of valid digits, counts every
 * malformed payload, and ignores repeats of the event it has reported. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz-bytes.h"
#include "mc_rfc4733.h"

#define MAX_RECORDS 512
#define TRAIN_CAP 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char digits[] = "0123456789*#ABCD!";

static void check_report(const struct mc_dtmf_report *r, uint32_t clock)
{
	if (!r->digit || !strchr(digits, r->digit) || r->volume > 63 ||
	    r->duration_ms > (uint32_t)((uint64_t)0xffff * 1000 / clock))
		abort();
}

/* The parser against the wire format, and build as its inverse (bit 6 of byte 1 is reserved
 * and dropped on receipt). */
static void check_parse(const uint8_t *p, size_t len)
{
	struct mc_tev ev;
	uint8_t out[MC_RFC4733_PAYLOAD_LEN];
	int rc = mc_rfc4733_parse(p, len, &ev);

	if ((rc == 0) != (len >= 4 && len % 4 == 0))
		abort();
	if (rc < 0)
		return;
	if (mc_rfc4733_build(&ev, out, sizeof(out)) != 0 || out[0] != p[0] ||
	    out[1] != (p[1] & 0xbf) || out[2] != p[2] || out[3] != p[3])
		abort();
}

static void push_packet(struct mc_rfc4733_detector *d, const uint8_t *p, size_t len, uint32_t ts)
{
	struct mc_dtmf_report rep[2];
	uint64_t bad = d->bad_payloads, repeats = d->repeats;
	bool repeat = d->have_ended && ts == d->ended_ts;
	int n;

	check_parse(p, len);
	n = mc_rfc4733_detector_push(d, p, len, ts, rep);
	if (n == -EBADMSG) {
		bool valid = len >= 4 && len % 4 == 0 && p[0] < sizeof(digits) - 1;

		if (valid || d->bad_payloads != bad + 1)
			abort();
		return;
	}
	if (n < 0 || n > 2 || d->bad_payloads != bad)
		abort();
	if (repeat && (n != 0 || d->repeats != repeats + 1))
		abort();
	for (int i = 0; i < n; i++)
		check_report(&rep[i], d->clock_rate);
	/* Two reports: the earlier event lost its end packets, the new one ended at once. */
	if (n == 2 && (!rep[0].ended_by_timeout || rep[1].ended_by_timeout))
		abort();
	if (n && !rep[n - 1].ended_by_timeout && d->active)
		abort();
}

static void flush(struct mc_rfc4733_detector *d)
{
	struct mc_dtmf_report rep;
	bool was_active = d->active;
	int n = mc_rfc4733_detector_flush(d, &rep);

	if (n != (was_active ? 1 : 0) || d->active)
		abort();
	if (n) {
		check_report(&rep, d->clock_rate);
		if (!rep.ended_by_timeout)
			abort();
	}
}

/* A generated train received in order gives exactly its digit, once. */
static void train_round_trip(struct fz_bytes *in)
{
	static const char pick[] = "0123456789*#ABCDabcd!x";
	static const uint32_t clocks[] = {8000, 16000, 48000};
	struct mc_rfc4733_packet pkt[TRAIN_CAP];
	struct mc_rfc4733_detector d;
	struct mc_dtmf_report rep[2], got = {0};
	char digit = pick[fz_u8(in) % (sizeof(pick) - 1)];
	uint32_t duration_ms = fz_u16(in);
	uint8_t volume = fz_u8(in);
	uint32_t clock = clocks[fz_u8(in) % 3];
	uint32_t ptime = fz_u8(in);
	uint32_t start = fz_u32(in);
	unsigned cap = fz_u8(in) % TRAIN_CAP + 1;
	int reports = 0;
	int n = mc_rfc4733_train(digit, duration_ms, volume, clock, ptime, start, pkt, cap);

	if (n < 0) {
		if (n != -EINVAL && n != -ERANGE && n != -ENOSPC)
			abort();
		return;
	}
	if (n < MC_RFC4733_END_REPEATS || (unsigned)n > cap || mc_rfc4733_detector_init(&d, clock))
		abort();
	for (int i = 0; i < n; i++) {
		int r;

		if (pkt[i].ts != start || pkt[i].marker != (i == 0) || pkt[i].offset_ms != i * ptime)
			abort();
		r = mc_rfc4733_detector_push(&d, pkt[i].payload, sizeof(pkt[i].payload), pkt[i].ts, rep);
		if (r < 0 || r > 1 || (r && reports))
			abort();
		if (r) {
			got = rep[0];
			reports++;
		}
	}
	uint32_t total = (uint32_t)((uint64_t)duration_ms * clock / 1000);
	char want = digit >= 'a' && digit <= 'd' ? (char)(digit - 'a' + 'A') : digit;

	if (reports != 1 || got.digit != want || got.ended_by_timeout || got.start_ts != start ||
	    got.volume != volume || got.duration_ms != (uint32_t)((uint64_t)total * 1000 / clock) ||
	    d.repeats != MC_RFC4733_END_REPEATS - 1 || d.active)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t clocks[] = {8000, 16000, 48000, 44100};
	struct fz_bytes in = {data, size};
	struct mc_rfc4733_detector d;
	uint8_t sel = fz_u8(&in);
	uint32_t clock = sel & 0x80 ? (uint32_t)fz_u16(&in) + 1 : clocks[sel % 4];
	uint32_t ts = 0;

	if (mc_rfc4733_detector_init(&d, clock) != 0 || mc_rfc4733_detector_init(&d, 0) != -EINVAL)
		abort();
	if (mc_rfc4733_detector_init(&d, clock) != 0)
		abort();
	for (int r = 0; r < MAX_RECORDS && in.n; r++) {
		uint8_t op = fz_u8(&in);
		size_t len;
		const uint8_t *p;

		switch (op & 3) {
		case 2:
			flush(&d);
			break;
		case 3:
			train_round_trip(&in);
			break;
		default:
			if (op & 0x40)
				ts += (uint32_t)(int32_t)(int16_t)fz_u16(&in);
			p = fz_slice(&in, (op >> 2) & 0x0f, &len);
			push_packet(&d, p, len, ts);
			break;
		}
	}
	return 0;
}
