/* The Ethernet/IPv4/UDP/RTP frames of rtp-streams: one template per stream, built once, copied
 * into a TX ring frame and patched in place (sequence number, timestamp, packet number, send
 * time, UDP checksum updated from a precomputed partial sum); and the parse of what comes back.
 * Payload (160 bytes, mu-law silence): stream id and packet number (big endian, 4 bytes each)
 * then the send time (CLOCK_REALTIME ns, 8 bytes). */
#ifndef BUGLE_BENCH_RTP_FRAME_H
#define BUGLE_BENCH_RTP_FRAME_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>

#define RTP_LEN 172
#define RTP_PAYLOAD_LEN 160
#define RTP_FRAME_LEN (14 + 20 + 8 + RTP_LEN)

struct rtp_frame_tmpl {
	uint8_t b[RTP_FRAME_LEN];
	uint32_t sum;		/* UDP checksum partial sum with the patched words zero */
};

/* A stream's template: from src (address and port) to dst, MACs as given; stream is written in
 * the payload, ssrc in the header. */
void rtp_frame_build(struct rtp_frame_tmpl *t, const uint8_t dst_mac[6], const uint8_t src_mac[6],
		     const struct sockaddr_in *src, const struct sockaddr_in *dst, uint32_t ssrc,
		     uint32_t stream);

/* Writes packet n of the template's stream into out (RTP_FRAME_LEN bytes). */
void rtp_frame_emit(const struct rtp_frame_tmpl *t, uint8_t *out, uint32_t n, uint64_t sent_ns);

/* A received frame: its UDP destination and the stream, packet number and send time from the
 * payload. False for anything else (not IPv4/UDP, too short, fragments). */
struct rtp_frame_rx {
	uint32_t dst_ip;	/* network order */
	uint16_t dst_port;	/* host order */
	uint32_t stream, n;
	uint64_t sent_ns;
};
bool rtp_frame_parse(const uint8_t *f, uint32_t len, struct rtp_frame_rx *out);

#endif
