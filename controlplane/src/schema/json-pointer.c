/* Walks a document by a URI-fragment JSON pointer. */
#include "json-pointer.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/* Decodes one reference token (percent-decoding first, then ~1 and ~0) into out. */
static bool decode_token(const char *s, size_t n, char *out)
{
	size_t o = 0;
	char *tmp = out; /* decoded in place: each pass writes no further than it reads */

	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%') {
			tmp[o++] = s[i];
			continue;
		}
		if (i + 2 >= n)
			return false;
		int hi = hexval((unsigned char)s[i + 1]), lo = hexval((unsigned char)s[i + 2]);
		if (hi < 0 || lo < 0)
			return false;
		tmp[o++] = (char)(hi * 16 + lo);
		i += 2;
	}
	tmp[o] = 0;
	/* ~1 before ~0 is the RFC's order: "~01" must become "~1", not "/". */
	size_t w = 0;
	for (size_t r = 0; r < o; r++) {
		if (tmp[r] == '~' && r + 1 < o && (tmp[r + 1] == '0' || tmp[r + 1] == '1')) {
			out[w++] = tmp[r + 1] == '1' ? '/' : '~';
			r++;
		} else if (tmp[r] == '~') {
			return false;
		} else {
			out[w++] = tmp[r];
		}
	}
	out[w] = 0;
	return true;
}

static bool parse_index(const char *tok, size_t *index)
{
	char *end;

	if (!isdigit((unsigned char)tok[0]) || (tok[0] == '0' && tok[1]))
		return false;
	errno = 0;
	unsigned long long v = strtoull(tok, &end, 10);
	if (*end || errno)
		return false;
	*index = (size_t)v;
	return true;
}

const json_t *jschema_pointer_get(const json_t *doc, const char *pointer)
{
	const json_t *cur = doc;
	size_t len = strlen(pointer);
	char *tok = malloc(len + 1);

	if (!tok)
		return NULL;
	if (*pointer && *pointer != '/')
		cur = NULL;
	for (const char *p = pointer; cur && *p == '/';) {
		const char *start = p + 1, *end = strchr(start, '/');
		size_t n = end ? (size_t)(end - start) : strlen(start);
		size_t index;

		if (!decode_token(start, n, tok)) {
			cur = NULL;
			break;
		}
		if (json_is_object(cur))
			cur = json_object_get(cur, tok);
		else if (json_is_array(cur) && parse_index(tok, &index))
			cur = json_array_get(cur, index);
		else
			cur = NULL;
		p = start + n;
	}
	free(tok);
	return cur;
}
