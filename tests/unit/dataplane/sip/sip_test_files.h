/* Test helpers: load a file from ${BUGLE_TESTDATA}. Return 0 or a negative errno. */
#ifndef BUGLE_TEST_SIP_FILES_H
#define BUGLE_TEST_SIP_FILES_H

#include <stddef.h>

/* Reads BUGLE_TESTDATA/<rel> into buf (at most cap bytes); *len gets the size. -E2BIG when the
 * file is larger than cap. */
int sip_test_read(const char *rel, char *buf, size_t cap, size_t *len);

#endif
