/* gRPC-style length-prefixed framing and the channel's address syntax (see bugle/frame.h). */
#include "bugle/frame.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

void bgl_frame_header_encode(uint8_t hdr[BGL_FRAME_HDR_LEN], uint32_t len)
{
	hdr[0] = 0;
	hdr[1] = (uint8_t)(len >> 24);
	hdr[2] = (uint8_t)(len >> 16);
	hdr[3] = (uint8_t)(len >> 8);
	hdr[4] = (uint8_t)len;
}

int bgl_frame_header_decode(const uint8_t hdr[BGL_FRAME_HDR_LEN], uint32_t max_len,
			    uint32_t *len)
{
	uint32_t n;

	/* Flag 1 is gRPC's "compressed"; the channel negotiates no compression, so any non-zero
	 * flag is a peer speaking something else. */
	if (hdr[0] != 0)
		return -EPROTO;
	n = (uint32_t)hdr[1] << 24 | (uint32_t)hdr[2] << 16 | (uint32_t)hdr[3] << 8 | hdr[4];
	if (n > max_len)
		return -EMSGSIZE;
	*len = n;
	return 0;
}

int bgl_frame_reader_init(struct bgl_frame_reader *r, uint8_t *buf, size_t cap,
			  uint32_t max_frame)
{
	if (!r || !buf || max_frame == 0 || max_frame > BGL_FRAME_MAX_LIMIT ||
	    cap < BGL_FRAME_HDR_LEN + (size_t)max_frame)
		return -EINVAL;
	*r = (struct bgl_frame_reader){ .buf = buf, .cap = cap, .max_frame = max_frame };
	return 0;
}

void bgl_frame_reader_reset(struct bgl_frame_reader *r)
{
	r->start = 0;
	r->end = 0;
	r->error = 0;
}

size_t bgl_frame_reader_space(struct bgl_frame_reader *r, uint8_t **dst)
{
	/* Whatever precedes start has been handed out as frames already; moving the partial
	 * frame to the front guarantees room for a maximal frame. */
	if (r->start == r->end) {
		r->start = 0;
		r->end = 0;
	} else if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	*dst = r->buf + r->end;
	return r->cap - r->end;
}

void bgl_frame_reader_commit(struct bgl_frame_reader *r, size_t n)
{
	if (n > r->cap - r->end)
		n = r->cap - r->end;
	r->end += n;
}

size_t bgl_frame_reader_feed(struct bgl_frame_reader *r, const uint8_t *data, size_t len)
{
	uint8_t *dst;
	size_t room = bgl_frame_reader_space(r, &dst);
	size_t n = len < room ? len : room;

	memcpy(dst, data, n);
	bgl_frame_reader_commit(r, n);
	return n;
}

int bgl_frame_reader_next(struct bgl_frame_reader *r, struct bgl_frame *f)
{
	size_t avail = r->end - r->start;
	uint32_t len;
	int rc;

	if (r->error)
		return r->error;
	if (avail < BGL_FRAME_HDR_LEN)
		return 0;
	rc = bgl_frame_header_decode(r->buf + r->start, r->max_frame, &len);
	if (rc < 0) {
		r->error = rc;
		return rc;
	}
	if (avail - BGL_FRAME_HDR_LEN < len)
		return 0;
	f->data = r->buf + r->start + BGL_FRAME_HDR_LEN;
	f->len = len;
	r->start += BGL_FRAME_HDR_LEN + len;
	return 1;
}

size_t bgl_frame_reader_pending(const struct bgl_frame_reader *r)
{
	return r->end - r->start;
}

static int parse_port(const char *text, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*text < '0' || *text > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 10);
	if (errno || *end != '\0' || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int parse_unix(const char *path, struct bgl_frame_addr *out)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&out->sa;
	size_t n = strlen(path);

	if (n == 0 || n >= sizeof(sun->sun_path))
		return -EINVAL;
	out->is_unix = true;
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, path, n + 1);
	memcpy(out->path, path, n + 1);
	out->sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static int parse_inet(const char *text, struct bgl_frame_addr *out)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	uint16_t port;
	size_t hlen;

	if (text[0] == '[') {
		const char *close = strchr(text, ']');
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

		if (!close || close[1] != ':' || (size_t)(close - text - 1) >= sizeof(host))
			return -EINVAL;
		hlen = (size_t)(close - text - 1);
		memcpy(host, text + 1, hlen);
		host[hlen] = '\0';
		if (parse_port(close + 2, &port) < 0 || inet_pton(AF_INET6, host, &s6->sin6_addr) != 1)
			return -EINVAL;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		out->sa_len = sizeof(*s6);
		return 0;
	}
	colon = strrchr(text, ':');
	if (!colon || (size_t)(colon - text) >= sizeof(host))
		return -EINVAL;
	hlen = (size_t)(colon - text);
	memcpy(host, text, hlen);
	host[hlen] = '\0';
	struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;
	if (parse_port(colon + 1, &port) < 0 || inet_pton(AF_INET, host, &s4->sin_addr) != 1)
		return -EINVAL;
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	out->sa_len = sizeof(*s4);
	return 0;
}

int bgl_frame_addr_parse(const char *text, struct bgl_frame_addr *out)
{
	if (!text || !out)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (strncmp(text, "unix:", 5) == 0)
		return parse_unix(text + 5, out);
	return parse_inet(text, out);
}
