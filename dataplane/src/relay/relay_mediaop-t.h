/* Media operations on a leg: prompts, tones and DTMF sent toward it, and the DTMF events
 * received from it. Types only (functions in relay_mediaop.h).
 *
 * Threads:
 * - Operations live on the main lcore. It loads prompts (file I/O), creates the encoder, and
 *   generates the packets on its own clock in relay_media_tick, so playback does not depend on
 *   packets arriving and no worker ever does file I/O or allocation for it.
 * - Taking a leg's output stream over: the main lcore sets leg->media_out with release; the
 *   other leg's worker, which owns that stream, loads it with acquire and stops relaying toward
 *   the leg (counted media_replaced). The first generated packet goes out only after
 *   RELAY_MEDIA_HANDOVER_NS, far beyond one packet's handling, so from then on the main lcore is
 *   the stream's (and the SRTP context's) only user. It continues the stream's SSRC, sequence
 *   numbers and timestamps, and at the end sets out.resync and clears media_out with release:
 *   the worker continues from where the operation stopped.
 * - Recording: the main lcore opens the WAV and creates a decoder per recorded leg (a tap),
 *   then publishes the tap in leg->rec_tap with release. The leg's worker decodes what the leg
 *   sends and passes the audio in fixed chunks over the record ring (multi-producer, the main
 *   lcore the only consumer; a full ring is a counted drop), so no worker writes a file. At the
 *   stop the tap is unpublished and freed only after RELAY_MEDIA_TAP_GRACE_NS.
 * - Conferences: a joined leg's worker passes the leg's RTP payloads over the conference ring
 *   (same rules) to the main lcore, which owns every mixer: it decodes and mixes there every
 *   20 ms and sends each member the mix of the others in its own codec, as an operation that
 *   owns the stream toward the member. A tap is reused only RELAY_MEDIA_TAP_GRACE_NS after it
 *   was unpublished.
 * - DTMF received: the leg's worker feeds RFC 4733 payloads to its detector and enqueues each
 *   finished digit on the media ring (multi-producer, the main lcore the only consumer); a full
 *   ring is a counted drop.
 */
#ifndef BUGLE_RELAY_MEDIAOP_T_H
#define BUGLE_RELAY_MEDIAOP_T_H

#include <stdbool.h>
#include <stdint.h>

#include "dataplane.pb.h"
#include "relay-t.h"
#include "mc_tone-t.h"
#include "mc_wav.h"

#define RELAY_MEDIA_MAX_OPS 4096		/* operations running at once (both legs count) */
#define RELAY_MEDIA_RING 1024			/* DTMF reports in flight to the main lcore */
#define RELAY_MEDIA_HANDOVER_NS 5000000ull	/* media_out set -> first generated packet */
#define RELAY_MEDIA_LAG_NS 200000000ull		/* main lcore this late: restart the pacing */
#define RELAY_MEDIA_BURST 4			/* packets one op may catch up per tick */
#define RELAY_MEDIA_DIR_MAX 256
#define RELAY_MEDIA_DTMF_ON_MS 100		/* DTMF_SEND: each digit ... */
#define RELAY_MEDIA_DTMF_OFF_MS 60		/* ... and the pause after it */
#define RELAY_MEDIA_DTMF_MIN_MS 40		/* DTMF_SEND duration_ms and translated digits ... */
#define RELAY_MEDIA_DTMF_MAX_MS 2000		/* ... are clamped to these */
#define RELAY_MEDIA_TONE_AMPLITUDE 5000
#define RELAY_MEDIA_MAX_TRAIN 64		/* RFC 4733 packets of one digit */
#define RELAY_MEDIA_MAX_RECORDINGS 1024		/* recordings at once */
#define RELAY_MEDIA_REC_RING 4096		/* audio chunks in flight to the main lcore */
#define RELAY_MEDIA_REC_CHUNK 160		/* samples per chunk */
#define RELAY_MEDIA_TAP_GRACE_NS 100000000ull	/* tap unpublished -> freed or reused */
#define RELAY_MEDIA_MAX_CONFS 64		/* conferences at once */
#define RELAY_MEDIA_CONF_RING 4096		/* member packets in flight to the main lcore */
#define RELAY_MEDIA_CONF_PAYLOAD 320		/* largest member payload mixed (G.711 40 ms) */
#define RELAY_MEDIA_REC_SKEW_MS 250		/* two-leg recording: a side this far behind is
						 * silent, its channel is padded */

