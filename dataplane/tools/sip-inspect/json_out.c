/* JSON line writer with byte-exact escaping (see json_out.h). */
#include "json_out.h"

#include <stdio.h>
#include <string.h>

void json_out_init(struct json_out *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = false;
	j->need_comma = false;
}

void json_out_raw(struct json_out *j, const char *s, size_t n)
{
	if (j->overflow || n > j->cap - j->len) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), 0 if none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned lo = 0x80, hi = 0xbf;

	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

void json_out_string(struct json_out *j, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8];

	json_out_raw(j, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			json_out_raw(j, esc, 2);
			i++;
		} else if (c >= 0x20 && c < 0x7f) {
			json_out_raw(j, (const char *)p + i, 1);
			i++;
		} else if (c >= 0x80 && utf8_len(p + i, n - i)) {
			size_t l = utf8_len(p + i, n - i);
			json_out_raw(j, (const char *)p + i, l);
			i += l;
		} else {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			json_out_raw(j, esc, 6);
			i++;
		}
	}
	json_out_raw(j, "\"", 1);
}

static void key(struct json_out *j, const char *k)
{
	if (j->need_comma)
		json_out_raw(j, ",", 1);
	j->need_comma = true;
	if (k) {
		json_out_string(j, k, strlen(k));
		json_out_raw(j, ":", 1);
	}
}

void json_out_key_string(struct json_out *j, const char *k, const char *s, size_t n)
{
	key(j, k);
	json_out_string(j, s, n);
}

void json_out_key_uint(struct json_out *j, const char *k, uint64_t v)
{
	char num[24];
	int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)v);

	key(j, k);
	json_out_raw(j, num, (size_t)n);
}

void json_out_begin_object(struct json_out *j, const char *k)
{
	if (k)
		key(j, k);
	json_out_raw(j, "{", 1);
	j->need_comma = false;
}

void json_out_end_object(struct json_out *j)
{
	json_out_raw(j, "}", 1);
	j->need_comma = true;
}

bool json_out_ok(const struct json_out *j)
{
	return !j->overflow;
}
