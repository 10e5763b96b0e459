/* Helpers shared by the relay unit tests: a small relay, leg specs and RTP packets.
 * Return convention: builders return the length or nothing; the relay maker a pointer. */
#ifndef BUGLE_RELAY_TEST_UTIL_H
#define BUGLE_RELAY_TEST_UTIL_H

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dataplane.pb.h"
#include "relay-t.h"
#include "relay_session.h"

#define T_PUBLIC_IP "192.0.2.1"
#define T_NS 1000000000ull

static inline uint32_t t_ip(const char *s)
{
	struct in_addr a;
	inet_pton(AF_INET, s, &a);
	return a.s_addr;
}

static inline struct relay_config t_config(uint16_t pmin, uint16_t pmax, uint32_t sessions)
{
	struct relay_config c = { .port_min = pmin, .port_max = pmax, .max_sessions = sessions,
				  .timeout_s = 60, .hold_timeout_s = 3600, .latch_packets = 5,
				  .latch_quiet_ms = 2000, .public_ip = t_ip(T_PUBLIC_IP) };
	return c;
}

/* codecs: "PCMU/8000/0,telephone-event/8000/101" style is parsed by buglectl; tests fill the
 * spec directly. */
static inline void t_leg(bugle_dp_LegSpec *l, const char *tag, const char *ip, uint32_t port)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->leg_tag, sizeof(l->leg_tag), "%s", tag);
	snprintf(l->remote_ip, sizeof(l->remote_ip), "%s", ip);
	l->remote_port = port;
	l->symmetric = true;
}

static inline void t_codec(bugle_dp_LegSpec *l, bugle_dp_Codec codec, uint32_t pt, uint32_t rate)
{
	bugle_dp_CodecSpec *c = &l->codecs[l->codecs_count++];
	memset(c, 0, sizeof(*c));
	c->codec = codec;
	c->payload_type = pt;
	c->clock_rate = rate;
}

/* A test call: A (leg "a" at T_A_IP:4000) offers, B (leg "b" at T_B_IP:5000) answers. The test
 * adds codecs to offer.from_leg and answer.to_leg, then runs t_call_offer and t_call_answer (or
 * t_call_connect for both); each returns 0 or the relay's negative errno, with err saying why. */
#define T_A_IP "192.0.2.10"
#define T_B_IP "192.0.2.11"

struct t_call {
	bugle_dp_SessionOfferRequest offer;
	bugle_dp_SessionAnswerRequest answer;
	bugle_dp_SessionReply rep;	/* the last reply */
	uint16_t port_a, port_b;	/* where A sends (from the answer), where B sends */
	char err[256];
};

static inline void t_call_init(struct t_call *c, const char *call_id)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->offer.call_id, sizeof(c->offer.call_id), "%s", call_id);
	c->offer.has_from_leg = true;
	t_leg(&c->offer.from_leg, "a", T_A_IP, 4000);
	snprintf(c->answer.call_id, sizeof(c->answer.call_id), "%s", call_id);
	c->answer.has_to_leg = true;
	t_leg(&c->answer.to_leg, "b", T_B_IP, 5000);
}

static inline int t_call_offer(struct relay *r, struct t_call *c, uint64_t now)
{
	int rc = relay_session_offer(r, &c->offer, now, &c->rep, c->err, sizeof(c->err));
	if (rc == 0)
		c->port_b = (uint16_t)c->rep.local_port;
	return rc;
}

static inline int t_call_answer(struct relay *r, struct t_call *c, uint64_t now)
{
	int rc = relay_session_answer(r, &c->answer, now, &c->rep, c->err, sizeof(c->err));
	if (rc == 0)
		c->port_a = (uint16_t)c->rep.local_port;
	return rc;
}

static inline int t_call_connect(struct relay *r, struct t_call *c, uint64_t now)
{
	int rc = t_call_offer(r, c, now);
	return rc != 0 ? rc : t_call_answer(r, c, now);
}

/* An update of call_id's leg tag, now at ip:port, with no codec yet. */
static inline void t_update(bugle_dp_SessionUpdateRequest *u, const char *call_id, const char *tag,
			    const char *ip, uint32_t port)
{
	memset(u, 0, sizeof(*u));
	snprintf(u->call_id, sizeof(u->call_id), "%s", call_id);
	u->has_leg = true;
	t_leg(&u->leg, tag, ip, port);
}

static inline uint16_t t_rtp(uint8_t *b, uint8_t pt, uint16_t seq, uint32_t ts, uint32_t ssrc,
			     uint16_t payload)
{
	b[0] = 0x80;
	b[1] = pt;
	b[2] = (uint8_t)(seq >> 8);
	b[3] = (uint8_t)seq;
	for (int i = 0; i < 4; i++) {
		b[4 + i] = (uint8_t)(ts >> (24 - 8 * i));
		b[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
	}
	for (uint16_t i = 0; i < payload; i++)
		b[12 + i] = (uint8_t)(i * 7 + seq);
	return (uint16_t)(12 + payload);
}

static inline uint16_t t_seq(const uint8_t *b)
{
	return (uint16_t)(b[2] << 8 | b[3]);
}

static inline uint32_t t_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#endif