struct mc_encode_path;
struct mc_dtmf_generator;
struct relay_fwd;

enum relay_mediaop_kind {
	RELAY_MEDIAOP_NONE = 0,
	RELAY_MEDIAOP_PLAY,
	RELAY_MEDIAOP_TONE,
	RELAY_MEDIAOP_DTMF_RTP,		/* RFC 4733 events */
	RELAY_MEDIAOP_DTMF_INBAND,	/* tones, for a leg without telephone-event */
	RELAY_MEDIAOP_CONFERENCE,	/* the mix of a conference's other members */
};

/* A conference member's tap. The worker reads id and pt; the rest is MAIN. */
struct relay_conf_tap {
	uint32_t id;			/* slot + serial: names the member in the packets */
	uint8_t pt;			/* the audio payload type mixed */
	bool used;			/* MAIN */
	uint16_t conf;			/* MAIN: index in the conference table */
	int mixer_leg;			/* MAIN */
	uint64_t free_after_ns;		/* MAIN: reusable from then on */
};

/* A named conference. MAIN only. */
struct relay_conference {
	bool used;
	char name[64];
	struct mc_mixer *mixer;
	uint32_t members;
	uint64_t next_ns;		/* next 20 ms mixing tick */
};

/* A member's RTP payload on its way to the mixer (a ring element: a multiple of 4 bytes). */
struct relay_media_packet {
	uint32_t tap_id;
	uint32_t ts;
	uint16_t seq;
	uint16_t len;
	uint8_t payload[RELAY_MEDIA_CONF_PAYLOAD];
};

/* The output stream toward a leg while an operation owns it (copied from and back to the
 * relay_out_stream it continues). */
struct relay_media_stream {
	uint32_t ssrc;
	uint16_t seq;			/* last sent */
	uint32_t ts;			/* timestamp of the last audio sent */
	uint8_t pt;
	uint32_t clock_rate;
	uint32_t ticks_per_packet;
};

/* One running operation. MAIN only. */
struct relay_mediaop {
	uint8_t kind;			/* enum relay_mediaop_kind */
	uint32_t session;		/* index in the session table */
	uint8_t leg;			/* the leg the operation plays to */
	uint64_t op_id;
	char stop_digits[33];		/* PLAY: DTMF from the leg that interrupts it */
	uint64_t next_ns;		/* when the next packet is due */
	uint64_t end_ns;		/* TONE with a duration: when it ends (0: at STOP or its end) */
	uint32_t ptime_ms;
	uint32_t frame_samples;		/* per packet, at the codec's PCM rate */
	bool adopted;			/* the stream was taken over from the relay */
	bool stop_requested;		/* STOP, a stop digit, or replaced: ends at the next tick */
	bool replaced;			/* ... by a new operation that keeps the stream */
	bool marker_sent;
	struct relay_media_stream st;
	struct mc_encode_path *enc;	/* PLAY, TONE, DTMF_INBAND */
	struct mc_prompt *prompt;	/* PLAY */
	struct mc_prompt_cursor cursor;
	struct mc_tone_gen tone;	/* TONE */
	struct mc_dtmf_generator *dtmf_gen;	/* DTMF_INBAND */
	/* DTMF_RTP: the digits left, the train of the current one and the next packet of it */
	char digits[33];
	uint16_t digit_ms[33];		/* DTMF_RTP: each digit's length (translated digits) */
	bool translated;		/* DTMF sent for a digit of the other leg (translation) */
	uint8_t digit_i;
	uint8_t te_pt;
	uint32_t te_rate;
	struct mc_rfc4733_packet train[RELAY_MEDIA_MAX_TRAIN];
	uint8_t train_n, train_i;
	uint64_t train_start_ns;
	uint32_t tap;			/* CONFERENCE: the member's tap slot */
};

