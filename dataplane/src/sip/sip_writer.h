/* A bounded output buffer for building SIP text (internal). Writes never overflow; they set
 * `overflow`, which the builders turn into -ENOSPC. */
#ifndef BUGLE_SIP_WRITER_H
#define BUGLE_SIP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sip-t.h"

struct sip_writer {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
};

static inline void sip_w_bytes(struct sip_writer *w, const char *s, size_t n)
{
	if (n == 0)
		return; /* s may be the NULL of an absent slice */
	if (w->overflow || n > w->cap - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static inline void sip_w_str(struct sip_writer *w, const struct sip_str *s)
{
	sip_w_bytes(w, s->s, s->len);
}

#define SIP_W_LIT(w, lit) sip_w_bytes((w), (lit), sizeof(lit) - 1)

void sip_w_uint(struct sip_writer *w, uint64_t v);
/* The top Via value with received= set (or replaced) and rport= filled when the Via carries
 * rport; received may be empty and rport 0 to leave either alone. */
void sip_w_via_received(struct sip_writer *w, const struct sip_via *v,
			const struct sip_str *received, uint16_t rport);

#endif
