/* SDES in SDP (RFC 4568): the caller's a=crypto read, the stream made RTP/SAVP with our key or
 * plain RTP/AVP for the other leg, and keys as the data plane takes them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "call-sdp.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define PEER_KEY "WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz"

static const char srtp_offer[] =
	"v=0\r\n"
	"o=- 1 1 IN IP4 192.0.2.10\r\n"
	"s=-\r\n"
	"c=IN IP4 192.0.2.10\r\n"
	"t=0 0\r\n"
	"m=audio 6000 RTP/SAVP 0 101\r\n"
	"a=rtpmap:0 PCMU/8000\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:" PEER_KEY "|2^20|1:4\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:" PEER_KEY "\r\n"
	"a=sendrecv\r\n";

static void reads_the_first_crypto(void **state)
{
	(void)state;
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_parse(srtp_offer, strlen(srtp_offer), &a), 0);
	assert_true(a.savp);
	assert_int_equal(a.crypto_tag, 1);
	assert_string_equal(a.crypto_suite, "AES_CM_128_HMAC_SHA1_80");
	assert_string_equal(a.crypto_key, PEER_KEY);
	assert_int_equal(a.n_codecs, 2);
	static const char plain[] = "v=0\r\nc=IN IP4 192.0.2.1\r\nm=audio 5 RTP/AVP 0\r\n";
	assert_int_equal(call_sdp_parse(plain, strlen(plain), &a), 0);
	assert_false(a.savp);
	assert_string_equal(a.crypto_suite, "");
}

static void made_plain_for_an_rtp_leg(void **state)
{
	(void)state;
	char out[2048];
	assert_int_equal(call_sdp_set_crypto(srtp_offer, strlen(srtp_offer), 0, NULL, NULL, out,
					     sizeof(out)),
			 0);
	assert_non_null(strstr(out, "m=audio 6000 RTP/AVP 0 101\r\n"));
	assert_null(strstr(out, "a=crypto"));
	assert_null(strstr(out, "SAVP"));
	assert_non_null(strstr(out, "a=sendrecv\r\n"));
}

static void keyed_for_an_srtp_leg(void **state)
{
	(void)state;
	char key[64], out[2048], line[160];
	unsigned char bytes[64];
	assert_int_equal(call_srtp_new_key("AES_CM_128_HMAC_SHA1_80", key, sizeof(key)), 0);
	assert_int_equal(strlen(key), 40);
	assert_int_equal(call_srtp_key_bytes("AES_CM_128_HMAC_SHA1_80", key, bytes, sizeof(bytes)),
			 30);
	static const char plain[] = "v=0\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
				    "m=audio 5 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
	assert_int_equal(call_sdp_set_crypto(plain, strlen(plain), 7, "AES_CM_128_HMAC_SHA1_80",
					     key, out, sizeof(out)),
			 0);
	snprintf(line, sizeof(line), "a=crypto:7 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n", key);
	assert_non_null(strstr(out, "m=audio 5 RTP/SAVP 0\r\n"));
	assert_non_null(strstr(out, line));
	/* the peer's own keys never go on to the other leg */
	assert_int_equal(call_sdp_set_crypto(srtp_offer, strlen(srtp_offer), 1,
					     "AES_CM_128_HMAC_SHA1_80", key, out, sizeof(out)),
			 0);
	assert_null(strstr(out, PEER_KEY));
	struct call_sdp_audio a;
	assert_int_equal(call_sdp_parse(out, strlen(out), &a), 0);
	assert_string_equal(a.crypto_key, key);
}

static void keys_of_the_wrong_size_or_suite_are_refused(void **state)
{
	(void)state;
	unsigned char bytes[64];
	char key[8];
	assert_int_equal(call_srtp_key_bytes("AES_CM_128_HMAC_SHA1_80", PEER_KEY, bytes,
					     sizeof(bytes)),
			 30);
	assert_int_equal(call_srtp_key_bytes("AEAD_AES_128_GCM", PEER_KEY, bytes, sizeof(bytes)),
			 -EINVAL); /* GCM keys are 28 bytes */
	assert_int_equal(call_srtp_key_bytes("F8_128_HMAC_SHA1_80", PEER_KEY, bytes, sizeof(bytes)),
			 -EINVAL);
	assert_int_equal(call_srtp_key_bytes("AES_CM_128_HMAC_SHA1_80", "abc", bytes,
					     sizeof(bytes)),
			 -EINVAL);
	assert_int_equal(call_srtp_suite("AES_CM_128_HMAC_SHA1_32"), 2);
	assert_int_equal(call_srtp_new_key("AES_CM_128_HMAC_SHA1_80", key, sizeof(key)), -ENOBUFS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(reads_the_first_crypto),
		cmocka_unit_test(made_plain_for_an_rtp_leg),
		cmocka_unit_test(keyed_for_an_srtp_leg),
		cmocka_unit_test(keys_of_the_wrong_size_or_suite_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
