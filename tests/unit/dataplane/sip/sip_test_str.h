/* Slice assertions shared by the SIP unit tests (cmocka must be included first). */
#ifndef BUGLE_TEST_SIP_STR_H
#define BUGLE_TEST_SIP_STR_H

#include <string.h>

#define STR_EQ(sl, lit)                                                                            \
	do {                                                                                       \
		assert_int_equal((sl).len, strlen(lit));                                           \
		assert_memory_equal((sl).s, lit, strlen(lit));                                     \
	} while (0)

#define SLICE(lit) ((struct sip_str){ (lit), (uint32_t)strlen(lit) })

#endif
