/* rtp-peer: one RTP endpoint for end-to-end tests and benchmarks.
 *
 *   rtp-peer --local IP:PORT [--remote IP:PORT] [--codec NAME/RATE/PT] [--ptime MS]
 *            [--count N] [--tone HZ | --wav FILE] [--ssrc X] [--seq N] [--ts N]
 *            [--delay-ms MS] [--after-rx] [--expect N] [--wait-ms MS] [--json FILE] [--record FILE]
 *            [--sent FILE] [--srtp-tx SUITE:KEY] [--srtp-rx SUITE:KEY] [--dtmf DIGITS]
 *            [--dtmf-pt PT]
 *
 * Sends N packets (G.711 mu-law or A-law of a tone or a WAV file, one every ptime) to the remote
 * from the local address (after --delay-ms, or once a first packet came in with --after-rx,
 * which is how a test orders two peers without guessing delays), while receiving on the same
 * socket; then keeps receiving until
 * --expect packets arrived or --wait-ms passed since the last send. Writes a JSON summary
 * (packets, loss, sequence and timestamp continuity, SSRCs, payload types) and optionally the
 * payload bytes it sent (--sent) and received (--record), so a test can compare them.
 * With --dtmf DIGITS each digit is sent as RFC 4733 telephone-events (payload type --dtmf-pt,
 * default 101) in place of ten audio packets: five updates, the end packet three times (as phones
 * do), two of audio; received telephone-events are reported as "dtmf_received" (one digit per
 * event, however many end packets repeat it) and are not written to --record.
 * With --srtp-tx / --srtp-rx (SDES suite and base64 key||salt) it protects what it sends and
 * unprotects what it receives with libsrtp2, the reference implementation.
 * Every loop is bounded by a count and a time. Exit: 0 done, 2 usage, 1 socket errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <openssl/evp.h>
#include <sndfile.h>
#include <srtp2/srtp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "g711.h"

#define MAX_SSRCS 8
#define MAX_PTS 8
#define MAX_PAYLOAD 1200
#define SRTP_ROOM 32	/* tag and SRTCP trailer room past a packet */

struct opts {
	struct sockaddr_in local, remote;
	bool has_remote;
	char codec[16];
	unsigned rate, pt, ptime_ms, count, expect, wait_ms, delay_ms;
	double tone_hz;
	const char *wav, *json, *record, *sent, *srtp_tx, *srtp_rx;
	bool after_rx;
	const char *dtmf;
	unsigned dtmf_pt;
	uint32_t ssrc;
	uint16_t seq0;
	uint32_t ts0;
};

struct rx_stats {
	unsigned packets, bytes;
	unsigned seq_gaps, seq_backwards, ts_jumps;
	bool have_last;
	uint16_t last_seq;
	uint32_t last_ts, last_ssrc;
	uint32_t first_ext, max_ext, cycles;
	uint32_t ssrcs[MAX_SSRCS];
	unsigned n_ssrcs;
	unsigned pts[MAX_PTS];
	unsigned n_pts;
	unsigned short_packets, not_rtp, srtp_fail;
	char from[32];
	char dtmf[64];			/* telephone-events received, one digit per event */
	unsigned n_dtmf;
	bool have_dtmf_ts;
	uint32_t dtmf_ts;		/* RTP timestamp of the last event reported */
};

