/* Control-channel framing shared by the data plane's server and the control plane's client.
 *
 * Return convention: 0 on success or a negative errno, except bgl_frame_reader_next() (1 = a
 * frame, 0 = need more bytes, or a negative errno) and the size queries (a byte count).
 *
 * On the wire every message is a gRPC length-prefixed frame: one flag byte that must be 0 (1
 * would mean compressed, which the channel does not support), a 4-byte big-endian length, then
 * that many bytes holding one encoded Envelope (see proto/dataplane.proto).
 */
#ifndef BUGLE_FRAME_H
#define BUGLE_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/un.h>

#define BGL_FRAME_HDR_LEN 5u
#define BGL_FRAME_MAX_DEFAULT (64u * 1024u)
/* Upper bound on a configurable max frame: keeps buffer sizes sane and lengths in range. */
#define BGL_FRAME_MAX_LIMIT (16u * 1024u * 1024u)

/* Writes the 5-byte header for a frame of len body bytes. */
void bgl_frame_header_encode(uint8_t hdr[BGL_FRAME_HDR_LEN], uint32_t len);

/* Parses a header: -EPROTO for a flag other than 0, -EMSGSIZE for a length above max_len. */
int bgl_frame_header_decode(const uint8_t hdr[BGL_FRAME_HDR_LEN], uint32_t max_len,
			    uint32_t *len);

/* One complete frame inside a reader's buffer. Valid until the reader is next fed. */
struct bgl_frame {
	const uint8_t *data;
	uint32_t len;
};

/* Incremental reader over a caller-owned fixed buffer of at least BGL_FRAME_HDR_LEN + max_frame
 * bytes: bytes go in as they arrive from the socket, whole frames come out. An error is sticky
 * until bgl_frame_reader_reset(): the stream cannot be resynchronised after a bad header.
 * Not thread-safe; one reader per connection, used by the thread that owns the connection. */
struct bgl_frame_reader {
	uint8_t *buf;
	size_t cap;
	size_t start;		/* first byte not yet returned as a frame */
	size_t end;		/* one past the last byte received */
	uint32_t max_frame;
	int error;		/* 0 or the negative errno of the first bad header */
};

/* -EINVAL when cap cannot hold a maximal frame or max_frame is 0 or above BGL_FRAME_MAX_LIMIT. */
int bgl_frame_reader_init(struct bgl_frame_reader *r, uint8_t *buf, size_t cap,
			  uint32_t max_frame);
void bgl_frame_reader_reset(struct bgl_frame_reader *r);

/* Where the next received bytes go: returns how many fit at *dst (after moving a partial frame
 * to the front). Follow with bgl_frame_reader_commit() of what was actually written. */
size_t bgl_frame_reader_space(struct bgl_frame_reader *r, uint8_t **dst);
void bgl_frame_reader_commit(struct bgl_frame_reader *r, size_t n);

/* Copies as much of data as fits; returns the count taken (less than len only when the caller
 * has not drained complete frames with bgl_frame_reader_next()). */
size_t bgl_frame_reader_feed(struct bgl_frame_reader *r, const uint8_t *data, size_t len);

/* Next complete frame: 1 and *f set, 0 when more bytes are needed, or the sticky -EPROTO /
 * -EMSGSIZE as soon as a bad header has arrived (before its body). */
int bgl_frame_reader_next(struct bgl_frame_reader *r, struct bgl_frame *f);

/* Bytes of an incomplete frame held: non-zero at end of stream means a truncated frame. */
size_t bgl_frame_reader_pending(const struct bgl_frame_reader *r);

/* A control-channel endpoint as written in configuration: "unix:/path/to.sock",
 * "127.0.0.1:7010" or "[::1]:7010". Numeric addresses only: resolving a name could block. */
struct bgl_frame_addr {
	bool is_unix;
	struct sockaddr_storage sa;
	socklen_t sa_len;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];	/* unix only */
};

/* -EINVAL for anything else. Port 0 is accepted and means "any free port" when listening. */
int bgl_frame_addr_parse(const char *text, struct bgl_frame_addr *out);

#endif
