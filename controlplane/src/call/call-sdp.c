/* SDP: the audio stream of an offer/answer, and the body rewritten toward the data plane. */
#include "call-sdp.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One line without its CR/LF. */
struct line {
	const char *p;
	size_t len;
};

bool call_sdp_next_line(const char **cur, const char *end, const char **p, size_t *len)
{
	if (*cur >= end)
		return false;
	const char *nl = memchr(*cur, '\n', (size_t)(end - *cur));
	const char *stop = nl ? nl : end;
	*p = *cur;
	*len = (size_t)(stop - *cur);
	*cur = nl ? nl + 1 : end;
	if (*len && (*p)[*len - 1] == '\r')
		(*len)--;
	return true;
}

int call_sdp_put_line(char *out, size_t cap, size_t *pos, const char *p, size_t n)
{
	if (*pos + n + 3 > cap)
		return -ENOBUFS;
	memcpy(out + *pos, p, n);
	*pos += n;
	memcpy(out + *pos, "\r\n", 3);
	*pos += 2;
	return 0;
}

static bool next_line(const char **cur, const char *end, struct line *l)
{
	return call_sdp_next_line(cur, end, &l->p, &l->len);
}

static bool starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);
	return l->len >= n && memcmp(l->p, prefix, n) == 0;
}

/* "c=IN IP4 a.b.c.d" -> a.b.c.d (IPv4 only: the data plane relays IPv4). */
static int conn_addr(const struct line *l, char *ip, size_t cap)
{
	static const char pfx[] = "c=IN IP4 ";
	if (l->len <= sizeof(pfx) - 1 || memcmp(l->p, pfx, sizeof(pfx) - 1) != 0)
		return -EINVAL;
	size_t n = l->len - (sizeof(pfx) - 1);
	const char *a = l->p + sizeof(pfx) - 1;
	const char *slash = memchr(a, '/', n); /* multicast TTL: not ours to relay */
	if (slash || n >= cap)
		return -EINVAL;
	memcpy(ip, a, n);
	ip[n] = '\0';
	return 0;
}

static const struct {
	unsigned pt;
	const char *name;
	unsigned rate;
} static_pts[] = {
	{ 0, "PCMU", 8000 }, { 8, "PCMA", 8000 }, { 9, "G722", 8000 }, { 18, "G729", 8000 },
};

static void static_codec(struct call_sdp_codec *c)
{
	for (size_t i = 0; i < sizeof(static_pts) / sizeof(static_pts[0]); i++)
		if (static_pts[i].pt == c->pt) {
			snprintf(c->name, sizeof(c->name), "%s", static_pts[i].name);
			c->clock_rate = static_pts[i].rate;
		}
	c->channels = 1;
}

/* "m=audio PORT RTP/AVP pt pt ..." */
static int media_line(const struct line *l, struct call_sdp_audio *a)
{
	char buf[512];
	if (l->len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, l->p, l->len);
	buf[l->len] = '\0';
	char *save = NULL;
	char *tok = strtok_r(buf + 8, " ", &save);
	char *end = NULL;
	long port = tok ? strtol(tok, &end, 10) : -1;
	if (!tok || *end || port < 0 || port > 65535)
		return -EINVAL;
	a->port = (uint16_t)port;
	const char *proto = strtok_r(NULL, " ", &save);
	if (!proto)
		return -EINVAL;
	a->savp = strcmp(proto, "RTP/SAVP") == 0;
	while ((tok = strtok_r(NULL, " ", &save)) && a->n_codecs < CALL_SDP_CODECS_MAX) {
		long pt = strtol(tok, &end, 10);
		if (*end || pt < 0 || pt > 127)
			return -EINVAL;
		struct call_sdp_codec *c = &a->codecs[a->n_codecs++];
		memset(c, 0, sizeof(*c));
		c->pt = (unsigned)pt;
		static_codec(c);
	}
	return a->n_codecs ? 0 : -EINVAL;
}

/* "a=rtpmap:PT NAME/RATE[/CH]" fills the codec with that payload type. */
static void rtpmap(const struct line *l, struct call_sdp_audio *a)
{
	char buf[128];
	if (l->len >= sizeof(buf))
		return;
	memcpy(buf, l->p, l->len);
	buf[l->len] = '\0';
	unsigned pt = 0, rate = 0, ch = 1;
	char name[16];
	if (sscanf(buf, "a=rtpmap:%u %15[^/]/%u/%u", &pt, name, &rate, &ch) < 3)
		return;
	if (strcasecmp(name, "telephone-event") == 0)
		a->dtmf_pt = (int)pt;
	for (unsigned i = 0; i < a->n_codecs; i++)
		if (a->codecs[i].pt == pt) {
			snprintf(a->codecs[i].name, sizeof(a->codecs[i].name), "%s", name);
			a->codecs[i].clock_rate = rate;
			a->codecs[i].channels = ch;
		}
}

