/* Types for RFC 4733 telephone-events and DTMF reports. */
#ifndef MC_RFC4733_T_H
#define MC_RFC4733_T_H

#include <stdbool.h>
#include <stdint.h>

#define MC_RFC4733_PAYLOAD_LEN 4
#define MC_RFC4733_END_REPEATS 3 /* RFC 4733 2.5.1.4: the final packet is sent three times */

/* One telephone-event payload (RFC 4733 2.3). */
struct mc_tev {
	uint8_t event;     /* 0-9, 10 '*', 11 '#', 12-15 'A'-'D', 16 flash */
	bool end;          /* E bit */
	uint8_t volume;    /* power in -dBm0, 0..63 */
	uint16_t duration; /* in RTP clock units since the event's timestamp */
};

/* A finished digit, whichever way it was detected. */
struct mc_dtmf_report {
	char digit;           /* '0'-'9', '*', '#', 'A'-'D', '!' for flash */
	uint32_t duration_ms;
	uint8_t volume;       /* -dBm0 for RFC 4733; 0 for in-band */
	uint32_t start_ts;    /* RTP timestamp of the event (RFC 4733), sample offset (in-band) */
	bool ended_by_timeout; /* no end packet was seen */
};

/* One packet of a generated event train. */
struct mc_rfc4733_packet {
	uint8_t payload[MC_RFC4733_PAYLOAD_LEN];
	uint32_t ts;        /* RTP timestamp: the event start, the same for every packet */
	bool marker;        /* set on the first packet of the event */
	uint32_t offset_ms; /* when to send it, relative to the first packet */
};

/* Per-stream RFC 4733 receive state. Written by the leg's worker only. */
struct mc_rfc4733_detector {
	uint32_t clock_rate;  /* RO: the telephone-event RTP clock */
	bool active;          /* an event is in progress */
	struct mc_tev cur;    /* the event in progress */
	uint32_t cur_ts;
	bool have_ended;      /* an event has been reported */
	uint32_t ended_ts;    /* timestamp of the last reported event, to ignore its repeats */
	uint64_t bad_payloads;
	uint64_t repeats;     /* redundant end packets ignored */
};

#endif
