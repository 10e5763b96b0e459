/* The peer pipeline of the transcoding benchmark: the same decode -> resample -> encode per
 * packet through libavcodec and libswresample (G.729 encoded by bcg729), as rtpengine
 * transcodes. Creators return a
 * pointer or NULL; push returns the number of packets produced or a negative value. */
#ifndef BENCH_TRANSCODE_PEER_H
#define BENCH_TRANSCODE_PEER_H

#include <stddef.h>
#include <stdint.h>

struct peer_transcoder;

/* Codec names as in the codec table ("PCMU", "G722", "G729", "opus"); NULL if the peer cannot
 * do this pair. */
struct peer_transcoder *peer_transcoder_create(const char *in, const char *out, int complexity);
void peer_transcoder_destroy(struct peer_transcoder *t);
/* Transcodes one payload; returns the number of output packets (their bytes are discarded). */
int peer_transcoder_push(struct peer_transcoder *t, const uint8_t *payload, size_t len,
                         int64_t pts);
/* Bytes of the packets produced so far, so the work cannot be optimised away. */
uint64_t peer_transcoder_bytes(const struct peer_transcoder *t);

#endif
