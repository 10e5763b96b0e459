/* The media relay: sessions of two legs, their public RTP/RTCP ports and per-leg state.
 * Types only (functions in relay.h, relay_session.h, relay_rtp.h).
 *
 * Threads and ordering:
 * - The main lcore is the only writer of the session table, the call-id index, the port
 *   allocator and every field marked MAIN below. It builds a leg completely, then publishes it
 *   to the workers with a release store of the leg's index into port_map[]; a worker's acquire
 *   load of port_map[] therefore sees the finished leg.
 * - A change to a live leg (answer, update) writes the MAIN fields, then bumps leg->gen with a
 *   release store; workers load gen with acquire before they use what the change wrote.
 *   Single fields that may change under a reader (remote, pt_out[]) are read and written with
 *   relaxed atomics, so a packet races at worst with one stale mapping, never a torn one.
 * - Delete unpublishes the ports (release store of 0) and parks the session for a grace period
 *   (RELAY_GRACE_NS, far beyond one packet's handling) before its slot and ports are reused,
 *   so no worker can still be reading it when the main lcore clears it again.
 * - Fields marked RX are written only by the worker that receives the leg's packets (RSS keeps
 *   a 5-tuple on one worker); the main lcore reads those marked "relaxed" for stats/timeouts.
 */
#ifndef BUGLE_RELAY_T_H
#define BUGLE_RELAY_T_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "bsrtp-t.h"
#include "mc_quality-t.h"
#include "mc_rfc4733-t.h"
#include "relay_counters-t.h"

#define RELAY_LEGS 2			/* per session: the offerer (0) and the answerer (1) */
#define RELAY_CALL_ID_MAX 128
#define RELAY_TAG_MAX 64
#define RELAY_MAX_CODECS 8
#define RELAY_PT_NONE 0xFF		/* pt_out[] value: this payload type is not forwarded */
#define RELAY_GRACE_NS 1000000000ull	/* delete -> reuse of the slot and ports */
#define RELAY_MAX_DATAGRAM 1472		/* largest RTP/RTCP payload forwarded (1500-byte MTU) */
#define RELAY_SSRC_CHANGES_PER_S 4	/* more new SSRCs than this per second is a storm */

struct mc_transcoder;
struct relay_media;
struct relay_rec_tap;
struct relay_inband_dtmf;
struct relay_conf_tap;

/* Settings of the relay (media.* in the data plane's settings table). */
struct relay_config {
	uint16_t port_min, port_max;	/* public RTP range; even ports are RTP, odd RTCP */
	uint32_t max_sessions;
	uint32_t timeout_s;		/* dead-media timeout of an active leg */
	uint32_t hold_timeout_s;	/* ... of a leg on hold / sendonly / recvonly / inactive */
	uint32_t latch_packets;		/* a new source may latch within this many packets */
	uint32_t latch_quiet_ms;	/* ... or once the latched source was silent this long */
	uint32_t public_ip;		/* network order: the address put in SDPs */
	/* The data plane's drain flag (NULL: never): new offers are refused while it is set.
	 * Written by the main lcore, loaded relaxed: it publishes no other data. */
	const _Atomic bool *draining;
	/* Directory of prompts and recordings (media.directory); NULL or "": file operations are
	 * refused. Copied by relay_new. */
	const char *media_dir;
};

/* One negotiated codec of a leg (validated: known codec, PT < 128, sane clock rate). */
struct relay_codec {
	uint8_t codec;			/* bugle_dp_Codec */
	uint8_t pt;
	uint32_t clock_rate;
	uint32_t channels;
	uint32_t ptime_ms;
};

/* Output stream toward the other leg: keeps one SSRC and continuous seq/ts for the life of the
 * session, whatever the input does across re-INVITEs. RX (the worker receiving this leg). */