/* "a=crypto:TAG SUITE inline:KEY[|lifetime][|mki]" (RFC 4568 §9.1): the first one only. */
static void crypto(const struct line *l, struct call_sdp_audio *a)
{
	char buf[256];
	if (a->crypto_suite[0] || l->len >= sizeof(buf))
		return;
	memcpy(buf, l->p, l->len);
	buf[l->len] = '\0';
	unsigned tag = 0;
	char suite[32], key[64];
	if (sscanf(buf, "a=crypto:%u %31s inline:%63[A-Za-z0-9+/=]", &tag, suite, key) != 3)
		return;
	a->crypto_tag = tag;
	memcpy(a->crypto_suite, suite, sizeof(suite));
	memcpy(a->crypto_key, key, sizeof(key));
}

static void direction(const struct line *l, struct call_sdp_audio *a)
{
	static const struct {
		const char *attr;
		enum call_sdp_direction dir;
	} dirs[] = {
		{ "a=sendrecv", CALL_SDP_SENDRECV }, { "a=sendonly", CALL_SDP_SENDONLY },
		{ "a=recvonly", CALL_SDP_RECVONLY }, { "a=inactive", CALL_SDP_INACTIVE },
	};
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (l->len == strlen(dirs[i].attr) && starts(l, dirs[i].attr))
			a->direction = dirs[i].dir;
}

int call_sdp_parse(const char *sdp, size_t len, struct call_sdp_audio *out)
{
	memset(out, 0, sizeof(*out));
	out->dtmf_pt = -1;
	const char *cur = sdp, *end = sdp + len;
	struct line l;
	char session_ip[64] = "";
	/* 0: session part, 1: in the first audio stream, 2: past it */
	int where = 0;
	bool audio_found = false;
	if (!next_line(&cur, end, &l) || !starts(&l, "v=0"))
		return -EINVAL;
	while (next_line(&cur, end, &l)) {
		if (starts(&l, "m=")) {
			if (where == 1 || audio_found) {
				where = 2;
				continue;
			}
			if (!starts(&l, "m=audio ")) {
				where = 2;
				continue;
			}
			if (media_line(&l, out) < 0)
				return -EINVAL;
			where = 1;
			audio_found = true;
		} else if (starts(&l, "c=")) {
			char *dst = where == 0 ? session_ip : where == 1 ? out->ip : NULL;
			if (dst && conn_addr(&l, dst, sizeof(out->ip)) < 0)
				return -EINVAL;
		} else if (where == 1 && starts(&l, "a=rtpmap:")) {
			rtpmap(&l, out);
		} else if (where == 1 && starts(&l, "a=crypto:")) {
			crypto(&l, out);
		} else if (where != 2 && starts(&l, "a=")) {
			direction(&l, out);
		}
	}
	if (!audio_found)
		return -EINVAL;
	if (!out->ip[0])
		memcpy(out->ip, session_ip, sizeof(out->ip));
	return out->ip[0] ? 0 : -EINVAL;
}

static int put(char *out, size_t cap, size_t *pos, const char *p, size_t n)
{
	if (*pos + n + 1 > cap)
		return -ENOBUFS;
	memcpy(out + *pos, p, n);
	*pos += n;
	out[*pos] = '\0';
	return 0;
}

/* "o=user sess ver IN IP4 addr": everything up to the address kept. */
static int rewrite_origin(const struct line *l, const char *ip, char *out, size_t cap,
			  size_t *pos)
{
	const char *p = l->p, *end = l->p + l->len;
	const char *last = NULL;
	for (const char *q = p; q < end; q++)
		if (*q == ' ')
			last = q;
	if (!last)
		return put(out, cap, pos, l->p, l->len);
	int rc = put(out, cap, pos, p, (size_t)(last + 1 - p));
	return rc < 0 ? rc : put(out, cap, pos, ip, strlen(ip));
}

int call_sdp_rewrite(const char *sdp, size_t len, const char *ip, uint16_t port, char *out,
		     size_t cap)
{
	const char *cur = sdp, *end = sdp + len;
	struct line l;
	size_t pos = 0;
	bool audio_done = false;
	char text[160];
	if (cap)
		out[0] = '\0';
	while (next_line(&cur, end, &l)) {
		int rc;
		if (starts(&l, "c=")) {
			snprintf(text, sizeof(text), "c=IN IP4 %s", ip);
			rc = put(out, cap, &pos, text, strlen(text));
		} else if (starts(&l, "o=")) {
			rc = rewrite_origin(&l, ip, out, cap, &pos);
		} else if (!audio_done && starts(&l, "m=audio ")) {
			const char *sp = memchr(l.p + 8, ' ', l.len - 8);
			if (!sp)
				return -EINVAL;
			snprintf(text, sizeof(text), "m=audio %u", (unsigned)port);
			rc = put(out, cap, &pos, text, strlen(text));
			if (rc == 0)
				rc = put(out, cap, &pos, sp, (size_t)(l.p + l.len - sp));
			audio_done = true;
		} else {
			rc = put(out, cap, &pos, l.p, l.len);
		}
		if (rc == 0)
			rc = put(out, cap, &pos, "\r\n", 2);
		if (rc < 0)
			return rc;
	}
	return audio_done ? 0 : -EINVAL;
}
