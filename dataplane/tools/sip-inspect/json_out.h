/* A tiny JSON line writer for sip-inspect: appends to a caller buffer and never overflows it.
 * Functions return nothing; json_out_ok() tells whether everything fit. */
#ifndef BUGLE_SIP_INSPECT_JSON_OUT_H
#define BUGLE_SIP_INSPECT_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_out {
	char *buf;
	size_t cap;
	size_t len;
	bool overflow;
	bool need_comma;
};

void json_out_init(struct json_out *j, char *buf, size_t cap);
void json_out_raw(struct json_out *j, const char *s, size_t n);
/* A JSON string of arbitrary bytes: valid UTF-8 passes through; control characters, DEL and
 * every byte that is not part of valid UTF-8 become \u00XX, so the output is always valid. */
void json_out_string(struct json_out *j, const char *s, size_t n);
void json_out_key_string(struct json_out *j, const char *key, const char *s, size_t n);
void json_out_key_uint(struct json_out *j, const char *key, uint64_t v);
void json_out_begin_object(struct json_out *j, const char *key); /* key NULL at top level */
void json_out_end_object(struct json_out *j);
bool json_out_ok(const struct json_out *j);

#endif