#define DTMF_PACKETS 10		/* packets per digit sent with --dtmf */

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_addr(const char *s, struct sockaddr_in *a)
{
	char host[64];
	const char *colon = strrchr(s, ':');
	if (!colon || (size_t)(colon - s) >= sizeof(host))
		return -1;
	memcpy(host, s, (size_t)(colon - s));
	host[colon - s] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_port = htons((uint16_t)port);
	if (*end || port < 0 || port > 65535 || inet_pton(AF_INET, host, &a->sin_addr) != 1)
		return -1;
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: rtp-peer --local IP:PORT [--remote IP:PORT] [--codec PCMU/8000/0] "
			"[--ptime 20] [--count N] [--tone HZ|--wav FILE] [--ssrc X] [--seq N] [--ts N] "
			"[--delay-ms MS] [--after-rx] [--expect N] [--wait-ms MS] [--json FILE] [--record FILE] [--sent FILE]\n"
			"       [--srtp-tx SUITE:KEY] [--srtp-rx SUITE:KEY] [--dtmf DIGITS] [--dtmf-pt PT]\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->codec, sizeof(o->codec), "PCMU");
	o->rate = 8000;
	o->ptime_ms = 20;
	o->wait_ms = 2000;
	o->tone_hz = 440;
	o->ssrc = 0x12345678;
	o->seq0 = 1000;
	o->ts0 = 160000;
	o->dtmf_pt = 101;
	static const struct option lo[] = {
		{ "local", 1, NULL, 'l' }, { "remote", 1, NULL, 'r' }, { "codec", 1, NULL, 'c' },
		{ "ptime", 1, NULL, 'p' }, { "count", 1, NULL, 'n' }, { "tone", 1, NULL, 't' },
		{ "wav", 1, NULL, 'w' }, { "ssrc", 1, NULL, 's' }, { "seq", 1, NULL, 'q' },
		{ "ts", 1, NULL, 'T' }, { "expect", 1, NULL, 'e' }, { "wait-ms", 1, NULL, 'W' },
		{ "delay-ms", 1, NULL, 'D' }, { "after-rx", 0, NULL, 'A' }, { "json", 1, NULL, 'j' },
		{ "record", 1, NULL, 'R' }, { "sent", 1, NULL, 'S' },
		{ "srtp-tx", 1, NULL, 'x' }, { "srtp-rx", 1, NULL, 'y' },
		{ "dtmf", 1, NULL, 'd' }, { "dtmf-pt", 1, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	bool has_local = false;
	int ch;
	while ((ch = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (ch) {
		case 'l': if (parse_addr(optarg, &o->local)) return -1; has_local = true; break;
		case 'r': if (parse_addr(optarg, &o->remote)) return -1; o->has_remote = true; break;
		case 'c':
			if (sscanf(optarg, "%15[^/]/%u/%u", o->codec, &o->rate, &o->pt) != 3)
				return -1;
			break;
		case 'p': o->ptime_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': o->count = (unsigned)strtoul(optarg, NULL, 10); break;
		case 't': o->tone_hz = strtod(optarg, NULL); break;
		case 'w': o->wav = optarg; break;
		case 's': o->ssrc = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'q': o->seq0 = (uint16_t)strtoul(optarg, NULL, 0); break;
		case 'T': o->ts0 = (uint32_t)strtoul(optarg, NULL, 0); break;
		case 'e': o->expect = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'A': o->after_rx = true; break;
		case 'D': o->delay_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'W': o->wait_ms = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'j': o->json = optarg; break;
		case 'R': o->record = optarg; break;
		case 'S': o->sent = optarg; break;
		case 'x': o->srtp_tx = optarg; break;
		case 'y': o->srtp_rx = optarg; break;
		case 'd': o->dtmf = optarg; break;
		case 'P': o->dtmf_pt = (unsigned)strtoul(optarg, NULL, 10) & 0x7f; break;
		default: return -1;
		}
	}
	bool g711 = !strcasecmp(o->codec, "PCMU") || !strcasecmp(o->codec, "PCMA");
	if (!has_local || optind != argc || !g711 || o->rate != 8000 || o->pt > 127 ||
	    o->ptime_ms < 10 || o->ptime_ms > 60 || o->count > 1000000 || o->wait_ms > 600000 || o->delay_ms > 600000 ||
	    (o->count && !o->has_remote))
		return -1;
	return 0;
}

/* The audio to send: the WAV file (8 kHz mono expected, looped) or a tone. */
struct source {
	int16_t *pcm;
	size_t n;
	size_t pos;
	double phase, step;
};

static int source_open(struct source *s, const struct opts *o)
{
	memset(s, 0, sizeof(*s));
	s->step = 2.0 * M_PI * o->tone_hz / 8000.0;
	if (!o->wav)
		return 0;
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(o->wav, SFM_READ, &info);
	if (!f) {
		fprintf(stderr, "rtp-peer: %s: %s\n", o->wav, sf_strerror(NULL));
		return -1;
	}
	if (info.samplerate != 8000 || info.channels != 1 || info.frames <= 0 ||
	    info.frames > 8000 * 3600) {
		fprintf(stderr, "rtp-peer: %s: need 8 kHz mono audio\n", o->wav);
		sf_close(f);
		return -1;
	}
	s->pcm = calloc((size_t)info.frames, sizeof(*s->pcm));
	if (s->pcm)
		s->n = (size_t)sf_readf_short(f, s->pcm, info.frames);
	sf_close(f);
	return s->pcm && s->n ? 0 : -1;
}

static int16_t source_next(struct source *s)
{
	if (s->pcm) {
		int16_t v = s->pcm[s->pos];
		s->pos = (s->pos + 1) % s->n;
		return v;
	}
	int16_t v = (int16_t)(8000.0 * sin(s->phase));
	s->phase += s->step;
	return v;
}

/* "SUITE:BASE64" -> a libsrtp2 session for one direction; NULL with a message on error. */
static srtp_t srtp_open(const char *spec, bool outbound)
{
	static uint8_t keys[2][64];
	uint8_t *key = keys[outbound];
	const char *colon = strchr(spec, ':');
	size_t n = colon ? strlen(colon + 1) : 0;
	if (!colon || n == 0 || n % 4 || n / 4 * 3 > sizeof(keys[0])) {
		fprintf(stderr, "rtp-peer: SRTP key '%s' is not SUITE:BASE64\n", spec);
		return NULL;
	}
	int len = EVP_DecodeBlock(key, (const unsigned char *)colon + 1, (int)n);
	len -= (colon[n] == '=') + (colon[n - 1] == '=');
	srtp_policy_t pol;
	memset(&pol, 0, sizeof(pol));
	size_t sl = (size_t)(colon - spec);
	if (sl == 23 && !strncmp(spec, "AES_CM_128_HMAC_SHA1_80", sl)) {
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	} else if (sl == 23 && !strncmp(spec, "AES_CM_128_HMAC_SHA1_32", sl)) {
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(&pol.rtp);
		srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(&pol.rtcp);
	} else if (sl == 16 && !strncmp(spec, "AEAD_AES_128_GCM", sl)) {
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtp);
		srtp_crypto_policy_set_aes_gcm_128_16_auth(&pol.rtcp);
	} else {
		fprintf(stderr, "rtp-peer: unknown SRTP suite in '%s'\n", spec);
		return NULL;
	}
	if (len != pol.rtp.cipher_key_len) {
		fprintf(stderr, "rtp-peer: SRTP key of %d bytes, the suite needs %d\n", len,
			pol.rtp.cipher_key_len);
		return NULL;
	}
	pol.ssrc.type = outbound ? ssrc_any_outbound : ssrc_any_inbound;
	pol.key = key;
	pol.window_size = 128;
	srtp_t s = NULL;
	if (srtp_create(&s, &pol) != srtp_err_status_ok) {
		fprintf(stderr, "rtp-peer: libsrtp2 refused the key\n");
		return NULL;
	}
	return s;
}

static size_t build_packet(uint8_t *b, const struct opts *o, struct source *src, unsigned i)
{
	unsigned samples = 8 * o->ptime_ms;
	uint16_t seq = (uint16_t)(o->seq0 + i);
	uint32_t ts = o->ts0 + samples * i;
	b[0] = 0x80;
	b[1] = (uint8_t)o->pt;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	uint32_t nts = htonl(ts), nssrc = htonl(o->ssrc);
	memcpy(b + 4, &nts, 4);
	memcpy(b + 8, &nssrc, 4);
	unsigned d = i / DTMF_PACKETS, j = i % DTMF_PACKETS;
	if (o->dtmf && d < strlen(o->dtmf) && j < 8) {
		/* RFC 4733: the event keeps the timestamp of its first packet. */
		static const char codes[] = "0123456789*#ABCD";
		const char *c = strchr(codes, o->dtmf[d]);
		uint32_t ets = htonl(o->ts0 + samples * d * DTMF_PACKETS);
		memcpy(b + 4, &ets, 4);
		b[1] = (uint8_t)((j == 0 ? 0x80 : 0) | o->dtmf_pt);
		b[12] = (uint8_t)(c ? c - codes : 0);
		b[13] = (uint8_t)((j >= 5 ? 0x80 : 0) | 10);
		uint16_t dur = (uint16_t)(samples * (j < 5 ? j + 1 : 6));
		b[14] = (uint8_t)(dur >> 8);
		b[15] = (uint8_t)dur;
		return 16;
	}
	bool ulaw = !strcasecmp(o->codec, "PCMU");
	for (unsigned k = 0; k < samples; k++) {
		int16_t v = source_next(src);
		b[12 + k] = ulaw ? g711_linear_to_ulaw(v) : g711_linear_to_alaw(v);
	}
	return 12 + samples;
}

static void note_unique(uint32_t *set, unsigned *n, unsigned cap, uint32_t v)
{
	for (unsigned i = 0; i < *n; i++)
		if (set[i] == v)
			return;
	if (*n < cap)
		set[(*n)++] = v;
}

static void account(struct rx_stats *st, uint8_t *b, size_t len, const struct opts *o,
		    const struct sockaddr_in *from, FILE *record, srtp_t srtp_rx)
{
	if (srtp_rx && len >= 12) {
		int n = (int)len;
		if (srtp_unprotect(srtp_rx, b, &n) != srtp_err_status_ok) {
			st->srtp_fail++;
			return;
		}
		len = (size_t)n;
	}
	if (len < 12) {
		st->short_packets++;
		return;
	}
	if ((b[0] >> 6) != 2) {
		st->not_rtp++;
		return;
	}
	uint16_t seq = (uint16_t)(b[2] << 8 | b[3]);
	uint32_t ts, ssrc;
	memcpy(&ts, b + 4, 4);
	memcpy(&ssrc, b + 8, 4);
	ts = ntohl(ts);
	ssrc = ntohl(ssrc);
	st->packets++;
	st->bytes += (unsigned)len;
	note_unique(st->ssrcs, &st->n_ssrcs, MAX_SSRCS, ssrc);
	unsigned pts_n = st->n_pts;
	uint32_t pt_set[MAX_PTS];
	for (unsigned i = 0; i < pts_n; i++)
		pt_set[i] = st->pts[i];
	note_unique(pt_set, &pts_n, MAX_PTS, b[1] & 0x7f);
	for (unsigned i = 0; i < pts_n; i++)
		st->pts[i] = pt_set[i];
	st->n_pts = pts_n;
	snprintf(st->from, sizeof(st->from), "%s:%u", inet_ntoa(from->sin_addr),
		 ntohs(from->sin_port));
	if (!st->have_last) {
		st->have_last = true;
		st->first_ext = st->max_ext = seq;
	} else {
		int16_t d = (int16_t)(seq - st->last_seq);
		if (d != 1)
			st->seq_gaps++;
		if (d <= 0)
			st->seq_backwards++;
		if (ssrc != st->last_ssrc || ts - st->last_ts != 8u * o->ptime_ms)
			st->ts_jumps++;
		uint16_t max16 = (uint16_t)st->max_ext;
		int16_t dm = (int16_t)(seq - max16);
		if (dm > 0) {
			if (seq < max16)
				st->cycles += 65536;
			st->max_ext = st->cycles + seq;
		}
	}
	st->last_seq = seq;
	st->last_ts = ts;
	st->last_ssrc = ssrc;
	if ((b[1] & 0x7f) == o->dtmf_pt) {
		/* One digit per event: its end packets repeat, its timestamp names it. */
		if (len >= 16 && (b[13] & 0x80) && (!st->have_dtmf_ts || ts != st->dtmf_ts) &&
		    st->n_dtmf + 1 < sizeof(st->dtmf)) {
			static const char codes[] = "0123456789*#ABCD";
			st->dtmf[st->n_dtmf++] = b[12] < 16 ? codes[b[12]] : '?';
			st->have_dtmf_ts = true;
			st->dtmf_ts = ts;
		}
		return;
	}
	if (record && len > 12)
		fwrite(b + 12, 1, len - 12, record);
}

static int write_json(const char *path, const struct opts *o, unsigned sent,
		      const struct rx_stats *st, double secs)
{
	FILE *f = path ? fopen(path, "w") : stdout;
	if (!f)
		return -1;
	unsigned expected = st->packets ? st->max_ext - st->first_ext + 1 : 0;
	fprintf(f, "{\"sent\": %u, \"ssrc_sent\": %u, \"received\": %u, \"bytes\": %u, "
		   "\"expected\": %u, \"lost\": %d, \"seq_gaps\": %u, \"seq_backwards\": %u, "
		   "\"ts_jumps\": %u, \"short\": %u, \"not_rtp\": %u, \"srtp_fail\": %u, \"from\": \"%s\", "
		   "\"seconds\": %.3f, \"ssrcs\": [",
		sent, o->ssrc, st->packets, st->bytes, expected, (int)expected - (int)st->packets,
		st->seq_gaps, st->seq_backwards, st->ts_jumps, st->short_packets, st->not_rtp,
		st->srtp_fail, st->from, secs);
	for (unsigned i = 0; i < st->n_ssrcs; i++)
		fprintf(f, "%s%u", i ? ", " : "", st->ssrcs[i]);
	fprintf(f, "], \"payload_types\": [");
	for (unsigned i = 0; i < st->n_pts; i++)
		fprintf(f, "%s%u", i ? ", " : "", st->pts[i]);
	fprintf(f, "], \"dtmf_received\": \"%s\"}\n", st->dtmf);
	return path ? fclose(f) : 0;
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o))
		return usage();
	struct source src;
	if (source_open(&src, &o))
		return 2;
	srtp_t srtp_tx = NULL, srtp_rx = NULL;
	if (o.srtp_tx || o.srtp_rx) {
		srtp_init();
		if ((o.srtp_tx && !(srtp_tx = srtp_open(o.srtp_tx, true))) ||
		    (o.srtp_rx && !(srtp_rx = srtp_open(o.srtp_rx, false))))
			return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&o.local, sizeof(o.local)) < 0) {
		fprintf(stderr, "rtp-peer: bind: %s\n", strerror(errno));
		return 1;
	}
	FILE *record = o.record ? fopen(o.record, "wb") : NULL;
	FILE *sentf = o.sent ? fopen(o.sent, "wb") : NULL;
	if ((o.record && !record) || (o.sent && !sentf)) {
		fprintf(stderr, "rtp-peer: cannot open output: %s\n", strerror(errno));
		return 1;
	}
	struct rx_stats st;
	memset(&st, 0, sizeof(st));
	const uint64_t start = now_ns(), interval = (uint64_t)o.ptime_ms * 1000000u;
	uint64_t next_send = start + (uint64_t)o.delay_ms * 1000000u, last_send = next_send;
	unsigned sent = 0;
	uint8_t pkt[MAX_PAYLOAD + 12 + SRTP_ROOM], buf[2048];
	int errors = 0;
	for (;;) {
		uint64_t now = now_ns();
		bool may_send = !o.after_rx || st.packets > 0;
		if (sent < o.count && may_send && now >= next_send) {
			size_t len = build_packet(pkt, &o, &src, sent);
			if (sentf)
				fwrite(pkt + 12, 1, len - 12, sentf);
			int n = (int)len;
			if (srtp_tx && srtp_protect(srtp_tx, pkt, &n) != srtp_err_status_ok)
				errors++;
			len = (size_t)n;
			if (sendto(fd, pkt, len, 0, (struct sockaddr *)&o.remote, sizeof(o.remote)) < 0)
				errors++;
			sent++;
			last_send = now;
			next_send += interval;
			continue;
		}
		/* --after-rx waits at most --wait-ms for its first packet */
		bool sending = sent < o.count &&
			       (may_send || now - start < (uint64_t)o.wait_ms * 1000000u);
		if (!sending && o.expect && st.packets >= o.expect)
			break;
		if (!sending && now >= last_send && now - last_send >= (uint64_t)o.wait_ms * 1000000u)
			break;
		uint64_t until = sending && may_send ? next_send
						     : last_send + (uint64_t)o.wait_ms * 1000000u;
		int timeout = until > now ? (int)((until - now) / 1000000u) : 0;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		if (poll(&p, 1, timeout) > 0) {
			struct sockaddr_in from;
			socklen_t fl = sizeof(from);
			ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
			if (n >= 0) {
				if (st.packets == 0 && o.after_rx && next_send < now_ns())
					next_send = now_ns();
				account(&st, buf, (size_t)n, &o, &from, record, srtp_rx);
			}
		}
	}
	if (record)
		fclose(record);
	if (sentf)
		fclose(sentf);
	close(fd);
	free(src.pcm);
	if (srtp_tx)
		srtp_dealloc(srtp_tx);
	if (srtp_rx)
		srtp_dealloc(srtp_rx);
	write_json(o.json, &o, sent, &st, (double)(now_ns() - start) / 1e9);
	return errors ? 1 : 0;
}
