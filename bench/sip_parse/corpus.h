/* The parse benchmark's corpus: typical messages as phones and PBXs send them. Read-only. */
#ifndef BUGLE_BENCH_SIP_CORPUS_H
#define BUGLE_BENCH_SIP_CORPUS_H

#include <stddef.h>

struct corpus_msg {
	const char *name;
	const char *text;
	size_t len;
};

extern const struct corpus_msg sip_corpus[];
extern const size_t sip_corpus_len;

#endif