struct relay_out_stream {
	bool started;
	uint32_t in_ssrc;		/* input SSRC the deltas below apply to */
	uint32_t out_ssrc;		/* = the first input SSRC (pass-through until it changes) */
	uint16_t seq_delta;
	uint32_t ts_delta;
	uint16_t last_seq;		/* last sequence number sent */
	uint32_t last_ts;		/* last timestamp sent */
	uint64_t last_ns;		/* when it was sent */
	/* Set by the main lcore when a media operation that took the stream over hands it back:
	 * the next relayed packet continues from last_seq/last_ts (see relay_mediaop_tx.c). */
	bool resync;
};

struct relay_leg {
	/* MAIN, set before publication; stable while the leg is live */
	uint16_t local_port;		/* RTP; RTCP is +1 */
	uint8_t index;			/* 0 offerer, 1 answerer */
	char tag[RELAY_TAG_MAX];
	bool symmetric;
	bool on_hold;
	uint32_t timeout_s;
	uint32_t clock_rate;		/* of the first codec, for timestamp continuity */
	uint8_t n_codecs;
	struct relay_codec codecs[RELAY_MAX_CODECS];
	uint64_t armed_ns;		/* MAIN: when the leg was (re)configured */
	bool timed_out;			/* MAIN: media timeout reported, cleared when media resumes */

	/* SDES SRTP toward this leg. MAIN sets a context up before the generation release that
	 * turns it on, and never touches it again while it is on (no re-keying of a live leg);
	 * srtp_in is then used by this leg's worker, srtp_out by the other leg's worker. */
	bool srtp_in_on, srtp_out_on;
	uint8_t srtp_in_suite, srtp_out_suite;		/* bugle_dp_SrtpSuite */
	uint8_t srtp_in_key[BSRTP_MASTER_LEN_MAX], srtp_out_key[BSRTP_MASTER_LEN_MAX];
	uint8_t srtp_in_key_len, srtp_out_key_len;
	/* RO after relay_new: this leg's two contexts, kept out of line so the fields the packet
	 * path reads stay on few cache lines: [0] unprotects what the leg sends, [1] protects
	 * what is sent to it. */
	struct bsrtp_ctx *srtp_ctx;

	/* Transcoding of this leg's audio toward the other leg, when the two share no codec.
	 * MAIN creates it (answer) and publishes the pointer with a release store; this leg's
	 * worker is its only user; it is destroyed only after the delete's grace period. */
	struct mc_transcoder *xcode;
	uint8_t xcode_in_pt, xcode_out_pt;	/* MAIN, before publication */
	/* In-band DTMF detection on this leg's decoded audio (a leg without telephone-event that
	 * is transcoded or translated): created and published like xcode; this leg's worker uses
	 * it. A re-negotiation that changes the leg's audio unpublishes it onto inband_retired
	 * (MAIN only), freed after a grace period (relay_mediaop_inband.c). */
	struct relay_inband_dtmf *inband;
	struct relay_inband_dtmf *inband_retired;

	/* Non-zero while a media operation (prompt, tone, DTMF) replaces the audio sent toward
	 * this leg: MAIN writes it with release, the other leg's worker loads it with acquire and
	 * then leaves the output stream toward this leg to the main lcore (relay_mediaop-t.h). */
	uint8_t media_out;
	/* Non-NULL while the leg is recorded: MAIN publishes it with release and clears it before
	 * the recording's grace period; this leg's worker loads it with acquire and is the only
	 * user of its decoder (relay_mediaop-t.h). */
	struct relay_rec_tap *rec_tap;
	/* Non-NULL while the leg is in a conference, published and cleared the same way: its
	 * worker passes the leg's audio payloads to the main lcore's mixer. */
	struct relay_conf_tap *conf_tap;

	/* MAIN writes with relaxed atomic stores, workers read with relaxed loads */
	uint64_t remote;		/* packed address from the SDP, 0 = none (relay_addr_pack) */
	uint8_t pt_out[128];		/* PT received from this leg -> PT sent to the other leg */
	uint32_t gen;			/* release store after any change; acquire load by workers */

