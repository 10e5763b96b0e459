/* Counters of the media relay, declared once in the X-macro table below; the stats reply, the
 * CLI and the metrics read their names from it (prefixed "relay_").
 *
 * Types only. Each lcore owns one struct relay_counters and is its only writer; readers on other
 * lcores sum them with relaxed loads.
 */
#ifndef BUGLE_RELAY_COUNTERS_T_H
#define BUGLE_RELAY_COUNTERS_T_H

#include <stdint.h>

#include <rte_common.h>

/* X(name, help) */
#define RELAY_COUNTER_TABLE(X)                                                                    \
	X(rtp_rx, "RTP packets received on a session port")                                      \
	X(rtp_fwd, "RTP packets forwarded to the other leg")                                     \
	X(rtcp_rx, "RTCP packets received on a session port")                                    \
	X(rtcp_fwd, "RTCP packets forwarded to the other leg")                                   \
	X(drop_short, "RTP/RTCP shorter than its header (fixed part, CSRCs, extension, padding)")\
	X(drop_version, "RTP/RTCP version other than 2")                                          \
	X(drop_oversized, "RTP/RTCP datagram larger than the relay forwards")                    \
	X(drop_unknown_port, "datagram to a relay port that belongs to no session")             \
	X(drop_no_remote, "the other leg has no address to send to yet (no answer)")             \
	X(drop_unlatched_source, "packet from a source other than the latched one (hijack guard)")\
	X(drop_ssrc_storm, "packet with a new SSRC beyond the allowed SSRC changes per second")  \
	X(drop_payload_type, "payload type not negotiated between the legs")                     \
	X(drop_chained, "datagram spread over chained mbufs (reassembled fragments)")            \
	X(drop_tx, "no room to build the outgoing headers")                                       \
	X(drop_srtp_auth, "SRTP/SRTCP packet whose authentication tag did not match")            \
	X(drop_srtp_replay, "SRTP/SRTCP packet replayed or older than the replay window")        \
	X(drop_srtp_bad, "SRTP/SRTCP packet refused for another reason (length, SSRC slots)")    \
	X(drop_srtp_protect, "packet that could not be protected toward an SRTP leg")            \
	X(srtp_unprotected, "SRTP/SRTCP packets authenticated and decrypted")                    \
	X(srtp_protected, "RTP/RTCP packets encrypted toward an SRTP leg")                        \
	X(xcode_in, "RTP packets decoded for transcoding")                                        \
	X(xcode_out, "RTP packets encoded by a transcoder and sent")                             \
	X(drop_xcode, "packets a transcoder refused, or whose output found no mbuf")             \
	X(latched, "legs that latched (or re-latched) to an observed source")                    \
	X(ssrc_changes, "SSRC changes accepted from a latched source")                            \
	X(media_timeouts, "legs that reached their dead-media timeout")                           \
	X(offers_refused_table_full, "offers refused because the session table was full")       \
	X(offers_refused_no_ports, "offers refused because the RTP port range was exhausted")   \
	X(offers_refused_draining, "offers of new sessions refused because the node is draining")\
	X(sessions_created, "sessions created by an offer")                                       \
	X(sessions_deleted, "sessions deleted")

enum relay_counter_id {
#define RELAY_COUNTER_ENUM(name, help) RELAY_CTR_##name,
	RELAY_COUNTER_TABLE(RELAY_COUNTER_ENUM)
#undef RELAY_COUNTER_ENUM
	RELAY_CTR_COUNT
};

struct relay_counters {
	uint64_t v[RELAY_CTR_COUNT];	/* WRITER: the owning lcore; READERS: relaxed loads */
} __rte_cache_aligned;

#endif
