/* Shared by the call unit tests: SIP messages parsed from and printed to text, and the session
 * lines every test SDP starts with. Include after <cmocka.h>. */
#ifndef BUGLE_TEST_CALL_SIP_H
#define BUGLE_TEST_CALL_SIP_H

#include <osipparser2/osip_parser.h>
#include <string.h>

/* The session part of a phone's SDP at ip (a string literal), origin version ver. */
#define SDP_SESSION(ver, ip)                                                                \
	"v=0\r\n"                                                                           \
	"o=- " ver " 1 IN IP4 " ip "\r\n"                                                   \
	"s=-\r\n"                                                                           \
	"c=IN IP4 " ip "\r\n"                                                               \
	"t=0 0\r\n"

/* A message parsed from text; the test fails when it does not parse. */
static inline osip_message_t *parse(const char *text)
{
	osip_message_t *m = NULL;
	assert_int_equal(osip_message_init(&m), 0);
	assert_int_equal(osip_message_parse(m, text, strlen(text)), 0);
	return m;
}

/* The message's text (osip_free it); the test fails when it does not print. */
static inline char *text_of(const osip_message_t *m)
{
	char *s = NULL;
	size_t len = 0;
	assert_int_equal(osip_message_to_str((osip_message_t *)m, &s, &len), 0);
	return s;
}

#endif