/* What the worker of a recorded leg needs. RO once published, except the decoder, which only
 * that worker uses. */
struct relay_rec_tap {
	struct mc_decode_path *dec;
	uint32_t rec_id;		/* names the recording in the chunks (slot + serial) */
	uint8_t pt;			/* the audio payload type decoded */
	uint8_t channel;
};

/* One recording. MAIN only. */
struct relay_recording {
	bool used;
	bool closing;			/* taps unpublished, waiting for the grace period */
	uint32_t session;
	uint8_t legs;			/* bit k: leg k is recorded */
	uint8_t channels;
	uint32_t rate;
	uint64_t op_id;
	uint64_t close_ns;
	uint64_t samples;		/* written per channel */
	char tag[64];			/* the leg tag asked for ("*" for both) */
	char call_id[RELAY_CALL_ID_MAX];
	struct mc_recorder *w;
	struct relay_rec_tap tap[2];
	int16_t *fifo[2];		/* two-leg recording: audio waiting for the other side */
	uint32_t fifo_n[2], fifo_cap;
};

/* A chunk of decoded audio of a recorded leg (a ring element: a multiple of 4 bytes). */
struct relay_media_chunk {
	uint32_t rec_id;
	uint16_t n;
	uint8_t channel;
	uint8_t pad;
	int16_t pcm[RELAY_MEDIA_REC_CHUNK];
};

/* A DTMF digit detected by a worker, on its way to the main lcore (a ring element: a multiple
 * of 4 bytes). */
struct relay_media_report {
	uint32_t leg_id;		/* session * RELAY_LEGS + leg */
	uint32_t duration_ms;
	char digit;
	uint8_t pad[3];
};

/* How the main lcore's tick sends packets and reports events (the data plane's wiring). */
typedef void (*relay_media_send_fn)(void *arg, const struct relay_fwd *fwd, const uint8_t *pkt,
				    uint16_t len);
typedef int (*relay_media_emit_fn)(void *arg, const bugle_dp_Event *ev);

struct relay_media_io {
	relay_media_send_fn send;
	void *send_arg;
	relay_media_emit_fn emit;	/* may be NULL */
	void *emit_arg;
};

struct rte_ring;

struct relay_media {
	char dir[RELAY_MEDIA_DIR_MAX];		/* RO: media.directory, "" = none */
	struct rte_ring *ring;			/* reports: MP workers, SC main lcore */
	void *ring_mem;
	uint32_t n_ops;				/* MAIN: active operations, ops[0..n_ops) */
	uint64_t next_op_id;			/* MAIN: for requests without one */
	struct relay_mediaop *ops;		/* MAIN: RELAY_MEDIA_MAX_OPS */
	struct rte_ring *rec_ring;		/* audio chunks: MP workers, SC main lcore */
	void *rec_ring_mem;
	struct relay_recording *recs;		/* MAIN: RELAY_MEDIA_MAX_RECORDINGS */
	uint32_t rec_serial;			/* MAIN */
	struct rte_ring *conf_ring;		/* member payloads: MP workers, SC main lcore */
	void *conf_ring_mem;
	struct relay_conference *confs;		/* MAIN: RELAY_MEDIA_MAX_CONFS */
	struct relay_conf_tap *conf_taps;	/* RELAY_MEDIA_MAX_OPS (see the type) */
	uint32_t conf_serial;			/* MAIN */
	uint64_t now_ns;			/* MAIN: the clock of the running tick or request */
};

#endif