	/* RX: the worker receiving this leg */
	uint32_t seen_gen;
	uint64_t latched;		/* packed source in use; relaxed (the other leg's worker reads) */
	uint64_t rtcp_latched;		/* packed RTCP source */
	uint32_t ssrc;			/* established SSRC; relaxed (query reads) */
	bool have_ssrc;
	uint32_t arm_left;		/* packets left in which a new source may latch */
	uint64_t ssrc_window_ns;
	uint32_t ssrc_changes;
	uint64_t last_rx_ns;		/* relaxed: the main lcore reads it for timeouts */
	struct mc_seq_state seq;
	struct mc_jitter_state jitter;
	struct relay_out_stream out;
	/* RX, relaxed: stats read by the main lcore */
	uint64_t rx_packets, rx_bytes, fwd_packets, fwd_bytes, dropped;
	uint64_t lost;
	uint32_t jitter_ticks;
	/* RX: RFC 4733 events received from this leg (armed with the configuration generation) */
	uint8_t dtmf_pt;		/* telephone-event payload type, RELAY_PT_NONE if none */
	struct mc_rfc4733_detector dtmf;
} __rte_cache_aligned;

enum relay_session_state {
	RELAY_SESSION_FREE = 0,
	RELAY_SESSION_LIVE = 1,
	RELAY_SESSION_RETIRING = 2,	/* deleted; slot and ports reusable after the grace period */
};

struct relay_session {
	/* MAIN */
	uint8_t state;			/* enum relay_session_state */
	bool answered;
	char call_id[RELAY_CALL_ID_MAX];
	char account_id[64];
	uint64_t retire_ns;
	uint32_t next_free;		/* free list link */
	struct relay_leg leg[RELAY_LEGS];
};

/* Call-id -> session slot, open addressing with linear probing. MAIN only. */
struct relay_index {
	uint32_t cap;			/* power of two, >= 2 x max_sessions */
	uint32_t *slot;			/* session index + 1; 0 empty; RELAY_INDEX_TOMB deleted */
};
#define RELAY_INDEX_TOMB UINT32_MAX

/* Even RTP ports handed out FIFO, so a port just freed is the last to be reused (stray packets
 * of an old call do not land in a new one). MAIN only. */
struct relay_ports {
	uint16_t base;			/* first (even) RTP port */
	uint32_t n_pairs;
	uint32_t head, count;		/* ring of free pair indexes */
	uint32_t *ring;
};

/* What a fast-path call decided for one datagram. */
struct relay_fwd {
	uint32_t src_ip, dst_ip;	/* network order */
	uint16_t src_port, dst_port;	/* host order */
	uint16_t len;			/* datagram length now (SRTP adds or removes a trailer) */
	bool body_changed;		/* more than the 12-byte header changed (SRTP) */
	/* RELAY_TRANSCODE verdicts: the leg the packet came from and its RTP header length */
	struct relay_leg *from, *to;
	uint16_t hdr_len;
};

typedef void (*relay_event_fn)(void *arg, uint8_t kind, const char *call_id, const char *leg_tag);

struct relay {
	struct relay_config cfg;			/* RO after relay_new */
	struct relay_session *sessions;			/* MAIN (legs: see the fields) */
	struct bsrtp_ctx *srtp_ctxs;			/* two per leg, see relay_leg */
	uint32_t free_head;				/* MAIN: free list, UINT32_MAX = empty */
	uint32_t n_live;				/* MAIN */
	uint32_t n_retiring;				/* MAIN */
	struct relay_index index;			/* MAIN */
	struct relay_ports ports;			/* MAIN */
	uint32_t *port_map;	/* per RTP pair: leg id + 1 (session * 2 + leg); release/acquire */
	/* One slot per lcore, plus one for threads outside the EAL (tests, tools). */
	struct relay_counters ctr[RTE_MAX_LCORE + 1];
	double ns_per_tsc;				/* RO: the packet clock */
	/* SRTP engines: one per EAL lcore and one for other threads; RO pointers, each engine
	 * used only by its lcore (the main lcore's also derives the keys of new contexts). */
	struct bsrtp_engine *srtp_eng[RTE_MAX_LCORE + 1];
	/* Media operations (prompts, tones, DTMF events): see relay_mediaop-t.h */
	struct relay_media *media;
};

#endif
