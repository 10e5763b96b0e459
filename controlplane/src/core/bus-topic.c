/* AMQP topic-exchange matching, so deliveries on the one node queue reach the right callback. */
#include "cp/bus.h"

#include <string.h>

static size_t word_len(const char *s)
{
	const char *dot = strchr(s, '.');
	return dot ? (size_t)(dot - s) : strlen(s);
}

/* p and k point at the start of a word (or at the end of their string). */
static bool match_words(const char *p, const char *k)
{
	if (!*p)
		return !*k;
	size_t pl = word_len(p);
	const char *pnext = p[pl] ? p + pl + 1 : p + pl;
	if (pl == 1 && *p == '#') {
		/* Zero words, or one more word and try again. */
		if (match_words(pnext, k))
			return true;
		if (!*k)
			return false;
		size_t kl = word_len(k);
		return match_words(p, k[kl] ? k + kl + 1 : k + kl);
	}
	if (!*k)
		return false;
	size_t kl = word_len(k);
	const char *knext = k[kl] ? k + kl + 1 : k + kl;
	if (!(pl == 1 && *p == '*') && (pl != kl || memcmp(p, k, pl) != 0))
		return false;
	return match_words(pnext, knext);
}

bool cp_bus_topic_match(const char *pattern, const char *key)
{
	return match_words(pattern, key);
}
