/* KAZOO document ids: 32 lower-case hex digits, random. Anything else in a path is refused
 * before it reaches a query, which also rules out traversal and metacharacters. */
#include "store.h"

#include <sodium.h>
#include <string.h>

bool store_id_valid(const char *id)
{
	if (!id || strlen(id) != 32)
		return false;
	for (const char *c = id; *c; c++)
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f')))
			return false;
	return true;
}

void store_id_new(char out[33])
{
	unsigned char raw[16];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2hex(out, 33, raw, sizeof(raw));
}
