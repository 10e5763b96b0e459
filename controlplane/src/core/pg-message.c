/* Turning libpq's multi-line messages into single log/status lines. */
#include "cp/pg-message.h"

#include <stdio.h>

void cp_pg_message_copy(char *dst, size_t cap, const char *msg)
{
	if (cap == 0)
		return;
	if (!msg || !*msg)
		msg = "unknown error";
	size_t o = 0;
	for (const char *s = msg; *s && o + 1 < cap; s++) {
		if (*s == '\n' || *s == '\r') {
			while (s[1] == '\n' || s[1] == '\r' || s[1] == '\t' || s[1] == ' ')
				s++;
			while (o && dst[o - 1] == ' ')
				o--;
			dst[o++] = ' ';
		} else {
			dst[o++] = *s == '\t' ? ' ' : *s;
		}
	}
	while (o && dst[o - 1] == ' ')
		o--;
	dst[o] = '\0';
}
